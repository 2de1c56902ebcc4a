import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {ConnectionBudget, UploadProgressManager, type UploadStatus} from '../../src/index.js';
import {FakeClock} from '../helpers/fake-clock.js';
import {ScriptedServer} from '../helpers/scripted-server.js';
import {record, waitFor} from '../helpers/sse.js';

// What a settled upload leaves behind: only its final record and entry. Checked with WeakRefs
// and full collections (gc exposed here: the test runner does not pass --expose-gc).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A manager over a scripted server: each upload's records are sent by hand. */
function setup() {
  const server = new ScriptedServer();
  const manager = new UploadProgressManager({
    fetch: server.fetch,
    connectionBudget: new ConnectionBudget(),
    maxConnections: 10,
  });
  const send = (id: string, uploaded: number, status: UploadStatus = 'uploading') =>
    server.send(id, {filename: `${id}.jpg`, uploaded_bytes: uploaded, status});
  const opened = (id: string) => server.bodies.has(id);
  return {manager, send, opened};
}

async function collect() {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('memory of settled uploads', () => {
  it('keeps only the final record and entry of each: earlier entries and records are released', async () => {
    const {manager, send, opened} = setup();
    const ids = ['a', 'b', 'c', 'd'];
    manager.track(ids);
    const earlier: WeakRef<object>[] = [];
    // The entries as tracked (the in-flight log), then the records and entries while uploading.
    for (const id of ids) earlier.push(new WeakRef(manager.getSnapshot().uploads.get(id)!));
    await waitFor(() => ids.every(opened));
    for (const id of ids) send(id, 50);
    await waitFor(() =>
      ids.every((id) => manager.getSnapshot().progressMap.get(id)?.uploaded_bytes === 50),
    );
    for (const id of ids) {
      earlier.push(new WeakRef(manager.getSnapshot().progressMap.get(id)!));
      earlier.push(new WeakRef(manager.getSnapshot().uploads.get(id)!));
    }
    for (const id of ids) send(id, 100, 'completed');
    await waitFor(() => manager.getSnapshot().allSettled);
    const final = manager.getSnapshot();
    await collect();
    assert.equal(earlier.filter((ref) => ref.deref() !== undefined).length, 0);
    // What stays is the final state, whole.
    for (const id of ids) {
      assert.equal(final.progressMap.get(id)!.status, 'completed');
      assert.equal(final.progressMap.get(id)!.filename, `${id}.jpg`);
      assert.equal(final.progressMap.get(id)!.started_at, record().started_at);
    }
    manager.closeAll();
  });

  it('while others are still under way, releases the tracked entries of most settled ones', async () => {
    const {manager, send, opened} = setup();
    const ids = ['a', 'b', 'c', 'd'];
    manager.track(ids);
    const tracked = ids.map((id) => new WeakRef(manager.getSnapshot().uploads.get(id)!));
    await waitFor(() => ids.every(opened));
    for (const id of ['a', 'b', 'c']) send(id, 100, 'completed');
    await waitFor(() => manager.getSnapshot().completed === 3);
    await collect();
    // a, b, c settled (their final entries are in the settled log); d is still under way,
    // with a record of its own: the entries as tracked went with the backlog, once the last
    // upload waiting in it got its record.
    assert.deepEqual(
      tracked.map((ref) => ref.deref() !== undefined),
      [false, false, false, false],
    );
    assert.equal(manager.getSnapshot().uploads.get('d')!.connection, 'open');
    send('d', 100, 'completed');
    await waitFor(() => manager.getSnapshot().allCompleted);
    manager.closeAll();
  });

  it('a settled upload kept as its record alone reads back as the entry it had, one object for every read', async () => {
    const server = new ScriptedServer();
    const manager = new UploadProgressManager({
      fetch: server.fetch,
      connectionBudget: new ConnectionBudget(),
      maxConnections: 10,
    });
    // a and c say nothing the record does not (kept as their records); b's name came from
    // track() and the server never sent one, so its entry says more than its record.
    manager.track(['a', {upload_id: 'b', filename: 'named.jpg', total_bytes: 1000}, 'c']);
    await waitFor(() => ['a', 'b', 'c'].every((id) => server.bodies.has(id)));
    server.send('a', {filename: 'a.jpg', uploaded_bytes: 1000, status: 'completed'});
    server.send('b', {filename: '', uploaded_bytes: 1000, status: 'completed'});
    server.send('c', {
      filename: 'c.jpg',
      uploaded_bytes: 400,
      progress_percentage: 40,
      status: 'failed',
    });
    await waitFor(() => manager.getSnapshot().allSettled);
    const first = manager.getSnapshot();
    const entry = (id: string, filename: string, percentage: number) => ({
      uploadId: id,
      progress: first.progressMap.get(id),
      filename,
      totalBytes: 1000,
      connection: 'closed',
      phase: 'done',
      transferredBytes: null,
      percentage,
    });
    assert.deepEqual(first.uploads.get('a'), entry('a', 'a.jpg', 100));
    assert.deepEqual(first.uploads.get('b'), entry('b', 'named.jpg', 100));
    assert.deepEqual(first.uploads.get('c'), entry('c', 'c.jpg', 40));
    assert.equal(first.progressMap.get('b')!.filename, '');
    // Elements compare entries by identity: a later snapshot hands out the same objects.
    manager.track(['d']);
    const later = manager.getSnapshot();
    assert.notEqual(later, first);
    for (const id of ['a', 'b', 'c']) {
      assert.equal(later.uploads.get(id), first.uploads.get(id));
      assert.equal(later.uploads.get(id)!.progress, first.progressMap.get(id));
    }
    manager.closeAll();
  });

  it('a snapshot kept alive holds a bounded part of what changed after it', async () => {
    const {manager, send, opened} = setup();
    manager.track(['a', 'b']);
    await waitFor(() => opened('a') && opened('b'));
    // Kept, as a hidden tab's listener or a detached element keeps the last one it got.
    const kept = manager.getSnapshot();
    const later: WeakRef<object>[] = [];
    for (let i = 1; i <= 400; i++) {
      send('a', i);
      await waitFor(() => manager.getSnapshot().progressMap.get('a')?.uploaded_bytes === i);
      // Each read is a new snapshot; the entry it shows is saved when the next record comes.
      if (i > 200) later.push(new WeakRef(manager.getSnapshot().uploads.get('a')!));
    }
    await collect();
    // Before a generation bound, the kept snapshot's log linked to every newer log: all 200
    // stayed alive, and its lookups walked 400 logs.
    assert.ok(
      later.filter((ref) => ref.deref() !== undefined).length <= 70,
      'the entries of later snapshots are released',
    );
    assert.equal(kept.uploads.get('a')!.progress?.uploaded_bytes ?? null, null);
    assert.equal(kept.uploads.get('a')!.connection, 'open');
    manager.closeAll();
  });
});

describe('snapshots handed out never change', () => {
  it('not when an upload that settled and was untracked is tracked again', async () => {
    const {manager, send, opened} = setup();
    manager.track(['a', 'b', 'c', 'd']);
    const first = manager.getSnapshot();
    await waitFor(() => opened('a'));
    send('a', 100, 'completed');
    await waitFor(() => manager.getSnapshot().completed === 1);
    manager.untrack('a');
    manager.track(['a']);
    assert.deepEqual([...first.uploads.keys()], ['a', 'b', 'c', 'd']);
    assert.equal(first.uploads.get('a')!.connection, 'waiting');
    manager.closeAll();
  });

  it('not when one of the uploads it saw settled is untracked (the settled log starts anew)', async () => {
    const {manager, send, opened} = setup();
    manager.track(['a', 'b']);
    await waitFor(() => opened('a') && opened('b'));
    send('a', 100, 'completed');
    send('b', 100, 'completed');
    await waitFor(() => manager.getSnapshot().completed === 2);
    const kept = manager.getSnapshot();
    manager.untrack('a');
    assert.deepEqual([...manager.getSnapshot().uploads.keys()], ['b']);
    assert.deepEqual([...kept.uploads.keys()], ['a', 'b']);
    assert.equal(kept.uploads.get('a')?.progress?.status, 'completed');
    assert.equal(kept.progressMap.get('b')?.status, 'completed');
    manager.closeAll();
  });
});

describe('memory of reading a snapshot', () => {
  it('has(), keys() and progressMap.get() build no entry for settled or waiting uploads (elements ask them of every id)', async () => {
    const S = 4000;
    const W = 4000;
    const answer = (id: string) =>
      `event: progress\ndata: ${JSON.stringify({upload_id: id, filename: `${id}.jpg`, total_bytes: 10, uploaded_bytes: 10, status: 'completed'})}\n\n`;
    const manager = new UploadProgressManager({
      // Settled at once for `s` ids; `w` ids hang, so all but the first 20 stay waiting.
      fetch: (async (url: string) => {
        const id = decodeURIComponent(String(url).split('/').pop()!);
        if (id.startsWith('w')) return new Promise<Response>(() => {});
        return new Response(answer(id), {headers: {'content-type': 'text/event-stream'}});
      }) as typeof fetch,
      connectionBudget: new ConnectionBudget(),
      maxConnections: 20,
    });
    const settled = Array.from({length: S}, (_, i) => `s${i}`);
    const waiting = Array.from({length: W}, (_, i) => `w${i}`);
    manager.track(settled);
    await waitFor(() => manager.getSnapshot().allSettled, 'all settled', 20_000);
    manager.track(waiting);
    await waitFor(() => manager.getSnapshot().waiting === W - 20, '20 requests open');
    const snapshot = manager.getSnapshot();
    await collect();
    const before = process.memoryUsage().heapUsed;
    let keys = 0;
    for (const id of snapshot.uploads.keys()) keys += id ? 1 : 0;
    let present = 0;
    for (const id of [...settled, ...waiting]) present += snapshot.uploads.has(id) ? 1 : 0;
    let records = 0;
    for (const id of settled)
      records += snapshot.progressMap.get(id)?.status === 'completed' ? 1 : 0;
    let progressKeys = 0;
    for (const id of snapshot.progressMap.keys()) progressKeys += id ? 1 : 0;
    await collect();
    const perUpload = (process.memoryUsage().heapUsed - before) / (S + W);
    assert.deepEqual([keys, present, records, progressKeys], [S + W, S + W, S, S]);
    // An entry is 80-96 bytes: building one per upload here showed as ~90 B an upload, kept.
    assert.ok(perUpload < 30, `reading kept ${perUpload.toFixed(0)} B an upload`);
    manager.closeAll();
  });
});

describe('what a closed manager leaves running', () => {
  it('closeAll() leaves no timer, even when a fetch ignores its abort signal and never settles', async () => {
    const clock = new FakeClock();
    let requests = 0;
    const manager = new UploadProgressManager({
      // A fetch wrapper that drops the signal: its promise outlives the close.
      fetch: (() => {
        requests++;
        return new Promise<Response>(() => {});
      }) as typeof fetch,
      connectionBudget: new ConnectionBudget(),
      clock,
    });
    manager.track(['a', 'b']);
    await waitFor(() => requests === 2, 'both requests sent');
    assert.notDeepEqual(clock.pending(), [], 'connect deadlines armed');
    manager.closeAll();
    await new Promise((resolve) => setTimeout(resolve, 10));
    // Before: the 120 s connect deadlines stayed, and kept a Node process from exiting.
    assert.deepEqual(clock.pending(), []);
  });
});

describe('memory of the connection budget', () => {
  it('a ticket held by a stream in flight is one small object (no property array, no closures)', async () => {
    const budget = new ConnectionBudget();
    const onGrant = () => undefined;
    const N = 10_000;
    // Warm: the pool and its first tickets are not what is measured.
    const warm = Array.from({length: 100}, () => budget.request('https://x', N * 2, onGrant));
    await collect();
    const before = process.memoryUsage().heapUsed;
    const held = Array.from({length: N}, () => budget.request('https://x', N * 2, onGrant));
    await collect();
    const perTicket = (process.memoryUsage().heapUsed - before) / N;
    assert.equal(held.filter((ticket) => ticket.granted).length, N);
    // A literal with a getter and a release closure measured ~780 B a ticket; the class ~70 B.
    assert.ok(perTicket < 160, `${perTicket.toFixed(0)} B a ticket`);
    for (const ticket of [...warm, ...held]) ticket.release();
    assert.equal(budget.active('https://x'), 0);
  });
});
