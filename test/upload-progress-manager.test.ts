import {expect} from '@esm-bundle/chai';
import {
  ConnectionBudget,
  UploadProgressManager,
  UploadProgressStream,
  getUploadProgressManager,
  type UploadProgressManagerOptions,
  type UploadProgressSnapshot,
} from '../src/index.js';
import {FakeClock} from './helpers/fake-clock.js';
import {ScriptedServer} from './helpers/scripted-server.js';
import {scriptedManager} from './helpers/scripted-manager.js';
import {message, record, settle, waitFor} from './helpers/sse.js';

function setup(extra: UploadProgressManagerOptions = {}) {
  const {server, manager} = scriptedManager(extra);
  return {server, manager};
}

const connected = (server: ScriptedServer, ...ids: string[]) =>
  waitFor(() => ids.every((id) => server.bodies.has(id)), `connections to ${ids.join(', ')}`);

describe('UploadProgressManager', () => {
  it('starts empty: 0 %, not completed, not settled, never NaN', () => {
    const {manager} = setup();
    const s = manager.getSnapshot();
    expect(s).to.deep.include({
      overallPercentage: 0,
      allCompleted: false,
      allSettled: false,
      total: 0,
    });
    expect(s.progressMap.size).to.equal(0);
  });

  it('weights the overall percentage by bytes, and reaches 100 exactly when all completed', async () => {
    const {server, manager} = setup();
    manager.track(['a', 'b']);
    await connected(server, 'a', 'b');
    server.send('a', {total_bytes: 1000, uploaded_bytes: 1000, progress_percentage: 100});
    server.send('b', {total_bytes: 3000, uploaded_bytes: 0});
    await waitFor(() => manager.getSnapshot().progressMap.size === 2);
    expect(manager.getSnapshot().overallPercentage).to.equal(25);
    // Every byte in, yet "b" still processing: short of 100.
    server.send('b', {total_bytes: 3000, uploaded_bytes: 3000, progress_percentage: 100});
    server.send('a', {status: 'completed', total_bytes: 1000});
    await waitFor(() => manager.getSnapshot().completed === 1);
    let s = manager.getSnapshot();
    expect(s.overallPercentage).to.be.below(100);
    expect(s.allCompleted).to.equal(false);
    server.send('b', {status: 'completed', total_bytes: 3000});
    s = await waitFor(() => manager.getSnapshot().allCompleted && manager.getSnapshot());
    expect(s.overallPercentage).to.equal(100);
    expect(s.allSettled).to.equal(true);
    expect(s.uploadedBytes).to.equal(4000);
  });

  it('keeps failed uploads in the sum with the bytes they reached; settled but never 100', async () => {
    const {server, manager} = setup();
    manager.track(['a', 'b']);
    await connected(server, 'a', 'b');
    server.send('a', {status: 'completed', total_bytes: 1000});
    server.send('b', {
      status: 'failed',
      total_bytes: 1000,
      uploaded_bytes: 500,
      error: 'virus found',
    });
    const s = await waitFor(() => manager.getSnapshot().allSettled && manager.getSnapshot());
    expect(s.allCompleted).to.equal(false);
    expect(s.overallPercentage).to.equal(75);
    expect(s.failed).to.equal(1);
    expect(s.progressMap.get('b')!.error).to.equal('virus found');
  });

  it('sizes uploads not heard from yet by track() or the mean, so the figure does not jump', async () => {
    const {server, manager} = setup();
    manager.track([{upload_id: 'a', filename: 'a.bin', total_bytes: 4000}, 'b', 'c']);
    await connected(server, 'a', 'b', 'c');
    let s = manager.getSnapshot();
    expect(s.uploads.get('a')).to.deep.include({
      filename: 'a.bin',
      totalBytes: 4000,
      progress: null,
    });
    expect(s.pending).to.equal(3);
    server.send('a', {total_bytes: 4000, uploaded_bytes: 2000});
    server.send('b', {total_bytes: 2000, uploaded_bytes: 0});
    await waitFor(() => manager.getSnapshot().progressMap.size === 2);
    s = manager.getSnapshot();
    // c is unknown: counted at the mean of a and b (3000) => 2000 / 9000.
    expect(s.totalBytes).to.equal(9000);
    expect(s.overallPercentage).to.be.closeTo((2000 / 9000) * 100, 1e-9);
  });

  it('does not go down while the set stays the same (sizes equal), whatever order records arrive in', async () => {
    const {server, manager} = setup();
    const ids = ['a', 'b', 'c'];
    manager.track(ids);
    await connected(server, ...ids);
    const figures: number[] = [];
    manager.subscribe((s) => figures.push(s.overallPercentage));
    const steps: [string, number][] = [
      ['a', 300],
      ['c', 100],
      ['a', 200],
      ['b', 900],
      ['c', 50],
      ['b', 400],
      ['a', 1000],
      ['c', 700],
    ];
    for (const [id, bytes] of steps) {
      server.send(id, {total_bytes: 1000, uploaded_bytes: bytes});
      await settle(1);
    }
    for (const id of ids) server.send(id, {status: 'completed', total_bytes: 1000});
    await waitFor(() => manager.getSnapshot().allCompleted);
    await settle();
    for (let i = 1; i < figures.length; i++) expect(figures[i]).to.be.at.least(figures[i - 1]!);
    expect(figures.at(-1)).to.equal(100);
  });

  it('tells listeners once per task, however many events arrive, and only when something changed', async () => {
    const {server, manager} = setup();
    manager.track(['a']);
    await connected(server, 'a');
    let calls = 0;
    manager.subscribe(() => calls++);
    expect(calls).to.equal(1);
    let chunk = '';
    for (let i = 1; i <= 50; i++)
      chunk += message(record({upload_id: 'a', uploaded_bytes: i * 10}));
    server.bodies.get('a')!.push(chunk);
    await waitFor(() => manager.getSnapshot().progressMap.get('a')?.uploaded_bytes === 500);
    await settle();
    expect(calls).to.equal(2);
    server.send('a', {uploaded_bytes: 500}); // a duplicate: nothing changed
    await settle();
    expect(calls).to.equal(2);
  });

  // A built-in that throws "Illegal invocation" unless called as a plain function, like
  // requestAnimationFrame (which does not run in the background tabs tests may get).
  it('accepts a global timer function as its scheduler', async () => {
    const {server, manager} = setup({schedule: setTimeout});
    manager.track(['a']);
    await connected(server, 'a');
    const frames: number[] = [];
    manager.subscribe((s) => frames.push(s.uploadedBytes));
    for (let i = 1; i <= 5; i++) {
      server.send('a', {uploaded_bytes: i});
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await waitFor(() => frames.at(-1) === 5);
    expect(frames.length).to.be.at.least(2).and.at.most(6);
    manager.closeAll();
  });

  it('returns the same snapshot until a change; older snapshots never change', async () => {
    const {server, manager} = setup();
    manager.track(['a', 'b']);
    await connected(server, 'a', 'b');
    server.send('a', {uploaded_bytes: 100});
    await waitFor(() => manager.getSnapshot().progressMap.size === 1);
    const before = manager.getSnapshot();
    expect(manager.getSnapshot()).to.equal(before);
    server.send('a', {status: 'completed'});
    server.send('b', {uploaded_bytes: 400});
    await waitFor(
      () => manager.getSnapshot().completed === 1 && manager.getSnapshot().progressMap.size === 2,
    );
    const after = manager.getSnapshot();
    expect(after).to.not.equal(before);
    expect(before.progressMap.get('a')!.uploaded_bytes).to.equal(100);
    expect(before.progressMap.has('b')).to.equal(false);
    expect([...before.progressMap.keys()]).to.deep.equal(['a']);
    expect([...after.progressMap.keys()]).to.deep.equal(['a', 'b']);
    expect(after.progressMap.get('a')!.status).to.equal('completed');
    expect(Object.isFrozen(after)).to.equal(true);
  });

  it('snapshots taken between many changes keep what they saw (undo logs over the entries)', async () => {
    const {server, manager} = setup({maxConnections: 12});
    const ids = Array.from({length: 12}, (_, i) => `u${i}`);
    manager.track(ids);
    await connected(server, ...ids);
    const seen: [UploadProgressSnapshot, string][] = [];
    const state = (s: UploadProgressSnapshot) =>
      ids
        .map((id) => `${s.uploads.get(id)?.progress?.uploaded_bytes}/${s.uploads.get(id)?.phase}`)
        .join();
    // Rounds of changes, a snapshot after each: every snapshot's undo log is read through
    // the newer ones at the end, and settled uploads leave the entries (a deletion saved).
    const completed = new Set<string>();
    for (let round = 1; round <= 4; round++) {
      for (const [i, id] of ids.entries()) {
        if (completed.has(id)) continue;
        const before = manager.getSnapshot();
        if (round > 1 && i < round * 3) completed.add(id);
        server.send(id, {
          uploaded_bytes: round * 100 + i,
          ...(completed.has(id) ? {status: 'completed'} : {}),
        });
        await waitFor(() => manager.getSnapshot() !== before);
        const snapshot = manager.getSnapshot();
        seen.push([snapshot, state(snapshot)]);
      }
    }
    expect(seen.length).to.be.greaterThan(30);
    for (const [snapshot, then] of seen) expect(state(snapshot)).to.equal(then);
    expect(manager.getSnapshot().completed).to.equal(12);
  });

  it('a snapshot keeps what it saw across an attach, an untrack and a re-track between two reads', async () => {
    const {server, manager} = setup({maxConnections: 4});
    manager.track(['a', 'b']);
    await connected(server, 'a', 'b');
    server.send('a', {uploaded_bytes: 10});
    await waitFor(() => manager.getSnapshot().progressMap.size === 1);
    const [handle] = manager.trackTransfers([{filename: 'x.bin', total_bytes: 50}]);
    handle!.progress(20);
    const seen = manager.getSnapshot();
    const key = handle!.key;
    // All before the next read: one log saves each id's first state only.
    handle!.progress(30);
    handle!.attach('x');
    manager.untrack('a');
    manager.track(['a']);
    server.send('b', {uploaded_bytes: 40});
    expect(manager.getSnapshot()).to.not.equal(seen);
    expect([...seen.uploads.keys()]).to.deep.equal(['a', 'b', key]);
    expect(seen.uploads.get('a')!.progress!.uploaded_bytes).to.equal(10);
    expect(seen.uploads.get('a')!.connection).to.equal('open');
    expect(seen.uploads.get(key)!.transferredBytes).to.equal(20);
    expect(seen.uploads.get(key)!.phase).to.equal('transferring');
    expect(seen.uploads.has('x')).to.equal(false);
    const now = manager.getSnapshot();
    expect([...now.uploads.keys()]).to.deep.equal(['b', 'x', 'a']);
    expect(now.uploads.get('a')!.progress).to.equal(null);
    expect(now.uploads.get(key)).to.equal(now.uploads.get('x'));
    expect(now.uploads.get('x')!.phase).to.equal('processing');
    // The same entry objects while nothing changes (elements compare them by identity).
    manager.track(['c']);
    expect(manager.getSnapshot().uploads.get('x')).to.equal(now.uploads.get('x'));
    manager.closeAll();
  });

  it('settled uploads release their stream and connection', async () => {
    const {server, manager} = setup();
    manager.track(['a']);
    await connected(server, 'a');
    expect(manager.getStream('a')).to.not.equal(undefined);
    server.send('a', {status: 'completed'});
    await waitFor(() => manager.getSnapshot().allCompleted);
    expect(manager.getStream('a')).to.equal(undefined);
    await waitFor(() => server.open === 0, 'connection closed');
  });

  it('holds at most maxConnections streams per origin, shows the rest as waiting, serves them in order', async () => {
    const {server, manager} = setup({maxConnections: 2});
    const ids = ['a', 'b', 'c', 'd', 'e'];
    manager.track(ids);
    await connected(server, 'a', 'b');
    await settle();
    let s = manager.getSnapshot();
    expect(server.open).to.equal(2);
    expect(s.waiting).to.equal(3);
    expect(s.uploads.get('e')!.connection).to.equal('waiting');
    for (const id of ids) {
      await connected(server, id);
      expect(server.open).to.be.at.most(2);
      server.send(id, {status: 'completed'});
    }
    s = await waitFor(() => manager.getSnapshot().allCompleted && manager.getSnapshot());
    expect(server.requested).to.deep.equal(ids);
    expect(server.peak).to.equal(2);
    expect(s.waiting).to.equal(0);
  });

  it('shares one budget between managers (default 4 per origin)', async () => {
    const budget = new ConnectionBudget();
    const server = new ScriptedServer();
    const one = new UploadProgressManager({fetch: server.fetch, connectionBudget: budget});
    const two = new UploadProgressManager({fetch: server.fetch, connectionBudget: budget});
    one.track(['a', 'b', 'c']);
    two.track(['d', 'e', 'f']);
    await waitFor(() => server.open === 4);
    await settle();
    expect(server.open).to.equal(4);
    expect(one.getSnapshot().waiting + two.getSnapshot().waiting).to.equal(2);
    one.closeAll();
    two.closeAll();
    await waitFor(() => server.open === 0);
    expect(budget.active(location.origin)).to.equal(0);
  });

  it('untrack and closeAll forget uploads and close their connections', async () => {
    const {server, manager} = setup();
    manager.track(['a', 'b', 'c']);
    await connected(server, 'a', 'b', 'c');
    server.send('c', {status: 'completed', total_bytes: 10});
    await waitFor(() => manager.getSnapshot().completed === 1);
    manager.untrack('a');
    manager.untrack('c');
    manager.untrack('nope');
    let s = manager.getSnapshot();
    expect([...s.uploads.keys()]).to.deep.equal(['b']);
    expect(s.completed).to.equal(0);
    await waitFor(() => server.open === 1);
    manager.closeAll();
    s = manager.getSnapshot();
    expect(s.total).to.equal(0);
    await waitFor(() => server.open === 0);
    // Usable again afterwards.
    manager.track(['z']);
    await connected(server, 'z');
    expect(manager.getSnapshot().total).to.equal(1);
    manager.closeAll();
  });

  it('ignores ids tracked twice, fills in what track() learns later, rejects bad input', async () => {
    const {server, manager} = setup();
    manager.track(['a', 'a']);
    manager.track([{upload_id: 'a', filename: 'late.txt', total_bytes: 50}]);
    await connected(server, 'a');
    expect(server.requested).to.deep.equal(['a']);
    expect(manager.getSnapshot().uploads.get('a')).to.deep.include({
      filename: 'late.txt',
      totalBytes: 50,
    });
    expect(() => manager.track([''])).to.throw(TypeError, /non-empty/);
    expect(() => manager.track([{} as never])).to.throw(TypeError, /track\(\) takes .*got \{\}/);
    // Inputs JSON cannot show still get the message meant for them, not JSON's own error.
    const cyclic: {self?: unknown} = {};
    cyclic.self = cyclic;
    expect(() => manager.track([cyclic as never])).to.throw(
      TypeError,
      /track\(\) takes .*got object/,
    );
    expect(() => manager.track([BigInt(1) as never])).to.throw(
      TypeError,
      /track\(\) takes .*got bigint/,
    );
    expect(() => new UploadProgressStream(BigInt(1) as never)).to.throw(
      TypeError,
      /uploadId must be a string, got bigint/,
    );
    manager.closeAll();
  });

  it('a transport failure ends the upload failed with a reason and keeps the known name', async () => {
    const manager = new UploadProgressManager({
      fetch: (async () => new Response(null, {status: 404})) as typeof fetch,
      connectionBudget: new ConnectionBudget(),
    });
    manager.track([{upload_id: 'gone', filename: 'old.zip', total_bytes: 100}]);
    const s = await waitFor(() => manager.getSnapshot().allSettled && manager.getSnapshot());
    expect(s.progressMap.get('gone')).to.deep.include({status: 'failed', filename: 'old.zip'});
    expect(s.progressMap.get('gone')!.error).to.match(/404/);
  });

  it('gives speed and ETA only once there is enough to say', async () => {
    const clock = new FakeClock();
    const {server, manager} = setup({clock});
    manager.track(['a']);
    await connected(server, 'a');
    server.send('a', {total_bytes: 10_000, uploaded_bytes: 0});
    await waitFor(() => manager.getSnapshot().progressMap.size === 1);
    expect(manager.getSnapshot().bytesPerSecond).to.equal(null);
    expect(manager.getSnapshot().etaSeconds).to.equal(null);
    for (let i = 1; i <= 4; i++) {
      await clock.advance(500);
      server.send('a', {total_bytes: 10_000, uploaded_bytes: i * 1000});
      await waitFor(() => manager.getSnapshot().uploadedBytes === i * 1000);
    }
    const s = manager.getSnapshot();
    expect(s.bytesPerSecond).to.be.closeTo(2000, 1);
    expect(s.etaSeconds).to.be.closeTo(3, 0.01);
    manager.closeAll();
  });

  it('gives no ETA while uploads wait their turn to be followed (what is left of them is unknown)', async () => {
    const clock = new FakeClock();
    const {server, manager} = setup({clock, maxConnections: 1});
    manager.track(['a', 'b']);
    await connected(server, 'a');
    for (let i = 0; i <= 4; i++) {
      if (i) await clock.advance(500);
      server.send('a', {total_bytes: 10_000, uploaded_bytes: i * 1000});
      await waitFor(() => manager.getSnapshot().uploadedBytes === i * 1000);
    }
    let s = manager.getSnapshot();
    expect(s.waiting).to.equal(1);
    expect(s.bytesPerSecond).to.be.above(0);
    expect(s.etaSeconds).to.equal(null);
    // a is done, b streams: nothing waits, the time left is known again.
    server.send('a', {total_bytes: 10_000, uploaded_bytes: 10_000, status: 'completed'});
    await connected(server, 'b');
    server.send('b', {total_bytes: 10_000, uploaded_bytes: 0});
    s = await waitFor(() => manager.getSnapshot().uploading === 1 && manager.getSnapshot());
    expect(s.waiting).to.equal(0);
    expect(s.etaSeconds).to.be.a('number');
    manager.closeAll();
  });

  it('counts one that failed before its size was known at the mean in the total, not in the time left', async () => {
    const clock = new FakeClock();
    const {server, manager} = setup({clock});
    manager.track(['x', 'a']);
    await connected(server, 'x', 'a');
    server.send('x', {status: 'failed', total_bytes: 0, error: 'gone'});
    server.send('a', {total_bytes: 10_000, uploaded_bytes: 0});
    await waitFor(() => manager.getSnapshot().failed === 1 && manager.getSnapshot().uploading);
    for (let i = 1; i <= 4; i++) {
      await clock.advance(500);
      server.send('a', {total_bytes: 10_000, uploaded_bytes: i * 1000});
      await waitFor(() => manager.getSnapshot().uploadedBytes === i * 1000);
    }
    const s = manager.getSnapshot();
    // x is sized at the mean of the known ones (10,000): 4,000 of 20,000.
    expect(s.totalBytes).to.equal(20_000);
    expect(s.overallPercentage).to.equal(20);
    // Only a's 6,000 bytes are left, at 2,000 a second.
    expect(s.etaSeconds).to.be.closeTo(3, 0.01);
    manager.closeAll();
  });

  it('an aborted signal closes everything', async () => {
    const controller = new AbortController();
    const {server, manager} = setup({signal: controller.signal});
    manager.track(['a', 'b']);
    await connected(server, 'a', 'b');
    controller.abort();
    await waitFor(() => server.open === 0);
    expect(manager.getSnapshot().total).to.equal(0);
  });

  it('getUploadProgressManager() is one manager for the page', () => {
    expect(getUploadProgressManager()).to.equal(getUploadProgressManager());
    expect(getUploadProgressManager()).to.be.instanceOf(UploadProgressManager);
  });

  it('a listener that unsubscribes another mid-notification does not call it', async () => {
    const {server, manager} = setup();
    manager.track(['a']);
    await connected(server, 'a');
    const seen: UploadProgressSnapshot[] = [];
    let stopSecond = () => undefined as void;
    manager.subscribe(() => stopSecond());
    stopSecond = manager.subscribe((s) => seen.push(s));
    server.send('a', {uploaded_bytes: 5});
    await settle();
    expect(seen).to.have.length(1);
    manager.closeAll();
  });
});
