// Rendering under load, in headless Chromium with the built script-tag bundle: many uploads
// in an open <upload-progress-modal>, every row tracked, against the same streams read by a
// bare reader (no SDK, no DOM) in the same browser.
//
// The streams are PULLED, as sockets are: each stream makes its next event only once the
// page has read the previous one and the interval has passed (a ReadableStream with
// `pull()` and no queue, behind an injected fetch). A page too busy to read slows its own
// uploads, and the settle time shows it. The streams' own cost (a timer per event) is the
// same in every run.
//
// A third run, the manager with one no-op listener and no UI, shows what a subscriber costs
// the core (a snapshot built per task); the elements read once a frame instead.
//
// Prints, per case: p50/p95 interval between animation frames and how many were over 25 ms
// (half a frame late), the longest task (the Long
// Tasks API reports tasks over 50 ms only), settle time as a ratio to the bare reader, rows
// in the DOM (most seen), and for the modal how long tracking took and how long until its
// rows were on screen (two tasks: the rows come in the task after the dialog opens).
// Targets (issue 11): p95 frame <= 16.7 ms, no task over 50 ms, settle <= 1.1x.
//
// On a shared machine one run says little (the bare reader's own figures move by half from
// one run to the next): each case runs RENDER_RUNS times (default 3), bare, core and modal in
// turn, and prints the median of each figure, the settle ratio as the median of each round's
// own ratio, with the spread of the ratios and of the longest tasks, and the load average.
/* global PerformanceObserver, crossOriginIsolated -- scenario() and the check run in the page */
import {existsSync} from 'node:fs';
import {loadavg} from 'node:os';
import {chromium} from 'playwright-core';
import {chromeArgs, chromePath} from '../test/chromium.mjs';

const RUNS = Math.max(1, Number(process.env.RENDER_RUNS) || 3);
const BUNDLE = new URL('../dist/upload-progress.min.js', import.meta.url).pathname;
const CASES = [
  ...(process.env.RENDER_CASE === '10k' ? [] : [{uploads: 1000, events: 100, perSecond: 20}]),
  ...(process.env.RENDER_CASE === '1k' ? [] : [{uploads: 10_000, events: 10, perSecond: 2}]),
];

if (!existsSync(BUNDLE)) {
  console.log('render bench: dist/upload-progress.min.js is missing (npm run build)');
  process.exit(1);
}

