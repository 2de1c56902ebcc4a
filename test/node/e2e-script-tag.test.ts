// End to end, as a plain page uses the SDK: the built dist/upload-progress.min.js loaded by a
// <script> tag, the mock backend (a real HTTP server on 127.0.0.1 with real SSE, one per
// test file so its counts are this file's alone), headless Chromium driven by playwright.
import assert from 'node:assert/strict';
import {createReadStream, existsSync} from 'node:fs';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {after, before, describe, it} from 'node:test';
import {chromium, type Browser, type Page} from 'playwright-core';
import {startMockServer, type MockServer} from '../mock-server/server.mjs';

const BUNDLE = new URL('../../dist/upload-progress.min.js', import.meta.url).pathname;
const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';

/** A page with nothing but the script tag, an element, and an upload helper. */
const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>e2e</title></head>
<body><button id="opener">Upload</button>
<upload-progress-modal auto-close-delay="150"></upload-progress-modal>
<script src="/dist/upload-progress.min.js"></script>
<script>
  window.closes = [];
  document.querySelector('upload-progress-modal').addEventListener('close', (e) => closes.push(e.detail.reason));
  window.upload = async (files, mock) => {
    const form = new FormData();
    for (const [name, size] of files) form.append('files', new File([new Uint8Array(size)], name));
    form.append('path', 'e2e');
    form.append('mock', JSON.stringify(mock));
    const response = await fetch('/api/files/upload', {method: 'POST', body: form});
    if (!response.ok) throw new Error('upload answered ' + response.status);
    return (await response.json()).upload_ids;
  };
  window.dialogOpen = () => {
    const dialog = document.querySelector('upload-progress-modal').shadowRoot.querySelector('dialog');
    return dialog.open && dialog.matches(':modal') && dialog.getBoundingClientRect().height > 0;
  };
  window.statuses = (manager, ids) => {
    const snapshot = manager.getSnapshot();
    return ids.map((id) => snapshot.progressMap.get(id)?.status ?? null);
  };
