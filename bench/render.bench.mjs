// Rendering under load, in headless Chromium with the built script-tag bundle:
// 1,000 uploads in <upload-progress-modal>, each streaming 20 events a second for 5 s,
// against the same streams followed by a manager with no UI, in the same browser.
//
// Prints the p95 interval between animation frames (target <= 50 ms, aim 16.7), the longest
// task (target none over 200 ms) and the time until every upload settled, as a ratio
// against the run without UI (target <= 1.5x). The streams are made in the page (one timer
// feeds every open stream each 50 ms, as network reads arrive in bursts), so the figures are
// the SDK's and the browser's, not a server's.
/* global PerformanceObserver -- scenario() runs in the page */
import {existsSync} from 'node:fs';
import {chromium} from 'playwright-core';
import {chromeArgs, chromePath} from '../test/chromium.mjs';

const BUNDLE = new URL('../dist/upload-progress.min.js', import.meta.url).pathname;
const UPLOADS = 1000;
const EVENTS = 100; // 20 a second for 5 s

if (!existsSync(BUNDLE)) {
  console.log('render bench: dist/upload-progress.min.js is missing (npm run build)');
  process.exit(1);
}

/** Runs in the page: follows UPLOADS fake streams, with or without the modal. */
async function scenario({uploads, events, withUi}) {
  const {UploadProgressManager, ConnectionBudget} = window.UploadProgress;
  const encoder = new TextEncoder();
  const open = new Set();
  const ticker = setInterval(() => {
    for (const stream of open) {
      const i = stream.sent++;
      const done = i === events - 1;
      const record = {
        upload_id: stream.id,
        filename: `photo-${stream.id}.jpg`,
        total_bytes: 1_000_000,
        uploaded_bytes: Math.round((1_000_000 * (i + 1)) / events),
        status: done ? 'completed' : 'uploading',
        progress_percentage: ((i + 1) / events) * 100,
      };
      stream.controller.enqueue(
        encoder.encode(`event: progress\ndata: ${JSON.stringify(record)}\n\n`),
      );
      if (done) {
        stream.controller.close();
        open.delete(stream);
      }
    }
  }, 50);
  const fetchFn = async (url) => {
    const id = String(url).split('/').pop();
    const body = new ReadableStream({
      start(controller) {
        open.add({id, controller, sent: 0});
      },
    });
    return new Response(body, {headers: {'content-type': 'text/event-stream'}});
  };
  const manager = new UploadProgressManager({
    fetch: fetchFn,
    connectionBudget: new ConnectionBudget(),
    maxConnections: uploads, // every stream at once: the load is the subject
  });
  const ids = Array.from({length: uploads}, (_, i) => `u${i}`);

  const frames = [];
  let last = performance.now();
  let measuring = true;
  const frame = (now) => {
    frames.push(now - last);
    last = now;
    if (measuring) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  let longest = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longest = Math.max(longest, entry.duration);
  });
  observer.observe({type: 'longtask', buffered: false});

  const started = performance.now();
  const settled = new Promise((resolve) => {
    const stop = manager.subscribe((s) => {
      if (s.total > 0 && s.allSettled) {
        stop();
        resolve(performance.now() - started);
      }
    });
  });
  let modal;
  if (withUi) {
    modal = document.createElement('upload-progress-modal');
    modal.autoCloseDelay = -1;
    modal.manager = manager;
    document.body.append(modal);
    modal.uploadIds = ids;
  } else {
    manager.track(ids);
  }
  const settleMs = await settled;
  // A few more frames with the final state on screen.
  await new Promise((resolve) => setTimeout(resolve, 300));
  measuring = false;
  clearInterval(ticker);
  observer.disconnect();
  const rows = withUi
    ? modal.shadowRoot
        .querySelector('upload-progress-list')
        .shadowRoot.querySelectorAll('[role=progressbar]').length
    : 0;
  modal?.remove();
  const sorted = frames.slice(1).sort((a, b) => a - b);
  return {
    settleMs,
    p95: sorted[Math.floor(sorted.length * 0.95)],
    median: sorted[Math.floor(sorted.length / 2)],
    frames: sorted.length,
    longest,
    rows,
  };
}

const browser = await chromium.launch({executablePath: chromePath, args: chromeArgs});
try {
  const results = {};
  for (const withUi of [false, true]) {
    const page = await browser.newPage({viewport: {width: 1280, height: 900}});
    await page.goto('about:blank');
    await page.addScriptTag({path: BUNDLE});
    results[withUi ? 'ui' : 'bare'] = await page.evaluate(scenario, {
      uploads: UPLOADS,
      events: EVENTS,
      withUi,
    });
    await page.close();
  }
  const {bare, ui} = results;
  const ms = (x) => `${x.toFixed(1)} ms`;
  console.log(
    `render: ${UPLOADS} uploads x ${EVENTS} events at 20/s, headless Chromium, built bundle`,
  );
  console.log(
    `   no UI (manager only)   : settled in ${ms(bare.settleMs)}; frames p95 ${ms(bare.p95)}, longest task ${ms(bare.longest)}`,
  );
  console.log(
    `   <upload-progress-modal>: settled in ${ms(ui.settleMs)}; frames p95 ${ms(ui.p95)} (median ${ms(ui.median)}, ${ui.frames} frames), longest task ${ms(ui.longest)}, ${ui.rows} bars in the DOM`,
  );
  console.log(
    `   settle ratio UI / no UI: ${(ui.settleMs / bare.settleMs).toFixed(2)}x   (target <= 1.5x)`,
  );
  console.log(`   p95 frame interval     : ${ms(ui.p95)}   (target <= 50 ms, aim 16.7)`);
  console.log(`   longest task           : ${ms(ui.longest)}   (target: none over 200 ms)`);
} finally {
  await browser.close();
}