/** Runs in the page: reads `uploads` pulled streams, bare or through the modal. */
async function scenario({uploads, events, perSecond, mode}) {
  const withUi = mode === 'ui';
  const interval = 1000 / perSecond;
  const encoder = new TextEncoder();
  // Each wait is its own timer, so each stream's next chunk arrives in a task of its own,
  // as network reads do (one timer wheel resolving many at once made tasks no socket makes).
  const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  // Streams that sent their last event; the runs through the SDK look at the manager once all
  // have (see below).
  let ended = 0;
  let allEnded = () => {};
  const body = (id) => {
    let i = 0;
    return new ReadableStream(
      {
        async pull(controller) {
          // The first event (the current state) at once, then one per interval after a read.
          if (i > 0) await wait(interval);
          const done = i === events - 1;
          const record = {
            upload_id: id,
            filename: `photo-${id}.jpg`,
            total_bytes: 1_000_000,
            uploaded_bytes: Math.round((1_000_000 * (i + 1)) / events),
            status: done ? 'completed' : 'uploading',
            progress_percentage: ((i + 1) / events) * 100,
          };
          controller.enqueue(
            encoder.encode(`event: progress\ndata: ${JSON.stringify(record)}\n\n`),
          );
          i++;
          if (done) {
            controller.close();
            if (++ended === uploads) allEnded();
          }
        },
      },
      {highWaterMark: 0},
    );
  };
  const fetchFn = async (url) =>
    new Response(body(String(url).split('/').pop()), {
      headers: {'content-type': 'text/event-stream'},
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

  let rows = 0;
  let list;
  const countRows = () => {
    const n = list?.shadowRoot?.querySelectorAll('[part~="row"]').length ?? 0;
    rows = Math.max(rows, n);
  };
  const sampler = setInterval(countRows, 250);

  const started = performance.now();
  let settleMs;
  let trackMs = 0;
  let firstRenderMs = 0;
  if (mode !== 'bare') {
    const {UploadProgressManager, ConnectionBudget} = window.UploadProgress;
    const manager = new UploadProgressManager({
      fetch: fetchFn,
      connectionBudget: new ConnectionBudget(),
      maxConnections: uploads, // every stream at once: the load is the subject
    });
    const modal = document.createElement('upload-progress-modal');
    modal.autoCloseDelay = -1;
    modal.manager = manager;
    // Without the modal, a listener as cheap as can be stands for any subscriber (an adapter):
    // the manager then builds a snapshot after every task that changed something.
    if (withUi) document.body.append(modal);
    else manager.subscribe(() => {});
    if (withUi) await modal.updateComplete;
    // Settled: looked at a task after the last stream sent its last event (the SDK reads it in
    // that event's task), then every 10 ms until it is. Not polled all along: a 10 ms timer in
    // the page alone slowed the bare reader 1.09x in one round on this machine (Chromium ran
    // the streams' timers 5-6 ms late beside it), a handicap the bare reader never had. No
    // listener either: the bench adds no work per event. Set up before track(): streams that
    // all end before the modal's first render are still seen. A stream that never sends its
    // last event (its upload failed, or was given up) ends the run with an error, not a hang
    // (a deadline kept outside the page: no timer of the bench's in it).
    const settled = new Promise((resolve) => {
      const look = () => (manager.getSnapshot().allSettled ? resolve() : setTimeout(look, 10));
      allEnded = () => setTimeout(look, 0);
    });
    let t = performance.now();
    manager.track(ids);
    trackMs = performance.now() - t;
    if (withUi) {
      t = performance.now();
      modal.uploadIds = ids;
      await modal.updateComplete;
      list = modal.shadowRoot.querySelector('upload-progress-list');
      await list.updateComplete;
      firstRenderMs = performance.now() - t;
    }
    await settled;
    settleMs = performance.now() - started;
    const {completed} = manager.getSnapshot();
    if (completed !== uploads) throw new Error(`${uploads - completed} uploads did not complete`);
    countRows();
    await new Promise((resolve) => setTimeout(resolve, 300));
    modal.remove();
    manager.closeAll();
  } else {
    const read = async (id) => {
      const reader = (await fetchFn(`/api/files/progress/${id}`)).body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const {done, value} = await reader.read();
        if (done) return;
        decoder.decode(value, {stream: true});
      }
    };
    await Promise.all(ids.map(read));
    settleMs = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  measuring = false;
  clearInterval(sampler);
  observer.disconnect();
  // The page is cross-origin isolated (see below), so its clock has 5 us steps, not 100 us:
  // with 100 us steps the frames of a 60 Hz display read 16.6, 16.7 or 16.8 ms and the p95 of
  // a page doing nothing read 16.8. Figures to 0.01 ms.
  const sorted = frames
    .slice(1)
    .map((x) => Math.round(x * 100) / 100)
    .sort((a, b) => a - b);
  return {
    settleMs,
    p50: sorted[Math.floor(sorted.length / 2)],
    p95: sorted[Math.floor(sorted.length * 0.95)],
    frames: sorted.length,
    // Frames late by half a frame or more: what "p95 <= 16.7 ms" is after.
    missed: sorted.filter((x) => x > 25).length,
    longest,
    rows,
    trackMs,
    firstRenderMs,
  };
}

const ms = (x) => `${x.toFixed(1)} ms`;
const frame = (x) => `${x.toFixed(2)} ms`;
const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
/** The median of each figure over the runs. */
const medians = (runs) =>
  Object.fromEntries(Object.keys(runs[0]).map((key) => [key, median(runs.map((r) => r[key]))]));
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(', ');
const task = (x) => (x ? ms(x) : 'none over 50 ms');
const mark = (ok) => (ok ? 'met' : 'NOT met');

const browser = await chromium.launch({executablePath: chromePath, args: chromeArgs});
// An empty page served cross-origin isolated (COOP + COEP), answered by Playwright itself: only
// there does Chromium give performance.now() and frame times 5 us steps instead of 100 us.
const PAGE = 'http://127.0.0.1:9/bench';
const ISOLATING = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};
try {
  console.log(
    `render: pulled streams, headless Chromium, built bundle; ratios against a bare reader in the same run; medians of ${RUNS} rounds; load average ${load()}`,
  );
  for (const c of CASES) {
    const rounds = [];
    for (let r = 0; r < RUNS; r++) {
      const results = {};
      for (const mode of ['bare', 'core', 'ui']) {
        const page = await browser.newPage({viewport: {width: 1280, height: 900}});
        await page.route(PAGE, (route) =>
          route.fulfill({contentType: 'text/html', headers: ISOLATING, body: '<!doctype html>'}),
        );
        await page.goto(PAGE);
        if (!(await page.evaluate(() => crossOriginIsolated))) throw new Error('not isolated');
        await page.addScriptTag({path: BUNDLE});
        let deadline;
        results[mode] = await Promise.race([
          page.evaluate(scenario, {...c, mode}),
          new Promise((_, reject) => {
            deadline = setTimeout(() => reject(new Error(`${mode}: not settled in 3 min`)), 180e3);
          }),
        ]).finally(() => clearTimeout(deadline));
        await page.close();
      }
      rounds.push(results);
    }
    const [bare, core, ui] = ['bare', 'core', 'ui'].map((m) => medians(rounds.map((r) => r[m])));
    const ratios = rounds.map((r) => r.ui.settleMs / r.bare.settleMs);
    const coreRatio = median(rounds.map((r) => r.core.settleMs / r.bare.settleMs));
    const ratio = median(ratios);
    const spread = (xs, f) => xs.map(f).join(', ');
    console.log(
      `\n${c.uploads.toLocaleString('en')} uploads x ${c.events} events at ${c.perSecond}/s (ideal ${(
        (c.events - 1) /
        c.perSecond
      ).toFixed(1)} s)`,
    );
    console.log(
      `   bare reader            : settled in ${ms(bare.settleMs)}; frames p50 ${frame(bare.p50)}, p95 ${frame(bare.p95)}, ${bare.missed} over 25 ms; longest task ${task(bare.longest)}`,
    );
    console.log(
      `   manager + 1 listener   : settled in ${ms(core.settleMs)} (${coreRatio.toFixed(2)}x); frames p50 ${frame(core.p50)}, p95 ${frame(core.p95)}, ${core.missed} over 25 ms; longest task ${task(core.longest)}; track() ${ms(core.trackMs)}`,
    );
    console.log(
      `   <upload-progress-modal>: settled in ${ms(ui.settleMs)}; frames p50 ${frame(ui.p50)}, p95 ${frame(ui.p95)}, ${ui.missed} over 25 ms (of ${ui.frames}); longest task ${task(ui.longest)}; at most ${ui.rows} rows in the DOM`,
    );
    console.log(
      `   track() of every id ${ms(ui.trackMs)}; rows on screen ${ms(ui.firstRenderMs)} after uploadIds was set`,
    );
    console.log(
      `   per round: settle ratio ${spread(ratios, (x) => `${x.toFixed(2)}x`)}; longest task bare ${spread(rounds, (r) => task(r.bare.longest))}, modal ${spread(rounds, (r) => task(r.ui.longest))}; load average now ${load()}`,
    );
    console.log(
      `   settle ratio ${ratio.toFixed(2)}x (target <= 1.1x: ${mark(ratio <= 1.1)}); p95 frame ${frame(ui.p95)} (target <= 16.7 ms: ${mark(ui.p95 <= 16.7)}); longest task ${task(ui.longest)} (target <= 50 ms: ${mark(ui.longest <= 50)})`,
    );
  }
} finally {
  await browser.close();
}
