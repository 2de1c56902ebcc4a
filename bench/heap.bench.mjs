// Heap per settled upload, in a fresh process (other benchmarks' leftovers would blur it):
// 10,000 uploads each streamed to completion, a full collection before and after.
// Timestamps and names differ per upload, as they do for real, so no string is shared.
import {ConnectionBudget, UploadProgressManager} from '../src/index.ts';

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

// Warm the code paths up first, so compiled code is not billed to the records.
await settleAll(manager(), ['warm-1', 'warm-2', 'warm-3']);
const ids = Array.from({length: N}, () => crypto.randomUUID());
const m = manager();
await collect();
const before = process.memoryUsage().heapUsed;
await settleAll(m, ids);
await collect();
const after = process.memoryUsage().heapUsed;
if (m.getSnapshot().completed !== N) throw new Error('not every upload settled');
console.log(
  `heap per settled upload (${N.toLocaleString('en')} uploads, ids allocated beforehand)`,
);
console.log(
  `   ${((after - before) / N).toFixed(0)} bytes per upload   (target <= 1 KiB; the seed promises ~1 KB)`,
);
