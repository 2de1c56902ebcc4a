// Chaos and soak: the real SDK (the built script-tag bundle) in headless Chromium against the
// mock backend, with faults injected at random, in rounds. After each round it checks what
// users rely on: every upload shown in its true final state, the connection budget held,
// nothing left open, no timers piling up, the heap back near where it started.
//
// `npm run chaos` runs the full version (scripts/chaos.mjs); test/node/chaos.test.ts runs a
// short one inside `npm test`.

import {createReadStream, existsSync} from 'node:fs';
import {chromium} from 'playwright-core';
import {chromeArgs, chromePath} from '../chromium.mjs';
import {startMockServer} from '../mock-server/server.mjs';

const BUNDLE = new URL('../../dist/upload-progress.min.js', import.meta.url).pathname;

/** What the server says when it fails a file on purpose. */
const SERVER_REASON = 'Processing failed: corrupted file';

/** Names that try to break things: markup, a right-to-left override, sheer length. */
const HOSTILE_NAMES = [
  '<img src=x onerror=alert(1)>.png',
  '\u202Egnp.exe',
  `${'long-'.repeat(199)}.txt`,
  '"; DROP TABLE uploads; --.csv',
  '../../etc/passwd',
  'emoji 🚀 ünïcödé.txt',
];

/**
 * Each fault kind and the switches (see test/mock-server/README.md) that inject it.
 * @type {Record<string, (random: () => number) => object>}
 */
export const FAULTS = {
  'stream cut': (r) => ({cutAfterMs: 30 + Math.floor(r() * 200)}),
  'socket destroyed': (r) => ({cutAfterMs: 30 + Math.floor(r() * 200), cutHard: true}),
  '5xx on an attempt': (r) => ({
    statusOnAttempt: {1: [500, 502, 503][Math.floor(r() * 3)]},
    retryAfter: null,
  }),
  '429 with Retry-After': () => ({statusOnAttempt: {1: 429}, retryAfter: 1}),
  'byte-at-a-time drip': () => ({dripMs: 1}),
  'heartbeats only': (r) => ({silentFirstMs: 200 + Math.floor(r() * 600), heartbeatMs: 100}),
  'proxy gone idle': (r) => ({stallAfterMs: 20 + Math.floor(r() * 200)}),
  'malformed events': (r) => ({malformedEvery: 1 + Math.floor(r() * 3)}),
  'oversized event': () => ({oversizedFirstBytes: 100_000}),
  'absurd numbers': () => ({absurdNumbers: true}),
  'ids needing encoding': () => ({idPrefix: 'a/b?c#d %é '}),
  'CRLF, ids, retry:': () => ({crlf: true, ids: true, retryMs: 150}),
  'server fails the file': () => ({fail: true, failMessage: SERVER_REASON}),
};

/** A small seeded generator (mulberry32), so a run can be repeated. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The page: the bundle, a modal, and helpers the runner calls. Timers are counted. */
const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>chaos</title></head>
<body><upload-progress-modal auto-close-delay="-1"></upload-progress-modal>
<script>
  // Count live timers: what the SDK leaves behind shows here.
  const live = new Set();
  const [st, ct, si, ci] = [setTimeout, clearTimeout, setInterval, clearInterval];
  window.setTimeout = (fn, ms, ...args) => {
    const id = st(() => { live.delete(id); typeof fn === 'function' && fn(...args); }, ms);
    live.add(id);
    return id;
  };
  window.clearTimeout = (id) => { live.delete(id); ct(id); };
  window.setInterval = (fn, ms, ...args) => { const id = si(fn, ms, ...args); live.add(id); return id; };
  window.clearInterval = (id) => { live.delete(id); ci(id); };
  window.liveTimers = () => live.size;
