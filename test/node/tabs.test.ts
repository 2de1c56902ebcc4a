// Several tabs of one browser profile (pages of one Playwright context, which share
// Chromium's six sockets per host as real tabs do) against the mock backend over HTTP/1.1,
// each with the script-tag bundle: the connection budget holds for the browser, not the page.
import assert from 'node:assert/strict';
import {existsSync} from 'node:fs';
import {after, before, describe, it} from 'node:test';
import {chromium, type Browser, type BrowserContext, type Page} from 'playwright-core';
import {chromeArgs, chromePath} from '../chromium.mjs';
import {startMockServer, type MockServer} from '../mock-server/server.mjs';
import {BUNDLE_PATH, serveTabPage, type TabHelpers} from '../tabs/tab-page.mjs';

declare const tab: TabHelpers;

describe('one connection budget for every tab of the browser', () => {
  let server: MockServer;
  let browser: Browser;

  before(async () => {
    assert.ok(existsSync(BUNDLE_PATH), 'dist/upload-progress.min.js is missing: run npm run build');
    server = await startMockServer({port: 0, fallback: serveTabPage});
    browser = await chromium.launch({executablePath: chromePath, args: chromeArgs});
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function openTabs(context: BrowserContext, n: number): Promise<Page[]> {
    const pages: Page[] = [];
    for (let i = 0; i < n; i++) {
      const page = await context.newPage();
      page.on('pageerror', (error) => assert.fail(`page error: ${error.message}`));
      await page.goto(server.url);
      await page.waitForFunction(() => typeof tab === 'object' && 'UploadProgress' in window);
      pages.push(page);
    }
    return pages;
  }

  const files = (prefix: string, n: number): [string, number][] =>
    Array.from({length: n}, (_, i) => [`${prefix}-${i}.bin`, 1000 + i]);

  for (const mode of ['per-upload streams', 'multiplexed'] as const) {
    it(`3 tabs x 10 uploads (${mode}): at most 4 streams at the server, every tab's own request goes through while they stream, every upload ends in its true state`, async () => {
      const context = await browser.newContext();
      const tabs = await openTabs(context, 3);
      server.reset();
      const options =
        mode === 'multiplexed' ? {multiplexUrl: '/api/files/progress?multiplex=1'} : {};
      const ids: string[][] = [];
      for (const [i, page] of tabs.entries()) {
        const mock = {stepMs: 40, steps: 10, fail: [`t${i}-3.bin`]};
        ids.push(
          await page.evaluate(([f, m]) => tab.upload(f, m), [files(`t${i}`, 10), mock] as const),
        );
      }
      for (const [i, page] of tabs.entries()) {
        await page.evaluate(([ids, options]) => tab.follow(ids, options), [
          ids[i]!,
          options,
        ] as const);
      }
      const inFlight = await Promise.all(tabs.map((page) => page.evaluate(() => tab.ownRequest())));
      assert.deepEqual(
        inFlight,
        [true, true, true],
        "each tab's request completed while its uploads were in flight",
      );
      await Promise.all(tabs.map((page) => page.evaluate(() => tab.whenSettled())));

      const stats = server.stats();
      if (mode === 'multiplexed') {
        assert.ok(stats.peakOpenStreams <= 3, `peak ${stats.peakOpenStreams}`);
        assert.equal(stats.requests.progress, 0, 'no per-upload stream');
      } else {
        assert.equal(stats.peakOpenStreams, 4, 'the budget is used, and never passed');
        assert.equal(stats.requests.progress, 30);
        const waited = await Promise.all(tabs.map((page) => page.evaluate(() => tab.sawWaiting)));
        assert.ok(waited.includes(true), 'uploads beyond the budget were shown waiting');
      }
      for (const [i, page] of tabs.entries()) {
        const snapshot = await page.evaluate(() => tab.snapshot());
        for (const id of ids[i]!) {
          assert.equal(
            snapshot.statuses[id],
            server.getProgress(id)?.status,
            `true state of ${id}`,
          );
        }
        assert.equal(Object.values(snapshot.statuses).filter((s) => s === 'failed').length, 1);
        assert.deepEqual(await page.evaluate(() => tab.problems), []);
      }
      await context.close();
    });
  }

  it('a tab closed mid-stream frees its slots for the others at once', async () => {
    const context = await browser.newContext();
    const [first, second] = await openTabs(context, 2);
    server.reset();
    // Long uploads in the first tab: it holds every slot for seconds.
    const long = await first!.evaluate(([f, m]) => tab.upload(f, m), [
      files('long', 6),
      {stepMs: 500, steps: 30},
    ] as const);
    await first!.evaluate((ids) => tab.follow(ids), long);
    await waitUntil(() => server.stats().openStreams === 4, 'the first tab holds 4 streams');
    const quick = await second!.evaluate(([f, m]) => tab.upload(f, m), [
      files('quick', 3),
      {stepMs: 10, steps: 3},
    ] as const);
    await second!.evaluate((ids) => tab.follow(ids), quick);
    await second!.waitForFunction(() => tab.snapshot().waiting === 3);
    assert.equal(server.stats().openStreams, 4);

    await first!.close();
    await second!.waitForFunction(() => tab.snapshot().allSettled);
    const snapshot = await second!.evaluate(() => tab.snapshot());
    assert.deepEqual(Object.values(snapshot.statuses), ['completed', 'completed', 'completed']);
    // Served while the first tab's uploads still run at the server: its slots were freed by
    // closing it, not by its uploads ending.
    assert.deepEqual(
      long.map((id) => server.getProgress(id)?.status),
      long.map(() => 'uploading'),
    );
    await context.close();
  });
});

async function waitUntil(check: () => boolean, what: string, timeout = 10_000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
