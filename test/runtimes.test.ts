import {expect} from '@esm-bundle/chai';
import {http, HttpResponse} from 'msw';
import {setupWorker} from 'msw/browser';
import {ConnectionBudget, UploadProgressManager, UploadProgressStream} from '../src/index.js';
import {message, record, waitFor} from './helpers/sse.js';

describe('where the core runs', () => {
  it('in a module Web Worker (no DOM)', async () => {
    const worker = new Worker(new URL('./helpers/worker-probe.ts', import.meta.url), {
      type: 'module',
    });
    try {
      const result = await new Promise<{seen: unknown[]; hasDocument: boolean}>(
        (resolve, reject) => {
          worker.onmessage = (event) => resolve(event.data);
          worker.onerror = (event) => reject(new Error(event.message));
        },
      );
      expect(result.hasDocument).to.equal(false);
      expect(result.seen).to.deep.equal([null, 40, 100]);
    } finally {
      worker.terminate();
    }
  });
});

describe('slow servers', () => {
  const msw = setupWorker();
  before(() =>
    msw.start({
      quiet: true,
      onUnhandledRequest: 'bypass',
      serviceWorker: {url: '/mockServiceWorker.js'},
    }),
  );
  after(() => msw.stop());

  it('a server dripping one byte at a time still yields whole records', async () => {
    const bytes = new TextEncoder().encode(
      message(record({filename: 'drip-é.txt', uploaded_bytes: 10})) +
        message(record({filename: 'drip-é.txt', status: 'completed'})),
    );
    let i = 0;
    msw.use(
      http.get(
        '/drip/:id',
        () =>
          new HttpResponse(
            new ReadableStream({
              pull(controller) {
                if (i < bytes.length) controller.enqueue(bytes.slice(i, ++i));
                else controller.close();
              },
            }),
            {headers: {'content-type': 'text/event-stream'}},
          ),
      ),
    );
    const stream = new UploadProgressStream('u1', {
      progressUrl: '/drip/{upload_id}',
      connectionBudget: new ConnectionBudget(),
    });
    const seen: string[] = [];
    stream.subscribe((p) => p && seen.push(`${p.filename}:${p.uploaded_bytes}`));
    await waitFor(() => stream.state === 'closed', 'closed', 8000);
    expect(seen).to.deep.equal(['drip-é.txt:10', 'drip-é.txt:1000']);
  });
});

describe('the page keeps its connections', () => {
  it("with dozens of uploads tracked, the page's own requests go through while streams are open", async () => {
    const form = new FormData();
    for (let i = 0; i < 24; i++)
      form.append('files', new File([new Uint8Array(100 + i)], `f${i}.txt`));
    form.append('path', 'many');
    form.append('mock', JSON.stringify({stepMs: 60, steps: 4}));
    const {upload_ids: ids} = (await (
      await fetch('/api/files/upload', {method: 'POST', body: form})
    ).json()) as {
      upload_ids: string[];
    };
    expect(ids).to.have.length(24);
    // The page's shared budget, default limit: what a real page gets.
    const manager = new UploadProgressManager();
    let peak = 0;
    manager.subscribe((snapshot) => {
      let open = 0;
      for (const entry of snapshot.uploads.values()) {
        if (entry.connection === 'connecting' || entry.connection === 'open') open++;
      }
      peak = Math.max(peak, open);
    });
    manager.track(ids);
    await waitFor(() => manager.getSnapshot().waiting === 20, '4 open, 20 waiting');
    // Six requests of the page's own, at once, while four streams hold connections.
    const own = await Promise.all(
      Array.from({length: 6}, (_, i) =>
        fetch(`/package.json?own=${i}`, {cache: 'no-store'}).then((r) => r.status),
      ),
    );
    expect(own).to.deep.equal([200, 200, 200, 200, 200, 200]);
    expect(manager.getSnapshot().allSettled).to.equal(false); // they went through meanwhile
    const s = await waitFor(
      () => manager.getSnapshot().allSettled && manager.getSnapshot(),
      'all settled',
      20000,
    );
    expect(s.completed).to.equal(24);
    // The mock server's own count is shared with other test files running at the same time,
    // so the budget is checked from the connections this page's streams held.
    expect(peak).to.equal(4);
  });
});
