import {expect} from '@esm-bundle/chai';
import {
  ConnectionBudget,
  UploadProgressError,
  UploadProgressManager,
  resumeUploads,
  uploadFiles,
  type UploadEntry,
  type UploadProgressSnapshot,
} from '../src/index.js';
import {waitFor} from './helpers/sse.js';

// uploadFiles() with the browser's own XMLHttpRequest against the mock backend (a real
// node:http server, same-origin through the test server's /api/ proxy, or cross-origin at
// its own URL). Chromium reports upload progress every 100 ms or so, and a few megabytes
// cross localhost in less: only a large body (90 MB here, under the mock's 100 MiB limit)
// shows progress before it is all sent. The fine-grained assertions are in
// upload-files.test.ts, with a scripted XMLHttpRequest.

const BIG = 90_000_000;
let big: File | undefined;
const bigFile = () => (big ??= new File([new Uint8Array(BIG)], 'big.bin'));
const small = (name: string, size = 2000) => new File([new Uint8Array(size)], name);

const manager = () =>
  new UploadProgressManager({connectionBudget: new ConnectionBudget(), random: () => 0});

interface MockInfo {
  url: string;
  stats: {requests: {aborted: number; upload: number}};
}
const mockServer = async (): Promise<MockInfo> => (await fetch('/__mock-server')).json();

/** Every snapshot the manager reported, in order. */
function record(m: UploadProgressManager): UploadProgressSnapshot[] {
  const seen: UploadProgressSnapshot[] = [];
  m.subscribe((s) => seen.push(s));
  return seen;
}

const nonDecreasing = (values: number[]) => values.every((v, i) => i === 0 || v >= values[i - 1]!);

