import {expect} from '@esm-bundle/chai';
import {ConnectionBudget, UploadProgressManager} from '../src/index.js';
import {scriptedManager} from './helpers/scripted-manager.js';
import {settle, waitFor} from './helpers/sse.js';

// The manager's side of uploadFiles(): files tracked under local keys before the server has
// ids for them (trackTransfers), then attached to those ids.

function setup() {
  const {manager, bodies, requested, send} = scriptedManager();
  return {manager, bodies, requested, send};
}

describe('UploadProgressManager.trackTransfers', () => {
  it('lists files under local keys, in order with uploads tracked by id, and opens no stream', async () => {
    const {manager, requested} = setup();
    manager.track(['by-id']);
    const [a, b] = manager.trackTransfers([
      {filename: 'a.txt', total_bytes: 100},
      {filename: 'b.txt', total_bytes: 300},
    ]);
    expect(a!.key).to.not.equal(b!.key);
    const s = manager.getSnapshot();
    expect([...s.uploads.keys()]).to.deep.equal(['by-id', a!.key, b!.key]);
    expect(s.uploads.get('by-id')).to.deep.include({phase: 'processing', transferredBytes: null});
    expect(s.uploads.get(a!.key)).to.deep.include({
      uploadId: a!.key,
      phase: 'transferring',
      connection: 'idle',
    });
    await settle();
    expect(requested).to.deep.equal(['by-id']);
    manager.closeAll();
  });

  it('progress only grows and is capped at the size', () => {
    const {manager} = setup();
    const [h] = manager.trackTransfers([{filename: 'a', total_bytes: 100}]);
    const sent = () => manager.getSnapshot().uploads.get(h!.key)!.transferredBytes;
    h!.progress(40);
    h!.progress(30);
    expect(sent()).to.equal(40);
    h!.progress(1e9);
    expect(sent()).to.equal(100);
    h!.progress(Number.NaN);
    expect(sent()).to.equal(100);
  });

  it('attach moves the entry to the server id; track() of either is a no-op; old snapshots keep theirs', async () => {
    const {manager, requested, send} = setup();
    const [h] = manager.trackTransfers([{filename: 'a.txt', total_bytes: 100}]);
    h!.progress(60);
    const before = manager.getSnapshot();
    h!.attach('srv-1');
    const after = manager.getSnapshot();
    expect([...after.uploads.keys()]).to.deep.equal(['srv-1']);
    expect(after.uploads.get(h!.key)).to.equal(after.uploads.get('srv-1'));
    expect(after.uploads.get('srv-1')).to.deep.include({
      phase: 'processing',
      transferredBytes: 100,
      percentage: 50,
    });
    expect([...before.uploads.keys()]).to.deep.equal([h!.key]);
    expect(before.uploads.get(h!.key)!.transferredBytes).to.equal(60);
    manager.track([h!.key, 'srv-1']);
    expect(manager.getSnapshot().total).to.equal(1);
    expect(manager.getStream(h!.key)).to.equal(manager.getStream('srv-1'));
    await waitFor(() => requested.includes('srv-1'));
    expect(requested).to.deep.equal(['srv-1']);
    // Calls after attach change nothing.
    h!.progress(10);
    h!.fail('late');
    expect(manager.getSnapshot().failed).to.equal(0);
    send('srv-1', {status: 'completed', total_bytes: 100});
    const done = await waitFor(() => manager.getSnapshot().allCompleted && manager.getSnapshot());
    expect(done.progressMap.get(h!.key)!.status).to.equal('completed');
    expect(done.overallPercentage).to.equal(100);
  });

  it('fail ends the file failed with the reason and the bytes it reached', () => {
    const {manager} = setup();
    const [h, other] = manager.trackTransfers([
      {filename: 'a.txt', total_bytes: 100},
      {filename: 'b.txt', total_bytes: 100},
    ]);
    h!.progress(50);
    h!.fail('Cancelled');
    const s = manager.getSnapshot();
    expect(s.progressMap.get(h!.key)).to.deep.include({
      status: 'failed',
      error: 'Cancelled',
      filename: 'a.txt',
      total_bytes: 100,
    });
    expect(s.uploads.get(h!.key)).to.deep.include({phase: 'done', transferredBytes: 50});
    expect(s).to.deep.include({failed: 1, pending: 1, uploadedBytes: 25});
    // Settled: attach is ignored from now on.
    h!.attach('srv');
    expect(manager.getSnapshot().uploads.has('srv')).to.equal(false);
    other!.fail('x');
    expect(manager.getSnapshot().allSettled).to.equal(true);
  });

  it('attaching an id tracked already leaves one entry', () => {
    const {manager} = setup();
    manager.track([{upload_id: 'srv', filename: 'a.txt', total_bytes: 10}]);
    const [h] = manager.trackTransfers([{filename: 'a.txt', total_bytes: 10}]);
    h!.attach('srv');
    const s = manager.getSnapshot();
    expect([...s.uploads.keys()]).to.deep.equal(['srv']);
    expect(s.uploads.get(h!.key)!.uploadId).to.equal('srv');
    manager.closeAll();
  });

  it('untrack by local key or id forgets the file, and its handle goes quiet', () => {
    const {manager} = setup();
    const [a, b] = manager.trackTransfers([
      {filename: 'a', total_bytes: 10},
      {filename: 'b', total_bytes: 10},
    ]);
    manager.untrack(a!.key);
    a!.progress(5);
    a!.attach('srv-a');
    b!.attach('srv-b');
    manager.untrack(b!.key);
    const s = manager.getSnapshot();
    expect(s.total).to.equal(0);
    expect(s.uploads.has('srv-a')).to.equal(false);
    expect(s.uploads.has(b!.key)).to.equal(false);
  });

  it('closeAll forgets files being sent; a new batch can start', () => {
    const {manager} = setup();
    const [a] = manager.trackTransfers([{filename: 'a', total_bytes: 10}]);
    manager.closeAll();
    a!.progress(5);
    expect(manager.getSnapshot().total).to.equal(0);
    const [b] = manager.trackTransfers([{filename: 'b', total_bytes: 10}]);
    expect([...manager.getSnapshot().uploads.keys()]).to.deep.equal([b!.key]);
  });

  it('rejects files without a name or size, and ids that are not ids', () => {
    const {manager} = setup();
    expect(() => manager.trackTransfers([{filename: 'a'} as never])).to.throw(
      TypeError,
      /trackTransfers\(\) takes \{filename, total_bytes >= 0\}, got \{"filename":"a"\}/,
    );
    expect(() => manager.trackTransfers([{filename: 'a', total_bytes: -1}])).to.throw(TypeError);
    const [h] = manager.trackTransfers([{filename: 'a', total_bytes: 1}]);
    expect(() => h!.attach('')).to.throw(TypeError, /attach\(\) takes a non-empty id, got ""/);
  });

  it('refuses a multiplexUrl that is not a string, saying what it got', () => {
    expect(() => new UploadProgressManager({multiplexUrl: 42 as never})).to.throw(
      TypeError,
      /multiplexUrl must be a URL string, got a number/,
    );
  });

  it('with a manager signal aborted, handles are inert', () => {
    const manager = new UploadProgressManager({signal: AbortSignal.abort()});
    const [h] = manager.trackTransfers([{filename: 'a', total_bytes: 1}]);
    h!.progress(1);
    h!.attach('x');
    expect(manager.getSnapshot().total).to.equal(0);
  });

  it('speed counts bytes sent and bytes processed; the ETA covers both halves', async () => {
    let now = 0;
    const clock = {
      now: () => now,
      setTimeout: (f: () => void, ms: number) => setTimeout(f, ms),
      clearTimeout: (t: unknown) => clearTimeout(t as number),
    };
    const manager = new UploadProgressManager({clock, connectionBudget: new ConnectionBudget()});
    const [h] = manager.trackTransfers([{filename: 'a', total_bytes: 10_000}]);
    manager.getSnapshot();
    for (let i = 1; i <= 4; i++) {
      now += 500;
      h!.progress(i * 1000);
      manager.getSnapshot();
    }
    const s = manager.getSnapshot();
    expect(s.bytesPerSecond).to.be.closeTo(2000, 1);
    // 6,000 bytes to send and 10,000 to process, at 2,000 a second.
    expect(s.etaSeconds).to.be.closeTo(8, 0.01);
    manager.closeAll();
  });
});
