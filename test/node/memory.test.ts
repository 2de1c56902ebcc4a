import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {setFlagsFromString} from 'node:v8';
import {runInNewContext} from 'node:vm';
import {ConnectionBudget, UploadProgressManager} from '../../src/index.js';

// What a settled upload leaves behind: only its final record and entry. Checked with WeakRefs
// and full collections (gc exposed here: the test runner does not pass --expose-gc).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Streams the tests drive by hand: one record at a time per upload. */
function scripted() {
  const controllers = new Map<string, ReadableStreamDefaultController<Uint8Array>>();
  const encoder = new TextEncoder();
  const fetch = (async (input: RequestInfo | URL) => {
    const id = decodeURIComponent(String(input).split('/').pop()!);
    const body = new ReadableStream<Uint8Array>({start: (c) => void controllers.set(id, c)});
    return new Response(body, {headers: {'content-type': 'text/event-stream'}});
  }) as typeof globalThis.fetch;
  const send = (id: string, uploaded: number, status = 'uploading') =>
    controllers
      .get(id)!
      .enqueue(
        encoder.encode(
          `data: ${JSON.stringify({upload_id: id, filename: `${id}.jpg`, total_bytes: 1000, uploaded_bytes: uploaded, status, started_at: '2026-11-27T10:00:00Z'})}\n\n`,
        ),
      );
  return {fetch, send, opened: (id: string) => controllers.has(id)};
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(condition(), 'condition not met in time');
};

async function collect() {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('memory of settled uploads', () => {
  it('keeps only the final record and entry of each: earlier entries and records are released', async () => {
    const {fetch, send, opened} = scripted();
    const manager = new UploadProgressManager({
      fetch,
      connectionBudget: new ConnectionBudget(),
      maxConnections: 10,
    });
    const ids = ['a', 'b', 'c', 'd'];
    manager.track(ids);
    const earlier: WeakRef<object>[] = [];
    // The entries as tracked (the in-flight log), then the records and entries while uploading.
    for (const id of ids) earlier.push(new WeakRef(manager.getSnapshot().uploads.get(id)!));
    await until(() => ids.every(opened));
    for (const id of ids) send(id, 50);
    await until(() =>
      ids.every((id) => manager.getSnapshot().progressMap.get(id)?.uploaded_bytes === 50),
    );
    for (const id of ids) {
      earlier.push(new WeakRef(manager.getSnapshot().progressMap.get(id)!));
      earlier.push(new WeakRef(manager.getSnapshot().uploads.get(id)!));
    }
    for (const id of ids) send(id, 100, 'completed');
    await until(() => manager.getSnapshot().allSettled);
    const final = manager.getSnapshot();
    await collect();
    assert.equal(earlier.filter((ref) => ref.deref() !== undefined).length, 0);
    // What stays is the final state, whole.
    for (const id of ids) {
      assert.equal(final.progressMap.get(id)!.status, 'completed');
      assert.equal(final.progressMap.get(id)!.filename, `${id}.jpg`);
      assert.equal(final.progressMap.get(id)!.started_at, '2026-11-27T10:00:00Z');
    }
    manager.closeAll();
  });

  it('while others are still under way, releases the tracked entries of most settled ones', async () => {
    const {fetch, send, opened} = scripted();
    const manager = new UploadProgressManager({
      fetch,
      connectionBudget: new ConnectionBudget(),
      maxConnections: 10,
    });
    const ids = ['a', 'b', 'c', 'd'];
    manager.track(ids);
    const tracked = ids.map((id) => new WeakRef(manager.getSnapshot().uploads.get(id)!));
    await until(() => ids.every(opened));
    for (const id of ['a', 'b', 'c']) send(id, 100, 'completed');
    await until(() => manager.getSnapshot().completed === 3);
    await collect();
    // a, b, c settled (their final entries are in the settled log); d is still under way,
    // so its entry as tracked stays in the log (snapshots read its later ones first).
    assert.deepEqual(
      tracked.map((ref) => ref.deref() !== undefined),
      [false, false, false, true],
    );
    assert.equal(manager.getSnapshot().uploads.get('d')!.connection, 'open');
    send('d', 100, 'completed');
    await until(() => manager.getSnapshot().allCompleted);
    manager.closeAll();
  });

  it('a snapshot kept alive holds a bounded part of what changed after it', async () => {
    const {fetch, send, opened} = scripted();
    const manager = new UploadProgressManager({
      fetch,
      connectionBudget: new ConnectionBudget(),
      maxConnections: 10,
    });
    manager.track(['a', 'b']);
    await until(() => opened('a') && opened('b'));
    // Kept, as a hidden tab's listener or a detached element keeps the last one it got.
    const kept = manager.getSnapshot();
    const later: WeakRef<object>[] = [];
    for (let i = 1; i <= 400; i++) {
      send('a', i);
      await until(() => manager.getSnapshot().progressMap.get('a')?.uploaded_bytes === i);
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
    const {fetch, send, opened} = scripted();
    const manager = new UploadProgressManager({
      fetch,
      connectionBudget: new ConnectionBudget(),
      maxConnections: 10,
    });
    manager.track(['a', 'b', 'c', 'd']);
    const first = manager.getSnapshot();
    await until(() => opened('a'));
    send('a', 100, 'completed');
    await until(() => manager.getSnapshot().completed === 1);
    manager.untrack('a');
    manager.track(['a']);
    assert.deepEqual([...first.uploads.keys()], ['a', 'b', 'c', 'd']);
    assert.equal(first.uploads.get('a')!.connection, 'waiting');
    manager.closeAll();
  });
});