</script>
<script src="/dist/upload-progress.min.js"></script>
<script>
  const {UploadProgressManager, getSharedConnectionBudget} = UploadProgress;
  const modal = document.querySelector('upload-progress-modal');
  // Short timeouts, so idle proxies and retries show within a round.
  const manager = new UploadProgressManager({
    idleTimeout: 1500,
    maxEventSize: 64 * 1024,
    retry: {initialDelay: 150, maxDelay: 1500, maxAttempts: 15},
  });
  modal.manager = manager;
  // Frame intervals as a histogram of whole milliseconds: bounded, however long the soak.
  const page = {frames: new Uint32Array(1001), longest: 0, clientPeak: 0};
  let last = performance.now();
  const frame = (now) => { page.frames[Math.min(1000, Math.round(now - last))]++; last = now; requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) page.longest = Math.max(page.longest, entry.duration);
  }).observe({type: 'longtask'});
  // The client's own count of open progress connections, sampled (not counted as a timer).
  si(() => {
    page.clientPeak = Math.max(page.clientPeak, getSharedConnectionBudget().active(location.origin));
  }, 5);
  window.chaos = {
    async upload(files, mock) {
      const form = new FormData();
      for (const [name, size] of files) form.append('files', new File([new Uint8Array(size)], name));
      form.append('path', 'chaos');
      form.append('mock', JSON.stringify(mock));
      const response = await fetch('/api/files/upload', {method: 'POST', body: form});
      if (!response.ok) throw new Error('upload answered ' + response.status + ' ' + await response.text());
      return (await response.json()).upload_ids;
    },
    show(ids) { modal.uploadIds = ids; },
    track(ids) { manager.track(ids); },
    settled(ids) {
      const {progressMap} = manager.getSnapshot();
      return ids.every((id) => ['completed', 'failed'].includes(progressMap.get(id)?.status));
    },
    results(ids) {
      const {progressMap} = manager.getSnapshot();
      return ids.map((id) => {
        const p = progressMap.get(id);
        return {status: p?.status ?? null, error: p?.error ?? null, percentage: p?.progress_percentage ?? null};
      });
    },
    overall() { return manager.getSnapshot().overallPercentage; },
    rowsHaveMarkup() {
      const list = modal.shadowRoot.querySelector('upload-progress-list');
      return Boolean(list?.shadowRoot?.querySelector('img'));
    },
    reset() { modal.uploadIds = null; manager.closeAll(); },
    tracked() { return manager.getSnapshot().total; },
    page() {
      const total = page.frames.reduce((a, b) => a + b, 0);
      let seen = 0;
      let p95 = 0;
      for (let ms = 0; ms < page.frames.length; ms++) {
        seen += page.frames[ms];
        if (seen >= total * 0.95) { p95 = ms; break; }
      }
      return {longest: page.longest, p95, clientPeak: page.clientPeak};
    },
  };
</script></body></html>`;

function serve(req, res) {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/') {
    res.writeHead(200, {'content-type': 'text/html; charset=utf-8'}).end(PAGE);
  } else if (path === '/dist/upload-progress.min.js') {
    res.writeHead(200, {'content-type': 'text/javascript'});
    createReadStream(BUNDLE).pipe(res);
  } else {
    res.writeHead(404).end();
  }
}

/**
 * Sizes from a heap snapshot, split into the page's JavaScript objects and the rest (compiled
 * code, DevTools' own records of each request, engine internals), because only the first can
 * be the SDK's leak.
 */
async function heapByKind(cdp) {
  let json = '';
  const onChunk = ({chunk}) => (json += chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.takeHeapSnapshot', {reportProgress: false});
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  const {snapshot, nodes} = JSON.parse(json);
  const fields = snapshot.meta.node_fields;
  const types = snapshot.meta.node_types[0];
  const [type, size] = [fields.indexOf('type'), fields.indexOf('self_size')];
  const js = new Set([
    'object',
    'closure',
    'array',
    'string',
    'concatenated string',
    'sliced string',
    'regexp',
    'heap number',
    'bigint',
    'symbol',
  ]);
  let objects = 0;
  let other = 0;
  for (let i = 0; i < nodes.length; i += fields.length) {
    if (js.has(types[nodes[i + type]])) objects += nodes[i + size];
    else other += nodes[i + size];
  }
  return {objects, other};
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`chaos: timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

