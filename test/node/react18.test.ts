// React 18 in Chromium, beside the React 19 the browser tests run: a page bundled by esbuild
// with `react`/`react-dom` aliased to the `react18`/`react-dom18` devDependencies (npm
// aliases), the adapter from dist/ through the package's exports, the mock backend as the
// server. React 18 writes a custom element's props as attribute strings, so this is where
// <UploadProgressModal> must set properties itself.
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {after, before, describe, it} from 'node:test';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {chromium, type Browser, type Page} from 'playwright-core';
import {chromeArgs, chromePath} from '../chromium.mjs';
import {startMockServer, type MockServer} from '../mock-server/server.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>React 18</title></head>
<body><div id="root"></div><script src="/app.js"></script></body></html>`;

interface Seen {
  managerIsObject: boolean;
  managerAttribute: string | null;
  uploadIdsAttribute: string | null;
  classAttribute: string | null;
  uploadIds: string[] | null;
  open: boolean;
}
interface E2e {
  version: string;
  closes: string[];
  render(uploads: unknown[] | null, modalOnly?: boolean): void;
  upload(files: [string, number][], mock: object): Promise<{upload_id: string}[]>;
  element(): Seen;
  rowsText(): string;
  output(): string;
  records(): number;
}
declare const e2e: E2e;

describe('React 18 (npm alias react18): <UploadProgressModal> and the hooks in Chromium', () => {
  let server: MockServer;
  let browser: Browser;
  let app = '';

  before(async () => {
    assert.ok(existsSync(new URL('../../dist/index.js', import.meta.url)), 'run npm run build');
    const result = await build({
      entryPoints: [fileURLToPath(new URL('react18-app.tsx', import.meta.url))],
      bundle: true,
      format: 'iife',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
      absWorkingDir: root,
      // Not the repository's tsconfig.json, whose `paths` map the package to its sources: the
      // package resolves through its exports to dist/, as in a user's bundler.
      tsconfigRaw: {},
      jsx: 'automatic',
      alias: {react: 'react18', 'react-dom': 'react-dom18'},
      define: {'process.env.NODE_ENV': '"development"'},
    });
    app = result.outputFiles[0]!.text;
    const serve = (req: IncomingMessage, res: ServerResponse) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/') res.writeHead(200, {'content-type': 'text/html'}).end(PAGE);
      else if (path === '/app.js') res.writeHead(200, {'content-type': 'text/javascript'}).end(app);
      else res.writeHead(204).end(); // favicon.ico
    };
    server = await startMockServer({port: 0, fallback: serve});
    browser = await chromium.launch({executablePath: chromePath, args: chromeArgs});
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(): Promise<Page> {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text());
    });
    await page.goto(server.url);
    await page.waitForFunction(() => typeof e2e === 'object');
    page.once('close', () => assert.deepEqual(errors, [], 'no error or warning in the page'));
    return page;
  }

  it('sets the modal\'s properties (not "[object Object]" attributes), shows the names before the first record, and reports the close', async () => {
    const page = await open();
    assert.match(await page.evaluate(() => e2e.version), /^18\./);
    // Progress held back for a while: the rows can only know the names from the page.
    const uploads = await page.evaluate(() =>
      e2e.upload(
        [
          ['first-report.pdf', 3000],
          ['second-photo.jpg', 1000],
        ],
        {silentFirstMs: 400, heartbeatMs: 50, stepMs: 20, steps: 3},
      ),
    );
    await page.evaluate((list) => e2e.render(list), uploads);
    const seen = await page.evaluate(() => e2e.element());
    assert.deepEqual(seen, {
      managerIsObject: true,
      managerAttribute: null,
      uploadIdsAttribute: null,
      classAttribute: 'uploads',
      uploadIds: uploads.map((upload) => upload.upload_id),
      open: seen.open,
    });
    await page.waitForFunction(() => e2e.element().open, undefined, {timeout: 5000});
    await page.waitForFunction(() =>
      /first-report\.pdf[\s\S]*second-photo\.jpg/.test(e2e.rowsText()),
    );
    const early = await page.evaluate(() => ({rows: e2e.rowsText(), output: e2e.output()}));
    assert.equal(early.output, '0 false', 'no record yet: the names came from the page');
    for (const {upload_id} of uploads) assert.ok(!early.rows.includes(upload_id), 'no raw id');

    await page.waitForFunction(() => e2e.output() === '2 true');
    await page.waitForFunction(() => e2e.closes.length > 0);
    assert.deepEqual(await page.evaluate(() => e2e.closes), ['auto']);
    await page.close();
  });

  it('<UploadProgressModal uploadIds> alone, given names and sizes, shows them before the first record', async () => {
    const page = await open();
    const uploads = await page.evaluate(() =>
      e2e.upload([['only-in-props.txt', 1234]], {silentFirstMs: 400, heartbeatMs: 50}),
    );
    await page.evaluate((list) => e2e.render(list, true), uploads);
    // Whichever comes first: the name in the rows, or a record (which would bring the name).
    await page.waitForFunction(
      () => /only-in-props\.txt/.test(e2e.rowsText()) || e2e.records() > 0,
    );
    const seen = await page.evaluate(() => ({rows: e2e.rowsText(), records: e2e.records()}));
    assert.equal(seen.records, 0, 'the name came before any record');
    assert.match(seen.rows, /only-in-props\.txt/);
    assert.ok(!seen.rows.includes(uploads[0]!.upload_id), 'no raw id');
    await page.close();
  });
});
