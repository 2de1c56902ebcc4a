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

/** The page's scheduler (Chromium has one), which the queue posts its tasks to. */
const scheduler = (globalThis as unknown as {scheduler: {postTask(run: () => void): unknown}})
  .scheduler;

/**
 * One task later: the queue starts its streams in tasks posted with `scheduler.postTask`,
 * which run in the order they were posted.
 */
const nextTask = () => new Promise<void>((resolve) => scheduler.postTask(resolve));

/** A manager whose progress requests are counted and never answered. */
function silentManager(maxConnections?: number) {
  const counted = {requested: 0};
  const manager = new UploadProgressManager({
    fetch: (() => {
      counted.requested++;
      return new Promise(() => undefined);
    }) as typeof fetch,
    connectionBudget: new ConnectionBudget(),
    maxConnections,
  });
  return {manager, counted};
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
    // Never more than 20 open at once, from the first start to the last (the peak, below).
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
    // Batches that end free their place for the next ones (never more than 4 at once: below).
    expect(server.requests).to.be.at.least(1);
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

  it('even with room for every stream, starts none in the task that tracked them, then at most a hundred per task', async () => {
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
    await nextTask();
    const started = ids.filter((id) => m.getStream(id)).length;
    expect(started, 'a task later').to.be.within(1, 100);
    await waitFor(() => m.getSnapshot().allCompleted, 'all completed', 10_000);
  });

  it('stops starting streams in a task once it has taken 10 ms (a slow, cold page starts fewer)', async () => {
    const m = new UploadProgressManager({
      // Never answers: no stream ends and frees a place, so only the tasks start them.
      fetch: (() => new Promise(() => undefined)) as typeof fetch,
      connectionBudget: new ConnectionBudget(),
      maxConnections: 1000,
    });
    const ids = Array.from({length: 50}, (_, i) => `u${i}`);
    const started = () => ids.filter((id) => m.getStream(id)).length;
    const realNow = performance.now.bind(performance);
    // Every start seems to take 20 ms: one start a task.
    let fake = 0;
    performance.now = () => (fake += 20);
    try {
      m.track(ids);
      await nextTask();
      expect(started(), 'one task').to.equal(1);
      await nextTask();
      expect(started(), 'two tasks').to.equal(2);
    } finally {
      performance.now = realNow;
      m.closeAll();
    }
  });

  it('posts the tasks that start streams with scheduler.postTask, not a chain of setTimeout(0) (held 4 ms a link)', async () => {
    const postTask = scheduler.postTask;
    let posted = 0;
    scheduler.postTask = function (run) {
      posted++;
      return postTask.call(this, run);
    };
    const {manager: m, counted} = silentManager(1000);
    // Time stands still: only the count (100) ends a task, however slow the machine.
    const realNow = performance.now.bind(performance);
    performance.now = () => 0;
    try {
      const ids = Array.from({length: 250}, (_, i) => `u${i}`);
      m.track(ids);
      await waitFor(() => counted.requested === 250, 'every stream started');
      // One task for the first hundred, then one for each next hundred.
      expect(posted).to.equal(3);
      // Cleared with a task still posted: it starts nothing.
      m.track(ids.map((id) => `v${id}`));
      await nextTask();
      expect(counted.requested).to.equal(350);
      m.closeAll();
      await nextTask();
      await nextTask();
      expect(counted.requested).to.equal(350);
    } finally {
      performance.now = realNow;
      scheduler.postTask = postTask;
      m.closeAll();
    }
  });

  it("starts streams through the timer when the page's own scheduler.postTask throws", async () => {
    const postTask = scheduler.postTask;
    scheduler.postTask = () => {
      throw new TypeError('not this scheduler');
    };
    const {manager: m, counted} = silentManager();
    try {
      m.track(['a', 'b', 'c']);
      await waitFor(() => counted.requested === 3, 'every stream started');
      expect(m.getSnapshot().waiting).to.equal(0);
    } finally {
      scheduler.postTask = postTask;
      m.closeAll();
    }
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

describe('uploads waiting their turn (no record of their own until it comes)', () => {
  it('ids still waiting count as uploads of unknown size: the total estimates them at the mean of the known', () => {
    const m = new UploadProgressManager({
      fetch: (() => new Promise(() => undefined)) as typeof fetch,
      connectionBudget: new ConnectionBudget(),
    });
    m.track([{upload_id: 'a', filename: 'a.bin', total_bytes: 1000}, 'b', 'c']);
    const s = m.getSnapshot();
    expect([s.total, s.pending, s.waiting]).to.deep.equal([3, 3, 3]);
    expect(s.totalBytes, 'a known, b and c at its size').to.equal(3000);
    expect(s.uploads.get('b')).to.deep.include({connection: 'waiting', totalBytes: null});
    m.closeAll();
  });

  it('track() of 10,000 ids makes no record per id in its task (two writes each), and the snapshot has them all', () => {
    const m = new UploadProgressManager({
      fetch: (() => new Promise(() => undefined)) as typeof fetch,
      connectionBudget: new ConnectionBudget(),
      maxConnections: 10_000,
    });
    m.subscribe(() => undefined);
    const ids = Array.from({length: 10_000}, (_, i) => `u${i}`);
    // Counting what track() stores per id, not timing it: its place in the backlog and in
    // the follow queue; its record (in the map of uploads in flight, with an entry and its
    // sums) waits for its turn.
    const {set} = Map.prototype;
    const {add} = Set.prototype;
    let writes = 0;
    Map.prototype.set = function (this: Map<unknown, unknown>, ...args: [unknown, unknown]) {
      writes++;
      return set.apply(this, args);
    };
    Set.prototype.add = function (this: Set<unknown>, value: unknown) {
      writes++;
      return add.call(this, value);
    };
    try {
      m.track(ids);
    } finally {
      Map.prototype.set = set;
      Set.prototype.add = add;
    }
    expect(writes, 'map and set writes').to.be.within(20_000, 20_100);
    const s = m.getSnapshot();
    expect(s.total).to.equal(10_000);
    expect(s.waiting).to.equal(10_000);
    expect(s.pending).to.equal(10_000);
    expect(s.uploads.get('u9999')).to.deep.include({connection: 'waiting', progress: null});
    m.closeAll();
  });

  it('untracked while waiting: never requested; tracked again: shown again; a name and size given later are kept', async () => {
    const {server, fetch} = countingServer('single');
    const requested: string[] = [];
    const m = new UploadProgressManager({
      fetch: ((input: RequestInfo | URL, init?: RequestInit) => {
        requested.push(decodeURIComponent(String(input).split('/').pop()!));
        return fetch(input, init);
      }) as typeof fetch,
      connectionBudget: new ConnectionBudget(),
      maxConnections: 1,
    });
    m.track(['a', 'b', {upload_id: 'c', filename: 'c.txt', total_bytes: 100}, 'd']);
    const before = m.getSnapshot();
    const c = before.uploads.get('c');
    expect(c).to.deep.include({filename: 'c.txt', totalBytes: 100, connection: 'waiting'});
    // Sized by the one size known.
    expect(before.totalBytes).to.equal(400);
    expect(before.waiting).to.equal(4);
    m.untrack('b');
    m.track([{upload_id: 'd', filename: 'd.txt', total_bytes: 300}]);
    let s = m.getSnapshot();
    expect([...s.uploads.keys()]).to.deep.equal(['a', 'c', 'd']);
    expect(s.uploads.get('d')).to.deep.include({filename: 'd.txt', totalBytes: 300});
    expect(s.totalBytes).to.equal(600);
    s = await waitFor(() => m.getSnapshot().allSettled && m.getSnapshot(), 'all settled');
    expect(requested).to.deep.equal(['a', 'c', 'd']);
    expect(s.completed).to.equal(3);
    // Snapshots taken while they waited keep what they saw.
    expect(before.uploads.get('c')).to.equal(c);
    expect(before.uploads.get('b')!.connection).to.equal('waiting');
    m.track(['b']);
    expect(m.getSnapshot().uploads.get('b')!.connection).to.equal('waiting');
    await waitFor(() => m.getSnapshot().allSettled, 'b settled');
    expect(requested).to.deep.equal(['a', 'c', 'd', 'b']);
    expect(server.peak).to.equal(1);
  });

  it('a transfer attached to an id still waiting gives way to it (one row, one stream)', async () => {
    const m = new UploadProgressManager({
      fetch: (() => new Promise(() => undefined)) as typeof fetch,
      connectionBudget: new ConnectionBudget(),
      maxConnections: 1,
    });
    m.track(['first', 'x']);
    const [handle] = m.trackTransfers([{filename: 'x.bin', total_bytes: 10}]);
    handle!.attach('x');
    const s = m.getSnapshot();
    expect([...s.uploads.keys()]).to.deep.equal(['first', 'x']);
    expect(s.total).to.equal(2);
    expect(s.waiting).to.equal(2);
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