/**
 * Runs the chaos and soak suite.
 *
 * @param {object} [options]
 * @param {number} [options.rounds] rounds of uploads (each ends with checks at rest)
 * @param {number} [options.uploadsPerRound]
 * @param {number} [options.minMinutes] keep adding rounds until this long has passed (soak)
 * @param {number} [options.seed]
 * @param {boolean} [options.heapSnapshots] split the heap's growth by kind (two snapshots: slow)
 * @param {(line: string) => void} [options.log]
 * @param {(round: number, tools: {page: import('playwright-core').Page, cdp: import('playwright-core').CDPSession}) => Promise<void>} [options.inspect]
 *   called at rest after each round (for diagnostics such as heap snapshots)
 */
export async function runChaos({
  rounds = 5,
  uploadsPerRound = 200,
  minMinutes = 0,
  seed = 1,
  log = () => undefined,
  inspect,
  heapSnapshots = false,
} = {}) {
  if (!existsSync(BUNDLE))
    throw new Error('chaos: dist/upload-progress.min.js is missing (npm run build)');
  const random = seeded(seed);
  // Sessions live long here, so a slow round on a busy machine never makes the check read a
  // forgotten upload; expiry has its own group below (expireMs 100).
  const server = await startMockServer({
    port: 0,
    fallback: serve,
    stepMs: 40,
    steps: 6,
    expireMs: 600_000,
  });
  const browser = await chromium.launch({executablePath: chromePath, args: chromeArgs});
  const started = Date.now();
  const report = {
    seed,
    rounds: [],
    faults: Object.fromEntries(Object.keys(FAULTS).map((kind) => [kind, {uploads: 0, right: 0}])),
    expired: {uploads: 0, right: 0},
    uploads: 0,
    right: 0,
    wrong: [],
    completed: 0,
    failedByServer: 0,
    failedByTransport: 0,
    shownFailedButSucceeded: 0,
    hostileMarkupRendered: false,
    nonFiniteOverall: false,
    serverPeak: 0,
    clientPeak: 0,
    timersBaseline: 0,
    heapStart: 0,
    heapEnd: 0,
    /** Growth from the end of round 1 (warm) to the end: {objects, other} in bytes. */
    heapGrowth: null,
    longestTask: 0,
    p95Frame: 0,
    minutes: 0,
  };
  try {
    const page = await browser.newPage();
    page.on('pageerror', (error) => report.wrong.push(`page error: ${error.message}`));
    await page.goto(server.url);
    await page.waitForFunction(() => window.chaos !== undefined);
    const cdp = await page.context().newCDPSession(page);
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    report.heapStart = await heap();
    report.timersBaseline = await page.evaluate(() => window.liveTimers());

    for (let round = 1; round <= rounds || Date.now() - started < minMinutes * 60_000; round++) {
      server.reset();
      const batches = [];
      let made = 0;
      while (made < uploadsPerRound) {
        const size = Math.min(uploadsPerRound - made, 1 + Math.floor(random() * 5));
        const kinds = Object.keys(FAULTS).filter(() => random() < 0.18);
        // Faults strike each connection at random (half of them), as networks do: a server
        // that breaks every connection the same way is simply down, for any client.
        const mock = Object.assign({faultRate: 0.5}, ...kinds.map((kind) => FAULTS[kind](random)));
        const files = Array.from({length: size}, (_, i) => {
          const name =
            random() < 0.15
              ? HOSTILE_NAMES[Math.floor(random() * HOSTILE_NAMES.length)]
              : `r${round}-${made + i}.bin`;
          return [name, 1 + Math.floor(random() * 50_000)];
        });
        batches.push({kinds, files, mock});
        made += size;
      }
      // Uploads whose session has expired before anyone asks: they must end failed, saying so.
      const expiring = {
        files: [[`expiring-${round}.txt`, 100]],
        mock: {expireMs: 100, stepMs: 5, steps: 1},
      };

      const ids = [];
      const kindsOf = new Map();
      for (const batch of batches) {
        const batchIds = await page.evaluate(
          ([files, mock]) => window.chaos.upload(files, mock),
          [batch.files, batch.mock],
        );
        for (const id of batchIds) kindsOf.set(id, batch.kinds);
        ids.push(...batchIds);
      }
      const [expiredId] = await page.evaluate(
        ([files, mock]) => window.chaos.upload(files, mock),
        [expiring.files, expiring.mock],
      );
      await page.evaluate((ids) => window.chaos.show(ids), ids);
      await until(() => server.getProgress(expiredId) === null, 5000, 'the session to expire');
      await page.evaluate((id) => window.chaos.track([id]), expiredId);

      const all = [...ids, expiredId];
      await until(
        () => page.evaluate((all) => window.chaos.settled(all), all),
        120_000,
        `round ${round} to settle`,
      );

      const results = await page.evaluate((all) => window.chaos.results(all), all);
      report.nonFiniteOverall ||= !Number.isFinite(
        await page.evaluate(() => window.chaos.overall()),
      );
      report.hostileMarkupRendered ||= await page.evaluate(() => window.chaos.rowsHaveMarkup());
      ids.forEach((id, i) => {
        const shown = results[i];
        const truth = server.getProgress(id);
        const kinds = kindsOf.get(id);
        let right;
        if (!truth) {
          right = false;
          report.wrong.push(`${id}: the server forgot it before the check`);
        } else if (truth.status === 'completed') {
          right = shown.status === 'completed';
          if (shown.status === 'failed') report.shownFailedButSucceeded++;
        } else {
          // Failed on the server: shown failed with the server's own reason.
          right = shown.status === 'failed' && shown.error === truth.error;
        }
        if (shown.status === 'completed') report.completed++;
        else if (shown.status === 'failed' && shown.error === truth?.error) report.failedByServer++;
        else if (shown.status === 'failed') report.failedByTransport++;
        if (!right && truth)
          report.wrong.push(
            `${id} [${kinds.join(', ')}]: shown ${shown.status} (${shown.error}), server ${truth.status} (${truth.error})`,
          );
        report.uploads++;
        if (right) report.right++;
        for (const kind of kinds) {
          report.faults[kind].uploads++;
          if (right) report.faults[kind].right++;
        }
      });
      const expired = results.at(-1);
      const expiredRight =
        expired.status === 'failed' && /does not know this upload/.test(expired.error ?? '');
      report.expired.uploads++;
      report.uploads++;
      if (expiredRight) {
        report.expired.right++;
        report.right++;
      } else {
        report.wrong.push(`expired ${expiredId}: shown ${expired.status} (${expired.error})`);
      }

      // At rest: nothing open, on either side; then forget the round and measure.
      await until(() => server.stats().openStreams === 0, 10_000, 'open streams to close');
      const serverPeak = server.stats().peakOpenStreams;
      await page.evaluate(() => window.chaos.reset());
      await sleep(100);
      const timers = await page.evaluate(() => window.liveTimers());
      const heapNow = await heap();
      report.serverPeak = Math.max(report.serverPeak, serverPeak);
      report.rounds.push({
        round,
        uploads: all.length,
        serverPeak,
        openAtRest: server.stats().openStreams,
        timers,
        heap: heapNow,
      });
      await inspect?.(round, {page, cdp});
      if (heapSnapshots && round === 1) report.heapAfterFirst = await heapByKind(cdp);
      log(
        `round ${round}: ${all.length} uploads, server peak ${serverPeak} streams, at rest ${server.stats().openStreams}, ` +
          `timers ${timers}, heap ${(heapNow / 1e6).toFixed(2)} MB`,
      );
    }
    if (heapSnapshots && report.heapAfterFirst && report.rounds.length > 1) {
      const end = await heapByKind(cdp);
      report.heapGrowth = {
        objects: end.objects - report.heapAfterFirst.objects,
        other: end.other - report.heapAfterFirst.other,
      };
    }
    const pageFigures = await page.evaluate(() => window.chaos.page());
    report.clientPeak = pageFigures.clientPeak;
    report.longestTask = pageFigures.longest;
    report.p95Frame = pageFigures.p95;
    report.heapEnd = report.rounds.at(-1)?.heap ?? report.heapStart;
    report.minutes = (Date.now() - started) / 60_000;
    return report;
  } finally {
    await browser.close();
    await server.close();
  }
}