describe('uploadFiles() against the mock backend', () => {
  it('shows transfer progress before the ids arrive, then the server processing, as one figure', async function () {
    this.timeout(30_000);
    const m = manager();
    const seen = record(m);
    const task = uploadFiles([bigFile(), small('small.txt')], {
      manager: m,
      path: 'tests',
      fields: {mock: JSON.stringify({stepMs: 20, steps: 5})},
    });
    const [bigKey, smallKey] = task.keys;
    const ids = await task;
    expect(ids).to.have.length(2);

    const entries = (key: string) =>
      seen.map((s) => s.uploads.get(key)).filter((e): e is UploadEntry => !!e);
    // While being sent: real name and size, and at least one figure strictly in between.
    const sending = entries(bigKey!).filter((e) => e.phase === 'transferring');
    expect(sending[0]).to.deep.include({filename: 'big.bin', totalBytes: BIG});
    const partial = sending.filter((e) => e.transferredBytes! > 0 && e.transferredBytes! < BIG);
    expect(partial.length, 'a transferring snapshot with 0 < sent < size').to.be.at.least(1);
    expect(sending.every((e) => e.uploadId === bigKey)).to.equal(true);

    const done = await waitFor(
      () => m.getSnapshot().allCompleted && m.getSnapshot(),
      'done',
      15000,
    );
    expect(done.uploads.get(ids[0]!)).to.deep.include({
      filename: 'big.bin',
      phase: 'done',
      transferredBytes: BIG,
    });
    expect(done.progressMap.get(ids[1]!)).to.deep.include({status: 'completed', total_bytes: 2000});
    expect(done.uploads.get(smallKey!)!.uploadId).to.equal(ids[1]);
    // The phase change happened: processing snapshots came after the transferring ones.
    const phases = entries(bigKey!).map((e) => e.phase);
    expect(phases.indexOf('processing')).to.be.above(phases.lastIndexOf('transferring'));
    const figures = seen.map((s) => s.overallPercentage);
    expect(nonDecreasing(figures), figures.join(' ')).to.equal(true);
    expect(figures.at(-1)).to.equal(100);
  });

  it('cancel mid-transfer: the server sees the request aborted, the files end "Cancelled"', async function () {
    this.timeout(30_000);
    // Straight to the mock server (cross-origin): the test server's proxy stays out of it.
    const {url, stats: before} = await mockServer();
    const m = manager();
    const controller = new AbortController();
    let bigKey = '';
    m.subscribe((s) => {
      const e = s.uploads.get(bigKey);
      if (e?.phase === 'transferring' && e.transferredBytes! > 0) controller.abort();
    });
    const task = uploadFiles([bigFile(), small('after.txt')], {
      manager: m,
      url: `${url}/api/files/upload`,
      signal: controller.signal,
    });
    bigKey = task.keys[0]!;
    const error = (await task.catch((e: unknown) => e)) as UploadProgressError;
    expect(error).to.be.instanceOf(UploadProgressError);
    expect(error.kind).to.equal('cancelled');
    const s = m.getSnapshot();
    expect(s).to.deep.include({allSettled: true, failed: 2});
    const first = s.uploads.get(task.keys[0]!)!;
    expect(first.progress!.error).to.equal('Cancelled');
    expect(first.transferredBytes).to.be.above(0).and.below(BIG);
    let after = before;
    await waitFor(
      () => {
        void mockServer().then((info) => (after = info.stats));
        return after.requests.aborted > before.requests.aborted;
      },
      'the mock server to count an aborted upload',
      5000,
    );
  });

  it("a refused upload ends failed with the server's own reason", async () => {
    const m = manager();
    const task = uploadFiles([small('a.txt'), small('b.txt')], {
      manager: m,
      fields: {mock: JSON.stringify({noSuchSwitch: 1})},
    });
    const error = (await task.catch((e: unknown) => e)) as UploadProgressError;
    expect(error.kind).to.equal('upload-rejected');
    expect(error.status).to.equal(400);
    expect(error.message).to.match(
      /^The server refused the upload \(HTTP 400.*\): Invalid "mock" field/,
    );
    const s = m.getSnapshot();
    expect(s.failed).to.equal(2);
    expect(s.uploads.get(task.keys[1]!)!.progress!.error).to.equal(error.message);

    const {url} = await mockServer();
    const lost = uploadFiles([small('c.txt')], {manager: m, url: `${url}/api/files/nowhere`});
    const notFound = (await lost.catch((e: unknown) => e)) as UploadProgressError;
    expect(notFound).to.deep.include({kind: 'upload-rejected', status: 404});
    expect(notFound.message).to.match(/Not Found/);
  });

  it('one request per file keeps to the concurrency limit, and every file completes', async function () {
    this.timeout(20_000);
    let active = 0;
    let peak = 0;
    // Counted from send to the end of the request, by listeners that run before the SDK's.
    const createXhr = () => {
      const xhr = new XMLHttpRequest();
      const send = xhr.send.bind(xhr);
      for (const type of ['load', 'error', 'abort', 'timeout']) {
        xhr.addEventListener(type, () => active--);
      }
      xhr.send = (body) => {
        peak = Math.max(peak, ++active);
        send(body);
      };
      return xhr;
    };
    const m = manager();
    const files = [1, 2, 3, 4, 5, 6].map((n) => small(`q${n}.txt`, 200_000 + n));
    const {stats: before} = await mockServer();
    const ids = await uploadFiles(files, {
      manager: m,
      createXhr,
      requests: 'per-file',
      concurrency: 2,
      fields: {mock: JSON.stringify({stepMs: 10, steps: 3})},
    });
    expect(peak).to.equal(2);
    expect(active).to.equal(0);
    expect(ids).to.have.length(6);
    expect(new Set(ids).size).to.equal(6);
    const {stats: afterStats} = await mockServer();
    expect(afterStats.requests.upload - before.requests.upload).to.be.at.least(6);
    const s = await waitFor(() => m.getSnapshot().allCompleted && m.getSnapshot(), 'done', 10000);
    expect([...s.progressMap.values()].map((p) => p.filename)).to.deep.equal(
      files.map((f) => f.name),
    );
  });

  it('persisted uploads resume after a reload, where they were', async function () {
    this.timeout(20_000);
    // A test page cannot reload itself: the "reload" here is what a reloaded page sees, the
    // stored records copied at that moment, resumed by a fresh manager.
    const key = `upload-progress-test-${Math.random().toString(36).slice(2)}`;
    const reloaded = `${key}-reloaded`;
    const first = manager();
    const task = uploadFiles([small('one.txt', 3000), small('two.txt', 5000)], {
      manager: first,
      persist: {key},
      fields: {mock: JSON.stringify({stepMs: 150, steps: 10})},
    });
    // Remembered from the first byte, without ids yet.
    const stored = JSON.parse(sessionStorage.getItem(key)!) as {ref?: string}[];
    expect(stored.map(({ref: _, ...rest}) => rest)).to.deep.equal([
      {upload_id: null, filename: 'one.txt', total_bytes: 3000},
      {upload_id: null, filename: 'two.txt', total_bytes: 5000},
    ]);
    const ids = await task;
    await waitFor(() => sessionStorage.getItem(key)?.includes(ids[1]!), 'ids stored');
    sessionStorage.setItem(reloaded, sessionStorage.getItem(key)!);
    first.closeAll();

    const fresh = manager();
    const seen = record(fresh);
    const keys = resumeUploads({key: reloaded, manager: fresh});
    expect(keys).to.deep.equal(ids);
    const s = fresh.getSnapshot();
    expect(s.uploads.get(ids[0]!)).to.deep.include({
      filename: 'one.txt',
      totalBytes: 3000,
      phase: 'processing',
      transferredBytes: 3000,
    });
    // The sending half is done: the figure resumes from there, not from 0.
    expect(s.overallPercentage).to.be.at.least(50);
    const done = await waitFor(
      () => fresh.getSnapshot().allCompleted && fresh.getSnapshot(),
      'resumed uploads complete',
      10000,
    );
    expect(done.progressMap.get(ids[1]!)!.filename).to.equal('two.txt');
    expect(nonDecreasing(seen.map((x) => x.overallPercentage))).to.equal(true);
    await waitFor(() => sessionStorage.getItem(reloaded) === null, 'forgotten once done');
    sessionStorage.removeItem(key);
  });
});
