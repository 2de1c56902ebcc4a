// Issue 13 in headless Chromium, where the subject is the page: a strict Content-Security-Policy
// with Trusted Types (served as a header, as a real site sends it), and a progress URL that
// redirects to another origin, followed (or not) by the browser's own fetch.
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {after, before, describe, it} from 'node:test';
import {chromium, type Browser, type Page} from 'playwright-core';
import {chromeArgs, chromePath} from '../chromium.mjs';

const dist = (file: string) => new URL(`../../dist/${file}`, import.meta.url);
const NONCE = 'n0nce';

/** A page that records errors and CSP violations, then loads `scripts` by tag. */
function page(scripts: string[]): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>csp</title>
<script nonce="${NONCE}">
  window.problems = [];
  addEventListener('error', (e) => problems.push('error: ' + e.message));
  document.addEventListener('securitypolicyviolation', (e) =>
    problems.push('violation: ' + e.violatedDirective + ' ' + e.sample));
</script>
${scripts.map((src) => `<script src="${src}"></script>`).join('\n')}
</head><body></body></html>`;
}

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

const completed = (id: string) =>
  `event: progress\ndata: ${JSON.stringify({upload_id: id, filename: 'theirs.bin', total_bytes: 5, uploaded_bytes: 5, status: 'completed', progress_percentage: 100})}\n\n`;

describe('hostile servers, in Chromium', () => {
  let browser: Browser;
  let site: http.Server;
  let other: http.Server;
  let siteUrl = '';
  let otherUrl = '';
  /** Requests the other origin received: method and the API key header. */
  const otherRequests: {method: string; apiKey: string | undefined}[] = [];

  before(async () => {
    other = http.createServer((req, res) => {
      otherRequests.push({method: req.method!, apiKey: req.headers['x-api-key'] as string});
      const cors = {
        'access-control-allow-origin': siteUrl,
        'access-control-allow-headers': 'x-api-key, last-event-id',
        'access-control-allow-credentials': 'true',
      };
      if (req.method === 'OPTIONS') return void res.writeHead(204, cors).end();
      res.writeHead(200, {...cors, 'content-type': 'text/event-stream'}).end(completed('moved'));
    });
    otherUrl = await listen(other);
    site = http.createServer((req, res) => {
      const url = new URL(req.url!, siteUrl);
      const trustedTypes = url.searchParams.get('tt') ?? 'app';
      const csp =
        `default-src 'self'; script-src 'self' 'nonce-${NONCE}'; connect-src 'self' ${otherUrl}; ` +
        `require-trusted-types-for 'script'; trusted-types ${trustedTypes}`;
      const html = (scripts: string[]) =>
        res
          .writeHead(200, {'content-type': 'text/html', 'content-security-policy': csp})
          .end(page(scripts));
      if (url.pathname === '/full') return html(['/dist/upload-progress.min.js']);
      if (url.pathname === '/full-twice')
        return html(['/dist/upload-progress.min.js', '/dist/upload-progress.min.js?again']);
      if (url.pathname === '/core') return html(['/dist/upload-progress.core.min.js']);
      if (url.pathname.startsWith('/dist/')) {
        res.writeHead(200, {'content-type': 'text/javascript'});
        return void res.end(readFileSync(dist(url.pathname.slice(6))));
      }
      if (url.pathname === '/api/files/progress/moved') {
        return void res.writeHead(302, {location: `${otherUrl}${url.pathname}`}).end();
      }
      if (url.pathname === '/api/files/progress/ok') {
        return void res.writeHead(200, {'content-type': 'text/event-stream'}).end(completed('ok'));
      }
      res.writeHead(404).end();
    });
    siteUrl = await listen(site);
    browser = await chromium.launch({executablePath: chromePath, args: chromeArgs});
  });
  after(async () => {
    await browser?.close();
    site?.closeAllConnections();
    other?.closeAllConnections();
    await Promise.all([site, other].map((s) => new Promise((resolve) => s?.close(resolve))));
  });

  async function open(path: string): Promise<Page> {
    const tab = await browser.newPage();
    await tab.goto(siteUrl + path);
    return tab;
  }
  const problems = (tab: Page) =>
    tab.evaluate(() => (window as unknown as {problems: string[]}).problems);
  const hasCore = (tab: Page) =>
    tab.evaluate(
      () =>
        typeof (window as {UploadProgress?: {UploadProgressStream?: unknown}}).UploadProgress
          ?.UploadProgressStream,
    );

  /** Follows `id` with the page's UploadProgressStream: its final record and error kind. */
  const follow = (tab: Page, id: string) =>
    tab.evaluate(
      (id) =>
        new Promise<{status: string; filename: string; error?: string | null; kind?: string}>(
          (resolve) => {
            const {UploadProgressStream} = (
              window as unknown as {UploadProgress: typeof import('../../src/index.js')}
            ).UploadProgress;
            const stream = new UploadProgressStream(id, {
              headers: {'X-Api-Key': 'secret'},
              credentials: 'include',
            });
            stream.subscribe((p) => {
              if (p && p.status !== 'uploading')
                resolve({
                  status: p.status,
                  filename: p.filename,
                  error: p.error,
                  kind: stream.error?.kind,
                });
            });
          },
        ),
      id,
    );

  it('under a CSP whose trusted-types list lacks lit-html, the full bundle cannot load, and says why', async () => {
    const tab = await open('/full');
    assert.equal(await hasCore(tab), 'undefined');
    const said = (await problems(tab)).join('\n');
    assert.match(said, /lit-html/);
    assert.match(said, /violation: trusted-types/);
    await tab.close();
  });

  it('the core-only script tag loads under that CSP and follows an upload', async () => {
    const tab = await open('/core');
    assert.equal(await hasCore(tab), 'function');
    const result = await follow(tab, 'ok');
    assert.equal(result.status, 'completed');
    assert.deepEqual(await problems(tab), []);
    await tab.close();
  });

  it("with lit-html allowed the full bundle loads; a second copy needs 'allow-duplicates'", async () => {
    const allowed = await open('/full?tt=lit-html');
    assert.equal(await hasCore(allowed), 'function');
    assert.deepEqual(await problems(allowed), []);
    await allowed.close();
    const twice = await open('/full-twice?tt=lit-html');
    assert.match((await problems(twice)).join('\n'), /lit-html/);
    await twice.close();
    const duplicates = await open(
      `/full-twice?tt=${encodeURIComponent("lit-html 'allow-duplicates'")}`,
    );
    assert.equal(await hasCore(duplicates), 'function');
    assert.deepEqual(await problems(duplicates), []);
    await duplicates.close();
  });

  it("a redirect to another origin: the browser's fetch does not follow it, nothing is sent there, the upload ends failed", async () => {
    const tab = await open('/core');
    const result = await follow(tab, 'moved');
    assert.equal(result.status, 'failed');
    assert.equal(result.kind, 'redirected');
    assert.match(result.error!, /Point progressUrl at the final URL/);
    assert.notEqual(result.filename, 'theirs.bin');
    assert.deepEqual(otherRequests, []);
    await tab.close();
  });
});