/** The report as a table. */
export function formatReport(report) {
  const lines = [];
  const pad = (text, width) => String(text).padEnd(width);
  const num = (n) => n.toLocaleString('en');
  lines.push(
    `Chaos and soak: ${report.rounds.length} rounds, ${num(report.uploads)} uploads, ${report.minutes.toFixed(1)} min, seed ${report.seed}`,
  );
  lines.push('');
  lines.push(`${pad('fault injected', 26)}${pad('uploads', 10)}final state right`);
  for (const [kind, {uploads, right}] of Object.entries(report.faults)) {
    lines.push(`${pad(kind, 26)}${pad(num(uploads), 10)}${num(right)}`);
  }
  lines.push(
    `${pad('session expired first', 26)}${pad(num(report.expired.uploads), 10)}${num(report.expired.right)}`,
  );
  lines.push('');
  lines.push(`final states right         ${num(report.right)} of ${num(report.uploads)}`);
  lines.push(`  completed                ${num(report.completed)}`);
  lines.push(`  failed, server's reason  ${num(report.failedByServer)}`);
  lines.push(
    `  failed, transport reason ${num(report.failedByTransport)} (besides the expired sessions above)`,
  );
  lines.push(`  shown failed, succeeded  ${num(report.shownFailedButSucceeded)}`);
  lines.push(
    `connections                peak ${report.clientPeak} held by the page (budget 4), ${report.serverPeak} counted by the server ` +
      `(a stream the page dropped counts there until its socket closes); open at rest after each round: ` +
      report.rounds.map((r) => r.openAtRest).join(' '),
  );
  lines.push(
    `timers at rest             baseline ${report.timersBaseline}; after each round: ${report.rounds.map((r) => r.timers).join(' ')}`,
  );
  lines.push(
    `heap                       start ${(report.heapStart / 1e6).toFixed(2)} MB, end ${(report.heapEnd / 1e6).toFixed(2)} MB ` +
      `(${(((report.heapEnd - report.heapStart) / report.heapStart) * 100).toFixed(1)}%); after each round: ${report.rounds.map((r) => (r.heap / 1e6).toFixed(2)).join(' ')}`,
  );
  if (report.heapGrowth) {
    const kb = (n) => {
      const k = Math.round(n / 1024);
      return `${k > 0 ? '+' : ''}${k} KB`;
    };
    lines.push(
      `heap, round 1 to the end  JavaScript objects ${kb(report.heapGrowth.objects)}; ` +
        `compiled code, DevTools' records of each request, engine internals ${kb(report.heapGrowth.other)}`,
    );
  }
  lines.push(
    `page                       longest task ${report.longestTask.toFixed(0)} ms, p95 frame interval ${report.p95Frame.toFixed(1)} ms`,
  );
  lines.push(
    `hostile names              rendered as text: ${report.hostileMarkupRendered ? 'NO' : 'yes'}; overall figure finite: ${report.nonFiniteOverall ? 'NO' : 'yes'}`,
  );
  if (report.wrong.length > 0) {
    lines.push('');
    lines.push(`wrong (${report.wrong.length}):`);
    for (const line of report.wrong.slice(0, 20)) lines.push(`  ${line}`);
  }
  return lines.join('\n');
}
