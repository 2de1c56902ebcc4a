// Server-side rendering: importing any entry and rendering with React 19, React 18 and Vue's
// server renderers opens nothing, warns nothing and leaves nothing alive (see
// ssr-render.mjs, which runs in a child `node` through the package's exports to dist/; run
// `npm run build` first, `npm test` does). React 18 runs from a bundle with `react` aliased
// to the `react18` devDependency, since React 19 is the one installed under its own name.
import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {promisify} from 'node:util';
import {build} from 'esbuild';

const root = fileURLToPath(new URL('../../', import.meta.url));
const script = fileURLToPath(new URL('ssr-render.mjs', import.meta.url));

interface Rendered {
  html: string;
  fetches: number;
  warnings: string[];
  resources: string[];
}

/** Runs a script in a plain `node` (no tsx, whose tsconfig paths would map the package to src/). */
async function render(file: string, what: string): Promise<Rendered> {
  // The child must end by itself: a render that left a timer or a socket would keep it
  // (and this test) waiting, which the test runner reports as a failure.
  const {stdout} = await promisify(execFile)(process.execPath, [file, what], {cwd: root});
  return JSON.parse(stdout) as Rendered;
}

function assertQuiet(seen: Rendered): void {
  assert.equal(seen.fetches, 0, 'no request on the server');
  assert.deepEqual(seen.warnings, [], 'no warning');
  assert.deepEqual(seen.resources, [], 'nothing left alive (timers, sockets)');
}

test('every entry point imports in Node without a window, warning or opening nothing', async () => {
  assertQuiet(await render(script, 'imports'));
});

test('React 19: renderToString of the hooks and <UploadProgressModal> (names given) opens nothing, warns nothing', async () => {
  const seen = await render(script, 'react');
  assert.match(seen.html, /^19\./);
  assert.match(
    seen.html,
    /<p>none 0 0<\/p><upload-progress-modal class="uploads"><\/upload-progress-modal>/,
  );
  assertQuiet(seen);
});

test('React 18: the same render, no "useLayoutEffect does nothing on the server" warning', async () => {
  const result = await build({
    entryPoints: [script],
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    logLevel: 'silent',
    absWorkingDir: root,
    // Not the repository's tsconfig.json, whose `paths` map the package to its sources: the
    // package resolves through its exports to dist/, as in a user's bundler.
    tsconfigRaw: {},
    // React 18 under its own name, for the page and for the package's adapter alike.
    alias: {react: 'react18', 'react-dom': 'react-dom18'},
    external: ['vue', '@angular/core', 'lit-html', 'lit-html/*', 'eventsource-parser'],
    define: {'process.env.NODE_ENV': '"development"'},
    // React 18 is CommonJS: its require() calls need a require in an ES module.
    banner: {
      js: "import {createRequire} from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  mkdirSync(join(root, 'node_modules', '.cache'), {recursive: true});
  const bundle = join(root, 'node_modules', '.cache', 'upload-progress-ssr-react18.mjs');
  writeFileSync(bundle, result.outputFiles[0]!.text);
  const seen = await render(bundle, 'react');
  assert.match(seen.html, /^18\./);
  assert.match(
    seen.html,
    /<p>none 0 0<\/p><upload-progress-modal class="uploads"><\/upload-progress-modal>/,
  );
  assertQuiet(seen);
});

test('Vue: renderToString (vue/server-renderer) with uploads known at render time opens nothing and lets Node exit', async () => {
  const seen = await render(script, 'vue');
  assert.match(seen.html, /^3\.\d+\.\d+ <p>none 0 0<\/p>$/);
  assertQuiet(seen);
});
