// Browser tests: `npm run test:browser` (add `--watch` or `--files test/x.test.ts` as needed).
//
// Assertions: `import {expect} from '@esm-bundle/chai';` (chai 4 as an ES module, a
// devDependency). describe/it/before/after are mocha's globals (wtr's default framework;
// typed by @types/mocha).
//
// What the tests can rely on:
// - TypeScript through esbuild with tsconfig.json (legacy decorators,
//   useDefineForClassFields: false), `.js` import specifiers resolve to `.ts` files.
// - `.tsx` test files (JSX for React, from tsconfig.json's `jsx`).
// - `.svelte` files compiled by Svelte 5 (client, dev mode).
// - React (CommonJS only) served as ES modules, Vue's builds for bundlers with what a bundler
//   defines, both in development mode; Angular in JIT mode (import '@angular/compiler' first).
// - `upload-progress`, `upload-progress/react`… resolve through the package's own exports
//   to dist/, as for a user: run `npm run build` first (`npm test` does).
// - msw's service worker at `/mockServiceWorker.js` (no `msw init`).
// - One mock server (test/mock-server/server.mjs) for the whole run: requests to `/api/...`
//   are proxied to it same-origin, streamed (SSE) without buffering, and
//   `GET /__mock-server` answers `{"url": "http://127.0.0.1:PORT", "stats": {...}}` for
//   cross-origin use and for counting requests (404 with `{"url": null}` while the mock
//   server module does not exist).
import http from 'node:http';
import {createReadStream, existsSync} from 'node:fs';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {esbuildPlugin} from '@web/dev-server-esbuild';
import {chromeLauncher} from '@web/test-runner-chrome';
import {defaultReporter} from '@web/test-runner';
import {countingReporter} from './test/wtr-reporter.mjs';
import {chromeArgs, chromePath} from './test/chromium.mjs';
import {reactAsEsm} from './test/adapters/react-as-esm.mjs';
import {svelteComponents} from './test/adapters/svelte-components.mjs';

const mockServerModule = fileURLToPath(new URL('./test/mock-server/server.mjs', import.meta.url));
const tsconfig = fileURLToPath(new URL('./tsconfig.json', import.meta.url));
const mswWorker = fileURLToPath(
  new URL('./node_modules/msw/lib/mockServiceWorker.js', import.meta.url),
);

/** Vue's builds for bundlers read `process.env.NODE_ENV` and feature flags a bundler defines. */
const vueDefines = {
  name: 'upload-progress-vue-defines',
  transform(context) {
    if (!/\/node_modules\/(vue|@vue\/[^/]+)\//.test(context.path)) return undefined;
    const body = String(context.body)
      .replaceAll('process.env.NODE_ENV', '"development"')
      .replaceAll('__VUE_OPTIONS_API__', 'true')
      .replaceAll('__VUE_PROD_DEVTOOLS__', 'false')
      .replaceAll('__VUE_PROD_HYDRATION_MISMATCH_DETAILS__', 'false');
    return {body};
  },
};

/** @type {{url: string, port: number, close(): unknown} | undefined} */
let mockServer;

/** Starts the mock server with the dev server and stops it with it. */
const mockServerPlugin = {
  name: 'upload-progress-mock-server',
  async serverStart({logger}) {
    if (!existsSync(mockServerModule)) {
      logger.log('mock server: test/mock-server/server.mjs not found, /api/ is not proxied');
      return;
    }
    const {startMockServer} = await import(pathToFileURL(mockServerModule).href);
    mockServer = await startMockServer({port: 0});
  },
  async serverStop() {
    await mockServer?.close();
    mockServer = undefined;
  },
};

const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'upgrade',
]);
const withoutHopByHop = (headers) =>
  Object.fromEntries(Object.entries(headers).filter(([name]) => !hopByHop.has(name)));

/** Pipes one request to the mock server and its answer back, chunk by chunk. */
function proxy(req, res, base) {
  return new Promise((resolve) => {
    const target = new URL(req.url, base);
    const upstream = http.request(target, {
      method: req.method,
      headers: {...withoutHopByHop(req.headers), host: target.host},
    });
    upstream.on('response', (answer) => {
      res.writeHead(
        answer.statusCode ?? 502,
        answer.statusMessage,
        withoutHopByHop(answer.headers),
      );
      res.flushHeaders();
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    });
    upstream.on('error', (error) => {
      if (res.headersSent) res.destroy();
      else {
        res.writeHead(502, {'content-type': 'text/plain'});
        res.end(`mock server proxy: ${error.message}`);
      }
    });
    // The browser went away (a test closed its stream): stop the upstream request too.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
      resolve();
    });
    req.pipe(upstream);
  });
}

/** @type {import('@web/dev-server-core').Middleware[]} */
const middleware = [
  async function mswServiceWorker(ctx, next) {
    if (ctx.path !== '/mockServiceWorker.js') return next();
    ctx.set('cache-control', 'no-store');
    ctx.type = 'application/javascript';
    ctx.body = createReadStream(mswWorker);
  },
  async function mockServerInfo(ctx, next) {
    if (ctx.path !== '/__mock-server') return next();
    ctx.set('cache-control', 'no-store');
    ctx.status = mockServer ? 200 : 404;
    // `stats` (request counts, attempts per upload id, open streams) when the mock offers them.
    ctx.body = {url: mockServer?.url ?? null, stats: mockServer?.stats?.() ?? null};
  },
  async function mockServerProxy(ctx, next) {
    if (!ctx.path.startsWith('/api/')) return next();
    if (!mockServer) {
      ctx.status = 502;
      ctx.body = 'mock server proxy: test/mock-server/server.mjs not found';
      return;
    }
    ctx.respond = false;
    await proxy(ctx.req, ctx.res, mockServer.url);
  },
];

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  files: ['test/**/*.test.{ts,tsx}', 'components/**/*.test.ts', '!test/node/**'],
  // `browser`: packages' browser builds (Svelte's client runtime), as a bundler picks them.
  nodeResolve: {exportConditions: ['browser', 'development']},
  concurrency: 2,
  testsFinishTimeout: 180_000,
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: chromePath,
        args: chromeArgs,
      },
    }),
  ],
  // Lit's development build runs in tests (its warnings catch real mistakes); only its
  // once-per-page "dev mode" notice is silenced.
  testRunnerHtml: (testFramework) => `<!doctype html>
<html>
  <body>
    <script>window.litIssuedWarnings = new Set(['dev-mode']);</script>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
  plugins: [
    esbuildPlugin({ts: true, tsx: true, target: 'es2022', tsconfig}),
    reactAsEsm,
    svelteComponents,
    vueDefines,
    mockServerPlugin,
  ],
  middleware,
  reporters: [defaultReporter(), countingReporter()],
  // Angular announces its development mode at every bootstrap.
  filterBrowserLogs: ({args}) => args[0] !== 'Angular is running in development mode.',
};