</script></body></html>`;

function serve(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/') {
    res.writeHead(200, {'content-type': 'text/html; charset=utf-8'}).end(PAGE);
  } else if (path === '/dist/upload-progress.min.js') {
    res.writeHead(200, {'content-type': 'text/javascript', 'cache-control': 'no-store'});
    createReadStream(BUNDLE).pipe(res);
  } else {
    res.writeHead(404).end();
  }
}

const FAST = {stepMs: 20, steps: 5};

declare function dialogOpen(): boolean;

describe('end to end through the script-tag bundle', () => {
  let server: MockServer;
  let browser: Browser;

  before(async () => {
    assert.ok(existsSync(BUNDLE), 'dist/upload-progress.min.js is missing: run npm run build');
    server = await startMockServer({port: 0, fallback: serve});
    browser = await chromium.launch({
      executablePath: CHROME,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
    await page.goto(server.url);
    await page.waitForFunction(() => customElements.get('upload-progress-modal') !== undefined);
    return page;
  }

  /** Waits until every id is completed or failed in the page's shared manager. */
  function settled(page: Page, ids: string[], timeout = 15_000) {
    return page.waitForFunction(
      (ids) => {
        const w = window as unknown as {
          UploadProgress: {getUploadProgressManager(): unknown};
          statuses(m: unknown, ids: string[]): (string | null)[];
        };
        return w
          .statuses(w.UploadProgress.getUploadProgressManager(), ids)
          .every((s) => s === 'completed' || s === 'failed');
      },
      ids,
      {timeout},
    );
  }

  it("the seed's flow: POST, hand the ids to the modal, every row completes, the modal closes by itself", async () => {
    const page = await open();
    const ids: string[] = await page.evaluate(
      (mock) =>
        (window as unknown as {upload(f: [string, number][], m: object): Promise<string[]>}).upload(
          [
            ['a.txt', 1000],
            ['b.pdf', 3000],
            ['c.png', 2000],
          ],
          mock,
        ),
      {stepMs: 40, steps: 10}, // slow enough to see the rows before it closes
    );
    assert.equal(ids.length, 3);
    await page.focus('#opener');
    await page.evaluate((ids) => {
      (
        document.querySelector('upload-progress-modal') as unknown as {uploadIds: string[]}
      ).uploadIds = ids;
    }, ids);
    // The host has no box of its own (the <dialog> sits in the top layer): check the dialog.
    await page.waitForFunction(() => dialogOpen());
    // Rows render on the next frame: wait for one per file.
    await page.waitForFunction(
      (names) => {
        const list = document
          .querySelector('upload-progress-modal')!
          .shadowRoot!.querySelector('upload-progress-list');
        const text = list?.shadowRoot?.textContent ?? '';
        return names.every((name) => text.includes(name));
      },
      ['a.txt', 'b.pdf', 'c.png'],
    );
    await page.waitForFunction(
      () => (window as unknown as {closes: string[]}).closes.length > 0,
      null,
      {timeout: 15_000},
    );
    assert.deepEqual(await page.evaluate(() => (window as unknown as {closes: string[]}).closes), [
      'auto',
    ]);
    const statuses = await page.evaluate((ids) => {
      const w = window as unknown as {
        UploadProgress: {getUploadProgressManager(): unknown};
        statuses(m: unknown, ids: string[]): string[];
      };
      return w.statuses(w.UploadProgress.getUploadProgressManager(), ids);
    }, ids);
    assert.deepEqual(statuses, ['completed', 'completed', 'completed']);
    assert.equal(
      await page.evaluate(() => document.activeElement?.id),
      'opener',
      'focus returns to the opener',
    );
    await page.close();
  });

  it('with one failure the modal stays open and shows the reason', async () => {
    const page = await open();
    const ids: string[] = await page.evaluate(
      (mock) =>
        (window as unknown as {upload(f: [string, number][], m: object): Promise<string[]>}).upload(
          [
            ['ok.txt', 500],
            ['broken.csv', 800],
          ],
          mock,
        ),
      {...FAST, fail: ['broken.csv'], failMessage: 'Processing failed: corrupted file'},
    );
    await page.evaluate((ids) => {
      (
        document.querySelector('upload-progress-modal') as unknown as {uploadIds: string[]}
      ).uploadIds = ids;
    }, ids);
    await settled(page, ids);
    // Several times the auto-close delay (150 ms): long enough for a wrong close to happen.
    await page.waitForTimeout(600);
    assert.equal(await page.evaluate(() => dialogOpen()), true);
    assert.deepEqual(
      await page.evaluate(() => (window as unknown as {closes: string[]}).closes),
      [],
    );
    const text = await page.evaluate(
      () =>
        document
          .querySelector('upload-progress-modal')!
          .shadowRoot!.querySelector('upload-progress-list')!.shadowRoot!.textContent,
    );
    assert.match(text!, /Processing failed: corrupted file/);
    await page.close();
  });

  it('a late subscriber sees a finished upload; an unknown id ends failed quickly', async () => {
    const page = await open();
    const [id] = await page.evaluate(
      (mock) =>
        (window as unknown as {upload(f: [string, number][], m: object): Promise<string[]>}).upload(
          [['early.txt', 100]],
          mock,
        ),
      FAST,
    );
    // Let the server finish it with nobody listening.
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (server.getProgress(id!)?.status === 'completed') {
          clearInterval(poll);
          resolve();
        }
      }, 10);
    });
    const result = await page.evaluate(async (id) => {
      const {UploadProgressManager} = (
        window as unknown as {
          UploadProgress: {
            UploadProgressManager: new () => {
              track(ids: string[]): void;
              subscribe(
                f: (s: {
                  allSettled: boolean;
                  progressMap: Map<string, {status: string; error?: string | null}>;
                }) => void,
              ): () => void;
            };
          };
        }
      ).UploadProgress;
      const manager = new UploadProgressManager();
      const started = performance.now();
      return new Promise<{late: string; unknown: string; error: string; ms: number}>((resolve) => {
        manager.subscribe((s) => {
          if (!s.allSettled) return;
          const unknown = s.progressMap.get('no-such-upload')!;
          resolve({
            late: s.progressMap.get(id)!.status,
            unknown: unknown.status,
            error: unknown.error ?? '',
            ms: performance.now() - started,
          });
        });
        manager.track([id, 'no-such-upload']);
      });
    }, id!);
    assert.equal(result.late, 'completed');
    assert.equal(result.unknown, 'failed');
    assert.match(result.error, /404.*Upload not found/);
    await page.close();
  });

  it("dozens of uploads: all finish, the budget holds on the server, the page's own requests go through", async () => {
    const page = await open();
    server.reset();
    const files: [string, number][] = Array.from({length: 30}, (_, i) => [
      `file-${i}.bin`,
      200 + i,
    ]);
    const ids: string[] = await page.evaluate(
      ([files, mock]) =>
        (window as unknown as {upload(f: [string, number][], m: object): Promise<string[]>}).upload(
          files as [string, number][],
          mock as object,
        ),
      [files, {stepMs: 40, steps: 4}] as const,
    );
    await page.evaluate((ids) => {
      (
        document.querySelector('upload-progress-modal') as unknown as {uploadIds: string[]}
      ).uploadIds = ids;
    }, ids);
    await page.waitForFunction(() => {
      const m = (
        window as unknown as {
          UploadProgress: {getUploadProgressManager(): {getSnapshot(): {waiting: number}}};
        }
      ).UploadProgress.getUploadProgressManager();
      return m.getSnapshot().waiting > 0;
    });
    // Six requests of the page's own, at once; they must finish while uploads are in flight.
    const own = await page.evaluate(async () => {
      const statuses = await Promise.all(
        Array.from({length: 6}, (_, i) =>
          fetch(`/dist/upload-progress.min.js?own=${i}`).then((r) => r.status),
        ),
      );
      const m = (
        window as unknown as {
          UploadProgress: {getUploadProgressManager(): {getSnapshot(): {allSettled: boolean}}};
        }
      ).UploadProgress.getUploadProgressManager();
      return {statuses, uploadsStillRunning: !m.getSnapshot().allSettled};
    });
    assert.deepEqual(own, {statuses: [200, 200, 200, 200, 200, 200], uploadsStillRunning: true});
    await settled(page, ids, 30_000);
    assert.ok(
      server.stats().peakOpenStreams <= 4,
      `peak ${server.stats().peakOpenStreams} streams`,
    );
    const statuses = await page.evaluate((ids) => {
      const w = window as unknown as {
        UploadProgress: {getUploadProgressManager(): unknown};
        statuses(m: unknown, ids: string[]): string[];
      };
      return w.statuses(w.UploadProgress.getUploadProgressManager(), ids);
    }, ids);
    assert.deepEqual(new Set(statuses), new Set(['completed']));
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
    const ids: string[] = await page.evaluate(
      ([files, mock]) =>
        (window as unknown as {upload(f: [string, number][], m: object): Promise<string[]>}).upload(
          files as [string, number][],
          mock as object,
        ),
      [
        files,
        {
          stepMs: 60,
          steps: 6,
          cutAfterMs: 90,
          statusOnAttempt: {'2': 503, '3': 429},
          retryAfter: null,
          fail: ['bad.txt'],
        },
      ] as const,
    );
    await page.evaluate((ids) => {
      (
        document.querySelector('upload-progress-modal') as unknown as {uploadIds: string[]}
      ).uploadIds = ids;
    }, ids);
    await settled(page, ids, 30_000);
    const shown = await page.evaluate((ids) => {
      const w = window as unknown as {
        UploadProgress: {getUploadProgressManager(): unknown};
        statuses(m: unknown, ids: string[]): string[];
      };
      return w.statuses(w.UploadProgress.getUploadProgressManager(), ids);
    }, ids);
    const truth = ids.map((id) => server.getProgress(id)?.status);
    assert.deepEqual(shown, truth);
    assert.deepEqual(shown, ['completed', 'completed', 'failed', 'completed']);
    assert.ok(
      Object.values(server.stats().attempts).some((n) => n >= 3),
      'connections were really cut and refused',
    );
    await page.close();
  });
});
