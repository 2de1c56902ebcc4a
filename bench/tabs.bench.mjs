// Many tabs, many uploads, in headless Chromium with the built script-tag bundle.
//
// 1. 3 tabs x 30 uploads (pages of one browser context, which share Chromium's six sockets
//    per host as real tabs do) against the mock backend over HTTP/1.1: one stream per
//    upload against the multiplexed stream (`multiplexUrl`). Prints the connections opened,
//    the most open at once at the server, and the time until every upload of every tab
//    settled, as a ratio of multiplexed to per-upload. Each file takes 0.3 s to process from
//    its POST on; the tabs follow once all three posted, so the time is mostly what the
//    connections cost (queueing for a slot, one request per upload or per batch).
// 2. track() of 1,000 and 10,000 ids with no UI (streams made in the page, each upload
//    completing at once): the longest task of the SDK, against the baseline of making one
//    UploadProgressStream per id in one go (what track() did before), in the same page.
/* global PerformanceObserver, MessageChannel -- trackScenario() runs in the page */
import {existsSync} from 'node:fs';
import {chromium} from 'playwright-core';
import {chromeArgs, chromePath} from '../test/chromium.mjs';
import {startMockServer} from '../test/mock-server/server.mjs';
import {BUNDLE_PATH, serveTabPage} from '../test/tabs/tab-page.mjs';

if (!existsSync(BUNDLE_PATH)) {
  console.log('tabs bench: dist/upload-progress.min.js is missing (npm run build)');
  process.exit(1);
}

const TABS = 3;
const PER_TAB = 30;

const server = await startMockServer({port: 0, fallback: serveTabPage});
const browser = await chromium.launch({executablePath: chromePath, args: chromeArgs});

/** 3 tabs x 30 uploads, followed with `options`; the server's figures and the time. */
async function tabsRun(options) {
  const context = await browser.newContext();
  const tabs = [];
  for (let i = 0; i < TABS; i++) {
    const page = await context.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => typeof window.tab === 'object');
    tabs.push(page);
  }
  const ids = [];
  for (const [i, page] of tabs.entries()) {
    const files = Array.from({length: PER_TAB}, (_, n) => [`t${i}-${n}.bin`, 10_000]);
    ids.push(
      await page.evaluate(([f, m]) => window.tab.upload(f, m), [files, {stepMs: 30, steps: 10}]),
    );
  }
  server.reset();
  const started = Date.now();
  await Promise.all(
    tabs.map((page, i) =>
      page.evaluate(([ids, o]) => window.tab.follow(ids, o), [ids[i], options]),
    ),
  );
  await Promise.all(tabs.map((page) => page.evaluate(() => window.tab.whenSettled())));
  const ms = Date.now() - started;
  const stats = server.stats();
  await context.close();
  return {
    connections: stats.requests.progress + stats.requests.multiplex,
    peak: stats.peakOpenStreams,
    ms,
  };
}

/** Runs in the page: the longest task of track(n) with the SDK, and of the old way. */
async function trackScenario({n, mode}) {
  const {UploadProgressManager, UploadProgressStream, ConnectionBudget} = window.UploadProgress;
  const encoder = new TextEncoder();
  const fetchFn = async (url) => {
    // Answered in a later task, as the network answers.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const text = String(url);
    const ids = text.includes('ids=') ? text.split('ids=')[1].split(',') : [text.split('/').pop()];
    const body = ids
      .map(
        (id) =>
          `event: progress\ndata: ${JSON.stringify({upload_id: id, filename: `${id}.jpg`, total_bytes: 1000, uploaded_bytes: 1000, status: 'completed', progress_percentage: 100})}\n\n`,
      )
      .join('');
    return new Response(encoder.encode(body), {headers: {'content-type': 'text/event-stream'}});
  };
  const ids = Array.from({length: n}, (_, i) => `${mode}-${i}`);
  const longTasks = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({type: 'longtask', buffered: false});
  /** Resolves at the start of the next task: the end of this one, microtasks included. */
  const nextTask = () =>
    new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve(performance.now());
      channel.port2.postMessage(0);
    });
  const budget = new ConnectionBudget();
  const started = performance.now();
  let settled;
  if (mode === 'baseline') {
    // What track() did before: every stream made and started in one go.
    let left = n;
    settled = new Promise((resolve) => {
      for (const id of ids) {
        const stream = new UploadProgressStream(id, {fetch: fetchFn, connectionBudget: budget});
        stream.subscribe((p) => {
          if (p && p.status !== 'uploading' && --left === 0) resolve();
        });
      }
    });
  } else {
    const manager = new UploadProgressManager({
      fetch: fetchFn,
      connectionBudget: budget,
      ...(mode === 'multiplexed' ? {multiplexUrl: '/multi'} : {}),
    });
    settled = new Promise((resolve) => {
      manager.subscribe((s) => s.allSettled && resolve());
    });
    manager.track(ids);
  }
  const firstTask = (await nextTask()) - started;
  await settled;
  const total = performance.now() - started;
  // Long-task entries are delivered after the task: give them a moment.
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  return {
    firstTask,
    longest: Math.max(firstTask, ...longTasks),
    longTasks: longTasks.length,
    total,
  };
}

try {
  console.log(
    `${TABS} tabs x ${PER_TAB} uploads, mock backend over HTTP/1.1 (machine shared: read the ratios)`,
  );
  const single = await tabsRun({});
  const multi = await tabsRun({multiplexUrl: '/api/files/progress?multiplex=1'});
  const row = (name, r) =>
    `  ${name.padEnd(22)} connections ${String(r.connections).padStart(3)}   peak at server ${String(r.peak).padStart(2)}   all settled ${(r.ms / 1000).toFixed(2)} s`;
  console.log(row('per-upload streams', single));
  console.log(row('multiplexed', multi));
  console.log(
    `  multiplexed / per-upload: connections ${(multi.connections / single.connections).toFixed(3)}x, time ${(multi.ms / single.ms).toFixed(2)}x`,
  );

  console.log('\ntrack() with no UI: the longest task (target: none over 50 ms with 10,000)');
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url);
  for (const n of [1000, 10_000]) {
    const results = {};
    for (const mode of ['baseline', 'per-upload', 'multiplexed']) {
      results[mode] = await page.evaluate(trackScenario, {n, mode});
    }
    for (const [mode, r] of Object.entries(results)) {
      const label = mode === 'baseline' ? 'one stream per id at once (before)' : `track(), ${mode}`;
      console.log(
        `  ${String(n).padStart(6)} ids  ${label.padEnd(36)} first task ${r.firstTask.toFixed(1).padStart(7)} ms   longest ${r.longest.toFixed(1).padStart(7)} ms (${(r.longest / results.baseline.longest).toFixed(3)}x before)   long tasks ${r.longTasks}   all settled ${(r.total / 1000).toFixed(2)} s`,
      );
    }
  }
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
