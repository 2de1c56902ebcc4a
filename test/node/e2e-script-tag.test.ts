// End to end, as a plain page uses the SDK: the built dist/upload-progress.min.js loaded by a
// <script> tag, the mock backend (a real HTTP server on 127.0.0.1 with real SSE, one per
// test file so its counts are this file's alone), headless Chromium driven by playwright.
import assert from 'node:assert/strict';
import {createReadStream, existsSync} from 'node:fs';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {after, before, describe, it} from 'node:test';
import {chromeArgs, chromePath} from '../chromium.mjs';
import {chromium, type Browser, type Page} from 'playwright-core';
import {startMockServer, type MockServer} from '../mock-server/server.mjs';

const DIST = new URL('../../dist/', import.meta.url);
const BUNDLE = new URL('upload-progress.min.js', DIST).pathname;
const SIBLING = '/dist/upload-progress.uploading.min.js';

/** A page with nothing but the script tag, an element, and an upload helper. */
const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>e2e</title></head>
<body><button id="opener">Upload</button>
<upload-progress-modal auto-close-delay="150"></upload-progress-modal>
<script src="/dist/upload-progress.min.js"></script>
<script>
  const modal = document.querySelector('upload-progress-modal');
  const shared = () => UploadProgress.getUploadProgressManager();
  window.e2e = {
    closes: [],
    async upload(files, mock) {
      const form = new FormData();
      for (const [name, size] of files) form.append('files', new File([new Uint8Array(size)], name));
      form.append('path', 'e2e');
      form.append('mock', JSON.stringify(mock));
      const response = await fetch('/api/files/upload', {method: 'POST', body: form});
      if (!response.ok) throw new Error('upload answered ' + response.status);
      return (await response.json()).upload_ids;
    },
    showInModal(ids) {
      modal.uploadIds = ids;
    },
    dialogOpen() {
      const dialog = modal.shadowRoot.querySelector('dialog');
      return dialog.open && dialog.matches(':modal') && dialog.getBoundingClientRect().height > 0;
    },
    rowsText() {
      return modal.shadowRoot.querySelector('upload-progress-list')?.shadowRoot?.textContent ?? '';
    },
    snapshot: () => shared().getSnapshot(),
    statuses(ids) {
      const {progressMap} = shared().getSnapshot();
      return ids.map((id) => progressMap.get(id)?.status ?? null);
    },
    followWithNewManager(ids) {
      const manager = new UploadProgress.UploadProgressManager();
      return new Promise((resolve) => {
        manager.subscribe((s) => {
          if (s.allSettled) resolve(Object.fromEntries(s.progressMap));
        });
        manager.track(ids);
      });
    },
  };
  modal.addEventListener('close', (event) => e2e.closes.push(event.detail.reason));
