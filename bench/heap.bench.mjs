// Heap per settled upload, in a fresh process (other benchmarks' leftovers would blur it):
// 10,000 uploads each streamed to completion, a full collection before and after, three ways:
// - ids from crypto.randomUUID() made during the run (the figure: a page's real cost);
// - ids parsed from a JSON answer during the run (flat strings, as a page gets them);
// - flat ids made before the window: what the SDK itself keeps.
// Flat matters: V8 keeps randomUUID()'s result as a rope of ~20 pieces (~520 bytes) until
// something flattens it, and flattening inside the window frees memory there; measured with
// such ids made beforehand, the SDK's own figure read ~210 bytes instead of its true ~530.
// Timestamps and names differ per upload, as they do for real, so no string is shared.
import {spawnSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
// What ships: the built package (`npm run bench` builds first).
import {ConnectionBudget, UploadProgressManager} from '../dist/index.js';

const gc = globalThis.gc;
if (!gc) {
  console.log('heap per settled upload: needs --expose-gc (npm run bench passes it)');
  process.exit(0);
}
const encoder = new TextEncoder();
const N = 10_000;

function event(id, n, done) {
  const stamp = new Date(Date.UTC(2026, 10, 24, 10, 0, 0, n)).toISOString();
  const record = {
    upload_id: id,
    filename: `holiday-photo-${n}.jpg`,
    total_bytes: 1_000_000 + n,
    uploaded_bytes: done ? 1_000_000 + n : 500_000,
    status: done ? 'completed' : 'uploading',
    error: null,
    started_at: stamp,
    completed_at: done ? new Date(Date.parse(stamp) + 9000).toISOString() : null,
    progress_percentage: done ? 100 : 50,
  };
  return encoder.encode(`event: progress\ndata: ${JSON.stringify(record)}\n\n`);
}

function manager() {
  let n = 0;
  return new UploadProgressManager({
    fetch: async (url) => {
      const id = decodeURIComponent(String(url).split('/').pop());
      const chunks = [event(id, n, false), event(id, n++, true)];
      let i = 0;
      const body = new ReadableStream({
        pull: (c) => (i < chunks.length ? c.enqueue(chunks[i++]) : c.close()),
      });
      return new Response(body, {headers: {'content-type': 'text/event-stream'}});
    },
    connectionBudget: new ConnectionBudget(),
    maxConnections: 100_000,
  });
}

function settleAll(m, ids) {
  return new Promise((resolve) => {
    let tracked = false;
    const stop = m.subscribe((s) => {
      if (tracked && s.allSettled) {
        stop();
        resolve();
      }
    });
    tracked = true;
    m.track(ids);
  });
}

async function collect() {
  for (let i = 0; i < 5; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Bytes of heap one settled upload keeps: `makeIds()` runs inside the measured window. */
async function perUpload(makeIds) {
  const m = manager();
  await collect();
  const before = process.memoryUsage().heapUsed;
  await settleAll(m, makeIds());
  await collect();
  const after = process.memoryUsage().heapUsed;
  if (m.getSnapshot().completed !== N) throw new Error('not every upload settled');
  return {bytes: (after - before) / N};
}

const mode = process.argv[2];
if (mode === 'uuid' || mode === 'sdk' || mode === 'parsed') {
  // Warm the code paths up first, so compiled code is not billed to the records: enough
  // uploads for the optimising compiler to have run (with 3, its code, ~60 bytes an upload,
  // was made inside the window).
  await settleAll(
    manager(),
    Array.from({length: 2000}, (_, i) => `warm-${i}`),
  );
  const uuids = () => Array.from({length: N}, () => crypto.randomUUID());
  const parsed = () => JSON.parse(JSON.stringify({upload_ids: uuids()})).upload_ids;
  const made = mode === 'sdk' ? parsed() : undefined;
  const {bytes} = await perUpload(made ? () => made : mode === 'parsed' ? parsed : uuids);
  console.log(JSON.stringify({bytes, kept: made?.length ?? 0}));
} else {
  // Each figure in a process of its own: a second run in one process reads the first one's
  // late collections as its own (measured: swapping two runs moved the figures by 170-235 bytes).
  const measure = (which) => {
    const child = spawnSync(
      process.execPath,
      ['--expose-gc', fileURLToPath(import.meta.url), which],
      {encoding: 'utf8'},
    );
    if (child.status !== 0) throw new Error(`heap bench (${which}) failed: ${child.stderr}`);
    return JSON.parse(child.stdout.trim().split('\n').pop()).bytes;
  };
  const counted = measure('uuid');
  const sdk = measure('sdk');
  const parsed = measure('parsed');
  console.log(
    `heap per settled upload (${N.toLocaleString('en')} uploads, each streamed to completion)`,
  );
  console.log(
    `   counting the ids made in the run (randomUUID) : ${counted.toFixed(0)} bytes   (target <= 400)`,
  );
  console.log(`   counting the ids made in the run (JSON)       : ${parsed.toFixed(0)} bytes`);
  console.log(
    `   the SDK's own (flat ids made beforehand)      : ${sdk.toFixed(0)} bytes   (the seed promises ~1 KB)`,
  );
}
