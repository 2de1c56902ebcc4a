import {expect} from '@esm-bundle/chai';
import {ConnectionBudget, UploadProgressManager} from '../src/index.js';
import {FakeClock} from './helpers/fake-clock.js';
import {eventStream, message, record, settle, waitFor} from './helpers/sse.js';

// Tracking thousands of uploads costs what tracking a few does: each starts only when the
// manager has room for its connection; until then it is `waiting`, and the counts say so.

/** A progress endpoint that answers each upload completed, counting open requests. */
function countingServer(mode: 'single' | 'multiplex') {
  const server = {requests: 0, open: 0, peak: 0, ids: 0};
  const fetchFn = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    const ids =
      mode === 'multiplex'
        ? url.split('ids=')[1]!.split(',')
        : [decodeURIComponent(url.split('/').pop()!)];
    server.requests++;
    server.ids += ids.length;
    server.open++;
    server.peak = Math.max(server.peak, server.open);
    let open = true;
    const close = () => {
      if (open) server.open--;
      open = false;
    };
    init.signal?.addEventListener('abort', close);
    // Answered a task later, as a network would.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const text = ids
      .map((id) => message(record({upload_id: id, status: 'completed', total_bytes: 10})))
      .join('');
    return eventStream(
      new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(text));
          controller.close();
          close();
        },
      }),
    );
  }) as typeof fetch;
  return {server, fetch: fetchFn};
}

describe('tracking thousands of uploads', () => {
  it('track() of 10,000 starts only maxConnections streams; the rest wait, counted true', async function () {
    this.timeout(60_000);
    const {server, fetch} = countingServer('single');
    const m = new UploadProgressManager({
      fetch,
      connectionBudget: new ConnectionBudget(),
      maxConnections: 20,
    });
    const ids = Array.from({length: 10_000}, (_, i) => `u${i}`);
    m.track(ids);
    let s = m.getSnapshot();
    expect(s.total).to.equal(10_000);
    expect(s.pending).to.equal(10_000);
    expect(s.waiting).to.equal(10_000);
    expect([...s.uploads.values()].filter((e) => e.connection === 'waiting').length).to.equal(
      s.waiting,
    );
    await settle(1);
    expect(server.requests).to.be.at.most(20);
    s = await waitFor(() => m.getSnapshot().allSettled && m.getSnapshot(), 'all settled', 50_000);
    expect(s.completed).to.equal(10_000);
    expect(s.waiting).to.equal(0);
    expect(server.requests).to.equal(10_000);
    expect(server.peak).to.be.at.most(20);
  });

  it('with multiplexUrl, 10,000 uploads take a few connections of a few hundred ids each', async function () {
    this.timeout(60_000);
    const {server, fetch} = countingServer('multiplex');
    const m = new UploadProgressManager({
      fetch,
      connectionBudget: new ConnectionBudget(),
      multiplexUrl: '/multi',
    });
    m.track(Array.from({length: 10_000}, (_, i) => `u${i}`));
    await settle(1);
    expect(server.requests).to.be.at.most(4);
    const s = await waitFor(
      () => m.getSnapshot().allSettled && m.getSnapshot(),
      'all settled',
      50_000,
    );
    expect(s.completed).to.equal(10_000);
    expect(server.ids).to.equal(10_000);
    expect(server.peak).to.be.at.most(4);
    expect(server.requests).to.be.below(40);
  });

  it('even with room for every stream, starts none in the task that tracked them, then a hundred per task', async () => {
    const {fetch} = countingServer('single');
    const m = new UploadProgressManager({
      fetch,
      connectionBudget: new ConnectionBudget(),
      maxConnections: 1000,
    });
    const ids = Array.from({length: 1000}, (_, i) => `u${i}`);
    m.track(ids);
    await Promise.resolve();
    await Promise.resolve();
    expect(ids.filter((id) => m.getStream(id)).length, 'in the tracking task').to.equal(0);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(ids.filter((id) => m.getStream(id)).length, 'a task later').to.equal(100);
    await waitFor(() => m.getSnapshot().allCompleted, 'all completed', 10_000);
  });

  it('an upload whose stream is in its backoff gives its place to the next one', async () => {
    let calls = 0;
    const m = new UploadProgressManager({
      fetch: (async (input: RequestInfo | URL) => {
        calls++;
        if (String(input).endsWith('/slow')) return new Response('busy', {status: 503});
        return eventStream(message(record({upload_id: 'next', status: 'completed'})));
      }) as typeof fetch,
      connectionBudget: new ConnectionBudget(),
      maxConnections: 1,
      retry: {initialDelay: 60_000, maxDelay: 60_000},
    });
    m.track(['slow', 'next']);
    const s = await waitFor(
      () => m.getSnapshot().completed === 1 && m.getSnapshot(),
      'next completes',
    );
    expect(s.uploads.get('slow')!.connection).to.equal('retrying');
    expect(calls).to.equal(2);
    m.closeAll();
  });
});

describe('waiting for a slot', () => {
  it('is never taken for a silent server, however long it lasts', async () => {
    const clock = new FakeClock();
    const budget = new ConnectionBudget();
    // Another stream of the page holds the only slot.
    const other = budget.request(location.origin, 1, () => undefined);
    let requests = 0;
    const m = new UploadProgressManager({
      fetch: (async () => {
        requests++;
        return eventStream(message(record({upload_id: 'a', status: 'completed'})));
      }) as typeof fetch,
      clock,
      connectionBudget: budget,
      maxConnections: 1,
      idleTimeout: 1000,
    });
    m.track(['a']);
    await settle();
    await clock.advance(60_000);
    let s = m.getSnapshot();
    expect(s.uploads.get('a')!.connection).to.equal('waiting');
    expect(s.failed).to.equal(0);
    expect(requests).to.equal(0);
    other.release();
    s = await waitFor(() => m.getSnapshot().allSettled && m.getSnapshot(), 'settled');
    expect(s.completed).to.equal(1);
  });
});