</script></body></html>`;

/** Paths of the files under /dist/ the pages asked for, in order (the lazy siblings' proof). */
const fetched: string[] = [];

/** Methods of the requests to `/refuse`, an upload URL that answers 403 to everything. */
const refused: string[] = [];

/** `/csp`: the same page under a Content-Security-Policy that allows scripts of its origin. */
const CSP = "default-src 'self'; script-src 'self' 'nonce-e2e'; style-src 'self' 'unsafe-inline'";

function serve(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const file = /^\/dist\/(upload-progress[\w.-]*\.js)$/.exec(path)?.[1];
  if (path === '/') {
    res.writeHead(200, {'content-type': 'text/html; charset=utf-8'}).end(PAGE);
  } else if (path === '/csp') {
    res
      .writeHead(200, {'content-type': 'text/html; charset=utf-8', 'content-security-policy': CSP})
      .end(PAGE.replace('<script>\n', '<script nonce="e2e">\n'));
  } else if (path === '/refuse') {
    refused.push(req.method ?? '');
    req.resume();
    req.on('end', () => res.writeHead(403).end());
  } else if (path === '/blank') {
    res
      .writeHead(200, {'content-type': 'text/html; charset=utf-8'})
      .end('<!doctype html><title>blank</title>');
  } else if (path === '/broken') {
    // The script served from a folder without its sibling.
    res
      .writeHead(200, {'content-type': 'text/html; charset=utf-8'})
      .end(PAGE.replace('/dist/upload-progress.min.js', '/broken/upload-progress.min.js'));
  } else if (path === '/broken/upload-progress.min.js') {
    res.writeHead(200, {'content-type': 'text/javascript'});
    createReadStream(BUNDLE).pipe(res);
  } else if (file && existsSync(new URL(file, DIST))) {
    fetched.push(path);
    res.writeHead(200, {'content-type': 'text/javascript', 'cache-control': 'no-store'});
    createReadStream(new URL(file, DIST)).pipe(res);
  } else {
    res.writeHead(404).end();
  }
}

const FAST = {stepMs: 20, steps: 5};

describe('end to end through the script-tag bundle', () => {
  let server: MockServer;
  let browser: Browser;

  before(async () => {
    assert.ok(existsSync(BUNDLE), 'dist/upload-progress.min.js is missing: run npm run build');
    server = await startMockServer({port: 0, fallback: serve});
    browser = await chromium.launch({
      executablePath: chromePath,
      args: chromeArgs,
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(path = '/'): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
    await page.goto(new URL(path, server.url).href);
    await page.waitForFunction(() => customElements.get('upload-progress-modal') !== undefined);
    return page;
  }

  /** Uploads files ([name, size]) with the page's own fetch; the server's ids. */
  const upload = (page: Page, files: [string, number][], mock: object): Promise<string[]> =>
    page.evaluate(([files, mock]) => e2e.upload(files, mock), [files, mock] as const);

  /** Hands the ids to the page's modal, as the seed's page does. */
  const showInModal = (page: Page, ids: string[]): Promise<void> =>
    page.evaluate((ids) => e2e.showInModal(ids), ids);

  /** The status of each id in the page's shared manager (null before its first record). */
  const statuses = (page: Page, ids: string[]): Promise<(string | null)[]> =>
    page.evaluate((ids) => e2e.statuses(ids), ids);

  /** Waits until every id is completed or failed in the page's shared manager. */
  const settled = (page: Page, ids: string[], timeout = 15_000) =>
    page.waitForFunction(
      (ids) => e2e.statuses(ids).every((s) => s === 'completed' || s === 'failed'),
      ids,
      {timeout},
    );

  /** The text of the modal's rows. */
  const rowsText = (page: Page): Promise<string> => page.evaluate(() => e2e.rowsText());

  it("the seed's flow: POST, hand the ids to the modal, every row completes, the modal closes by itself", async () => {
    const page = await open();
    // Slow enough to see the rows before the modal closes by itself, even on a loaded machine
    // (at 400 ms a run with five other jobs once missed them).
    const ids = await upload(
      page,
      [
        ['a.txt', 1000],
        ['b.pdf', 3000],
        ['c.png', 2000],
      ],
      {stepMs: 150, steps: 10},
    );
    assert.equal(ids.length, 3);
    await page.focus('#opener');
    await showInModal(page, ids);
    // The host has no box of its own (the <dialog> sits in the top layer): check the dialog.
    await page.waitForFunction(() => e2e.dialogOpen());
    // Rows render on the next frame: wait for one per file.
    await page.waitForFunction(
      (names) => names.every((name) => e2e.rowsText().includes(name)),
      ['a.txt', 'b.pdf', 'c.png'],
    );
    await page.waitForFunction(() => e2e.closes.length > 0, null, {timeout: 15_000});
    assert.deepEqual(await page.evaluate(() => e2e.closes), ['auto']);
    assert.deepEqual(await statuses(page, ids), ['completed', 'completed', 'completed']);
    assert.equal(
      await page.evaluate(() => document.activeElement?.id),
      'opener',
      'focus returns to the opener',
    );
    await page.close();
  });

  it('with one failure the modal stays open and shows the reason', async () => {
    const page = await open();
    const ids = await upload(
      page,
      [
        ['ok.txt', 500],
        ['broken.csv', 800],
      ],
      {
        ...FAST,
        fail: ['broken.csv'],
        failMessage: 'Processing failed: corrupted file',
      },
    );
    await showInModal(page, ids);
    await settled(page, ids);
    // Several times the auto-close delay (150 ms): long enough for a wrong close to happen.
    await page.waitForTimeout(600);
    assert.equal(await page.evaluate(() => e2e.dialogOpen()), true);
    assert.deepEqual(await page.evaluate(() => e2e.closes), []);
    assert.match(await rowsText(page), /Processing failed: corrupted file/);
    await page.close();
  });

  it('a late subscriber sees a finished upload; an unknown id ends failed quickly', async () => {
    const page = await open();
    const [id] = await upload(page, [['early.txt', 100]], FAST);
    // The server finishes it with nobody listening.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (server.getProgress(id!)?.status === 'completed') {
          clearInterval(poll);
          resolve();
        }
      }, 10);
    });
    const result = await page.evaluate(
      (id) => e2e.followWithNewManager([id, 'no-such-upload']),
      id!,
    );
    assert.equal(result[id!]!.status, 'completed');
    assert.equal(result['no-such-upload']!.status, 'failed');
    assert.match(result['no-such-upload']!.error ?? '', /404.*Upload not found/);
    await page.close();
  });

  it("dozens of uploads: all finish, the budget holds on the server, the page's own requests go through", async () => {
    const page = await open();
    server.reset();
    const files = Array.from({length: 30}, (_, i): [string, number] => [`file-${i}.bin`, 200 + i]);
    const ids = await upload(page, files, {stepMs: 40, steps: 4});
    await showInModal(page, ids);
    await page.waitForFunction(() => e2e.snapshot().waiting > 0);
    // Six requests of the page's own, at once; they must finish while uploads are in flight.
    const own = await page.evaluate(async () => {
      const codes = await Promise.all(
        Array.from({length: 6}, (_, i) =>
          fetch(`/dist/upload-progress.min.js?own=${i}`).then((r) => r.status),
        ),
      );
      return {codes, uploadsStillRunning: !e2e.snapshot().allSettled};
    });
    assert.deepEqual(own, {codes: [200, 200, 200, 200, 200, 200], uploadsStillRunning: true});
    await settled(page, ids, 30_000);
    assert.ok(
      server.stats().peakOpenStreams <= 4,
      `peak ${server.stats().peakOpenStreams} streams`,
    );
    assert.deepEqual(new Set(await statuses(page, ids)), new Set(['completed']));
    await page.close();
  });

  it('streams cut and attempts refused: every upload ends in its true state', async () => {
    const page = await open();
    const files: [string, number][] = [
      ['one.txt', 300],
      ['two.txt', 400],
      ['bad.txt', 500],
      ['four.txt', 600],
    ];
    // Processing outlasts the round trips before the page connects, even on a loaded machine
    // (at 360 ms a run once found every upload finished at its first attempt).
    const ids = await upload(page, files, {
      stepMs: 150,
      steps: 6,
      cutAfterMs: 90,
      statusOnAttempt: {'2': 503, '3': 429},
      retryAfter: null,
      fail: ['bad.txt'],
    });
    await showInModal(page, ids);
    await settled(page, ids, 30_000);
    const shown = await statuses(page, ids);
    const truth = ids.map((id) => server.getProgress(id)?.status);
    assert.deepEqual(shown, truth);
    assert.deepEqual(shown, ['completed', 'completed', 'failed', 'completed']);
    assert.ok(
      Object.values(server.stats().attempts).some((n) => n >= 3),
      'connections were really cut and refused',
    );
    await page.close();
  });
  it('survives a reload: persisted uploads resume in the modal and reach their true state', async () => {
    const page = await open();
    // Slow processing, so the uploads are still running when the page goes away.
    const ids: string[] = await page.evaluate(async () => {
      const modal = document.querySelector('upload-progress-modal') as unknown as {
        upload(files: File[], options: object): Promise<string[]>;
      };
      const files = ['a.txt', 'b.txt', 'bad.txt'].map(
        (name) => new File([new Uint8Array(500)], name),
      );
      return modal.upload(files, {
        path: 'reload',
        persist: true,
        fields: {mock: JSON.stringify({stepMs: 150, steps: 8, fail: ['bad.txt']})},
      });
    });
    assert.equal(ids.length, 3);
    assert.ok(
      ids.every((id) => server.getProgress(id)?.status === 'uploading'),
      'still processing',
    );
    await page.reload();
    await page.waitForFunction(() => customElements.get('upload-progress-modal') !== undefined);
    // A fresh page: nothing tracked until it resumes from sessionStorage.
    assert.equal(await page.evaluate(() => e2e.snapshot().allSettled), false);
    const resumed: string[] = await page.evaluate(() => {
      const ids = (
        window as unknown as {UploadProgress: {resumeUploads(): string[]}}
      ).UploadProgress.resumeUploads();
      e2e.showInModal(ids);
      return ids;
    });
    assert.deepEqual([...resumed].sort(), [...ids].sort());
    await page.waitForFunction(() => e2e.dialogOpen());
    await settled(page, ids);
    const shown = await statuses(page, ids);
    assert.deepEqual(
      shown,
      ids.map((id) => server.getProgress(id)?.status),
    );
    assert.deepEqual(shown, ['completed', 'completed', 'failed']);
    await page.close();
  });

  it('after a reload, a resumable file chosen again before the sending code is there goes on in its own row', async () => {
    const page = await open();
    fetched.length = 0;
    // As source text: tsx would name the fake's functions with a helper the page lacks.
    const found = (await page.evaluate(`(async () => {
      // What persist stored for a resumable file a reload cut short.
      sessionStorage.setItem('upload-progress', JSON.stringify([
        {ref: 'old-1', upload_id: null, filename: 'a.txt', total_bytes: 1, resume: 'fp:a.txt'},
      ]));
      const [key] = UploadProgress.resumeUploads();
      const sent = [];
      // A resumable transfer of the page's own (tusTransfer() needs tus-js-client).
      const tus = {
        fingerprint: (file) => 'fp:' + file.name,
        send: (file, job) => {
          sent.push(job.handle.key);
          job.handle.progress(file.size);
          return {pause() {}, resume() {}, retry() {}, throttle() {}};
        },
        throttle() {},
      };
      const manager = UploadProgress.getUploadProgressManager();
      const task = UploadProgress.uploadFiles([new File(['x'], 'a.txt')], {tus});
      const early = {keys: [...task.keys], total: manager.getSnapshot().total};
      for (let i = 0; i < 200 && sent.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
      return {key, early, sent, total: manager.getSnapshot().total};
    })()`)) as {key: string; early: {keys: string[]; total: number}; sent: string[]; total: number};
    assert.deepEqual(fetched, [SIBLING], 'the sending code came after the call');
    assert.deepEqual(found.early, {keys: [found.key], total: 1}, 'its row, not a second one');
    assert.deepEqual(found.sent, [found.key], 'sent under the key of its row');
    assert.equal(found.total, 1);
    await page.close();
  });

  it('a file a reload interrupted, restored only after uploadFiles() and before the sending code is there: every file goes under its own row', async () => {
    const page = await open();
    // As source text: tsx would name the fake's functions with a helper the page lacks.
    const found = (await page.evaluate(`(async () => {
      sessionStorage.setItem('upload-progress', JSON.stringify([
        {ref: 'old-1', upload_id: null, filename: 'a.txt', total_bytes: 1, resume: 'fp:a.txt'},
      ]));
      const sent = [];
      const tus = {
        fingerprint: (file) => 'fp:' + file.name,
        send: (file, job) => {
          sent.push([file.name, job.handle.key]);
          job.handle.progress(file.size);
          return {pause() {}, resume() {}, retry() {}, throttle() {}};
        },
        throttle() {},
      };
      const manager = UploadProgress.getUploadProgressManager();
      const task = UploadProgress.uploadFiles([new File(['x'], 'a.txt'), new File(['yy'], 'b.txt')], {tus});
      // The page restores what a reload interrupted right after (its start-up ran late).
      UploadProgress.resumeUploads();
      for (let i = 0; i < 200 && sent.length < 2; i++) await new Promise((r) => setTimeout(r, 25));
      const rows = [...manager.getSnapshot().uploads.values()].map((e) => [e.uploadId, e.filename, e.transferredBytes]);
      return {keys: [...task.keys], sent, rows};
    })()`)) as {keys: string[]; sent: [string, string][]; rows: [string, string, number][]};
    assert.deepEqual(
      found.sent,
      [
        ['a.txt', found.keys[0]],
        ['b.txt', found.keys[1]],
      ],
      'each file under the key the task returned',
    );
    const sentKeys = new Set(found.sent.map(([, key]) => key));
    const stuck = found.rows.filter(
      ([key, , bytes]) => !sentKeys.has(key) && bytes === 0 && found.keys.includes(key),
    );
    assert.deepEqual(stuck, [], 'no row of the task left unsent');
    await page.close();
  });

  it('uploadFiles() on a plain page: the sending code is fetched on the first call only, then calls are direct', async () => {
    const page = await open();
    fetched.length = 0;
    // Following uploads needs no sending code.
    const [early] = await upload(page, [['early.txt', 100]], FAST);
    await page.evaluate((id) => e2e.showInModal([id]), early!);
    await settled(page, [early!]);
    assert.deepEqual(fetched, [], 'nothing fetched for following uploads');

    const first = await page.evaluate(async (mock) => {
      const files = [new File([new Uint8Array(700)], 'one.txt'), new File(['hi'], 'two.txt')];
      const task = UploadProgress.uploadFiles(files, {
        path: 'lazy',
        fields: {mock: JSON.stringify(mock)},
      });
      // Before the sending code arrived: keys at once, rows tracked from the call.
      const {uploads} = UploadProgress.getUploadProgressManager().getSnapshot();
      const phases = task.keys.map((key) => uploads.get(key)?.phase);
      return {phases, ids: await task};
    }, FAST);
    assert.deepEqual(first.phases, ['transferring', 'transferring']);
    assert.equal(first.ids.length, 2);
    assert.deepEqual(fetched, [SIBLING], 'the sibling, once, on the first call');
    await settled(page, first.ids);
    assert.deepEqual(await statuses(page, first.ids), ['completed', 'completed']);

    const second = await page.evaluate(async (mock) => {
      const modal = document.querySelector('upload-progress-modal')!;
      const task = (modal as unknown as {upload: typeof UploadProgress.uploadFiles}).upload(
        [new File(['x'], 'three.txt')],
        {fields: {mock: JSON.stringify(mock)}},
      );
      const keys = [...task.keys];
      return {keys, ids: await task};
    }, FAST);
    assert.equal(second.keys.length, 1);
    assert.equal(second.ids.length, 1);
    assert.deepEqual(fetched, [SIBLING], 'fetched once for the page');
    await settled(page, second.ids);
    await page.close();
  });

  it("a file that failed to send shows a Retry button (it comes with the sending code's sibling) that sends it again", async () => {
    const page = await open();
    fetched.length = 0;
    refused.length = 0;
    await page.evaluate(() => {
      const modal = document.querySelector('upload-progress-modal') as unknown as {
        upload(files: File[], options: object): ReturnType<typeof UploadProgress.uploadFiles>;
      };
      // Made before the sibling is there: its controls act once it is.
      const task = modal.upload([new File(['x'], 'again.txt')], {url: '/refuse'});
      task.catch(() => {});
      (globalThis as unknown as {e2eTask: typeof task}).e2eTask = task;
    });
    // Playwright's role selectors look into the modal's and the list's shadow roots.
    const retry = page.getByRole('button', {name: 'Retry again.txt'});
    await retry.waitFor({timeout: 15_000});
    assert.deepEqual(fetched, [SIBLING], 'the button came with the sibling');
    assert.deepEqual(refused, ['POST']);
    const refusedPosts = async (n: number) => {
      for (let i = 0; i < 300 && refused.length < n; i++)
        await new Promise((r) => setTimeout(r, 50));
      return refused.length;
    };
    await retry.click();
    assert.equal(await refusedPosts(2), 2, 'sent again by the button');
    await retry.waitFor({timeout: 15_000});
    const controls = await page.evaluate(() => {
      const task = (
        globalThis as unknown as {e2eTask: ReturnType<typeof UploadProgress.uploadFiles>}
      ).e2eTask;
      const [key] = task.keys;
      let throttle = '';
      try {
        task.throttle(1000);
      } catch (error) {
        throttle = String(error);
      }
      return {
        action: UploadProgress.uploadAction(key!),
        paused: task.pause(),
        throttle,
        retried: task.retry(),
      };
    });
    assert.deepEqual(controls, {
      action: 'retry',
      paused: false,
      throttle: 'TypeError: throttle() needs the tus option.',
      retried: true,
    });
    assert.equal(await refusedPosts(3), 3, "sent again by the task's retry()");
    await page.close();
  });

  it('under a CSP that allows scripts of its own origin, modal.upload() loads the sibling and uploads', async () => {
    const page = await open('/csp');
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
    });
    fetched.length = 0;
    const ids: string[] = await page.evaluate(async (mock) => {
      const modal = document.querySelector('upload-progress-modal')!;
      return (modal as unknown as {upload: typeof UploadProgress.uploadFiles}).upload(
        [new File([new Uint8Array(300)], 'csp.txt')],
        {fields: {mock: JSON.stringify(mock)}},
      );
    }, FAST);
    assert.deepEqual(fetched, [SIBLING]);
    await page.waitForFunction(() => e2e.dialogOpen());
    await settled(page, ids);
    assert.deepEqual(await statuses(page, ids), ['completed']);
    assert.deepEqual(violations, []);
    await page.close();
  });

  it('without its sibling file, an upload fails at once with a clear error and rows that say so', async () => {
    const page = await open('/broken');
    const result = await page.evaluate(async () => {
      const task = UploadProgress.uploadFiles([new File(['x'], 'lost.txt')], {});
      const error = await task.then(
        () => null,
        (e: {kind: string; message: string}) => ({kind: e.kind, message: e.message}),
      );
      const {uploads} = UploadProgress.getUploadProgressManager().getSnapshot();
      const entry = uploads.get(task.keys[0]!);
      return {error, status: entry?.progress?.status, reason: entry?.progress?.error};
    });
    assert.equal(result.error?.kind, 'upload-network');
    assert.match(result.error?.message ?? '', /upload-progress\.uploading\.min\.js/);
    assert.equal(result.status, 'failed');
    assert.equal(result.reason, result.error?.message);
    await page.close();
  });

  it(
    'multiplexUrl: the batch code is fetched with the first batch and follows every upload over one stream; without that file, one stream per upload',
    {timeout: 60_000},
    async () => {
      for (const path of ['/', '/broken']) {
        const page = await open(path);
        const ids = await upload(
          page,
          [
            ['m1.txt', 100],
            ['m2.txt', 200],
          ],
          FAST,
        );
        server.reset();
        const statuses = await page.evaluate(
          (ids) =>
            new Promise<string[]>((resolve) => {
              const manager = new UploadProgress.UploadProgressManager({
                multiplexUrl: '/api/files/progress?multiplex=1',
              });
              manager.subscribe((s) => {
                if (s.allSettled) resolve(ids.map((id) => s.progressMap.get(id)?.status ?? ''));
              });
              manager.track(ids);
            }),
          ids,
        );
        assert.deepEqual(statuses, ['completed', 'completed'], path);
        const {requests} = server.stats();
        if (path === '/') {
          assert.ok(fetched.includes('/dist/upload-progress.multiplexed.min.js'));
          assert.equal(requests.multiplex, 1, 'one multiplexed stream');
          assert.equal(requests.progress, 0, 'no per-upload stream');
        } else {
          assert.equal(requests.multiplex, 0, 'no batch without its code');
          assert.equal(requests.progress, 2, 'one stream per upload');
        }
        await page.close();
      }
    },
  );

  it("a refused request's reason gets the server's words from a sibling fetched on that failure; without it, the status alone", async () => {
    const reasons: string[] = [];
    for (const path of ['/', '/broken']) {
      const page = await open(path);
      fetched.length = 0;
      const result = await page.evaluate(() => e2e.followWithNewManager(['no-such-upload']));
      assert.equal(result['no-such-upload']!.status, 'failed', path);
      reasons.push(result['no-such-upload']!.error ?? '');
      if (path === '/') assert.deepEqual(fetched, ['/dist/upload-progress.server-message.min.js']);
      await page.close();
    }
    assert.match(reasons[0]!, /HTTP 404.*The server said: "Upload not found"/);
    assert.match(reasons[1]!, /HTTP 404/);
    assert.doesNotMatch(reasons[1]!, /The server said/);
  });

  it('a list moved to a taller place in the page renders rows for its new height', async () => {
    // Here and not in wtr: ResizeObserver reports only in a page that renders (playwright's
    // page is visible; wtr's are not).
    const page = await browser.newPage();
    page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
    await page.goto(new URL('/blank', server.url).href);
    await page.addScriptTag({path: BUNDLE});
    const rowsAt = (height: number) =>
      page.evaluate(async (height) => {
        const list = document.querySelector('upload-progress-list') as HTMLElement & {
          updateComplete: Promise<boolean>;
        };
        document.getElementById(`h${height}`)!.append(list);
        // Two frames for the observer to report and the update it asks for (a task later).
        for (let i = 0; i < 4; i++) await new Promise(requestAnimationFrame);
        await list.updateComplete;
        return list.shadowRoot!.querySelectorAll('[part~="row"]').length;
      }, height);
    await page.evaluate(() => {
      for (const height of [120, 900]) {
        const box = document.createElement('div');
        box.id = `h${height}`;
        box.style.setProperty('--upload-progress-list-height', `${height}px`);
        document.body.append(box);
      }
      const manager = new UploadProgress.UploadProgressManager({});
      manager.trackTransfers(
        Array.from({length: 300}, (_, i) => ({filename: `f${i}.bin`, total_bytes: 100})),
      );
      const list = Object.assign(document.createElement('upload-progress-list'), {manager});
      document.getElementById('h120')!.append(list);
    });
    const short = await rowsAt(120);
    const tall = await rowsAt(900);
    assert.ok(short > 0 && tall > short * 2, `rows: ${short} in 120 px, then ${tall} in 900 px`);
    await page.close();
  });

  it("the script's code injected inline (no URL of its own) still sets window.UploadProgress", async () => {
    const page = await browser.newPage();
    page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
    await page.goto(new URL('/blank', server.url).href);
    await page.addScriptTag({path: BUNDLE});
    assert.equal(
      await page.evaluate(() => typeof UploadProgress.getUploadProgressManager),
      'function',
    );
    await page.close();
  });
});

/** What the test page's script offers (see PAGE). */
interface PageHelpers {
  closes: string[];
  upload(files: [string, number][], mock: object): Promise<string[]>;
  showInModal(ids: string[]): void;
  dialogOpen(): boolean;
  rowsText(): string;
  snapshot(): {waiting: number; allSettled: boolean};
  statuses(ids: string[]): (string | null)[];
  followWithNewManager(
    ids: string[],
  ): Promise<Record<string, {status: string; error?: string | null}>>;
}
declare const e2e: PageHelpers;
/** The script tag's global (only what these tests call). */
declare const UploadProgress: {
  UploadProgressManager: new (options: {multiplexUrl?: string}) => {
    subscribe(
      listener: (s: {allSettled: boolean; progressMap: Map<string, {status: string}>}) => void,
    ): unknown;
    track(ids: string[]): void;
    trackTransfers(uploads: {filename: string; total_bytes: number}[]): unknown;
  };
  uploadFiles(
    files: File[],
    options: {path?: string; fields?: Record<string, string>},
  ): Promise<string[]> & {
    keys: readonly string[];
    pause(key?: string): boolean;
    retry(key?: string): boolean;
    throttle(rate: number | null, key?: string): void;
  };
  uploadAction(key: string): string | null;
  resumeUploads(): string[];
  getUploadProgressManager(): {
    getSnapshot(): {
      total: number;
      uploads: {
        get(
          key: string,
        ): {phase: string; progress: {status: string; error?: string | null} | null} | undefined;
      };
    };
  };
};
