import {expect} from '@esm-bundle/chai';
import {
  UploadProgressError,
  UploadProgressManager,
  uploadFiles,
  type UploadProgressManagerOptions,
  type UploadProgressSnapshot,
} from '../src/index.js';
import {FakeXhrs, type FakeXhr} from './helpers/fake-xhr.js';
import {scriptedManager} from './helpers/scripted-manager.js';
import {settle, waitFor} from './helpers/sse.js';

// uploadFiles() with a scripted XMLHttpRequest (every progress event and answer chosen by
// the test) and scripted progress streams. test/upload-files-mock-backend.test.ts sends
// real requests to the mock backend.

function setup(extra: UploadProgressManagerOptions = {}) {
  const {server: streams, manager} = scriptedManager(extra);
  const xhrs = new FakeXhrs();
  /** Every overall figure the manager reported, in order. */
  const figures: number[] = [];
  manager.subscribe((s) => figures.push(s.overallPercentage));
  return {streams, xhrs, manager, figures, createXhr: xhrs.create};
}

const file = (name: string, size: number, type = '') =>
  new File([new Uint8Array(size).fill(97)], name, {type});

const sent = (xhrs: FakeXhrs, n = 1) => waitFor(() => xhrs.all.filter((x) => x.body).length >= n);

/** Where each file's bytes sit in the request body. */
async function offsets(xhr: FakeXhr, names: string[]): Promise<number[]> {
  const text = await xhr.text();
  return names.map((name) => {
    const header = text.indexOf(`filename="${name}"`);
    return text.indexOf('\r\n\r\n', header) + 4;
  });
}

const nonDecreasing = (values: number[]) => values.every((v, i) => i === 0 || v >= values[i - 1]!);

describe('uploadFiles() with a scripted XMLHttpRequest', () => {
  it('tracks every file from the call, with its real name and size, in phase transferring', () => {
    const {manager, createXhr} = setup();
    const task = uploadFiles([file('a.txt', 1000), file('b.bin', 3000)], {manager, createXhr});
    task.catch(() => undefined);
    expect(task.keys).to.have.length(2);
    const s = manager.getSnapshot();
    expect([...s.uploads.keys()]).to.deep.equal(task.keys);
    expect(s.uploads.get(task.keys[0]!)).to.deep.include({
      filename: 'a.txt',
      totalBytes: 1000,
      phase: 'transferring',
      transferredBytes: 0,
      percentage: 0,
      progress: null,
    });
    expect(s).to.deep.include({total: 2, pending: 2, overallPercentage: 0, totalBytes: 4000});
    manager.closeAll();
  });

  it("sends the seed's multipart shape: path and extra fields, then every file as `files`", async () => {
    const {manager, xhrs, createXhr} = setup();
    const task = uploadFiles([file('a.txt', 5, 'text/plain'), file('ü "b".bin', 3)], {
      manager,
      createXhr,
      path: 'docs/2026',
      fields: {mock: '{"x":1}', tag: ['one', 'two']},
      headers: async () => ({Authorization: 'Bearer t', 'Content-Type': 'text/plain'}),
      withCredentials: true,
      timeout: 5000,
    });
    task.catch(() => undefined);
    await sent(xhrs);
    const xhr = xhrs.all[0]!;
    expect(xhr.method).to.equal('POST');
    expect(xhr.url).to.equal('/api/files/upload');
    expect(xhr.withCredentials).to.equal(true);
    expect(xhr.timeout).to.equal(5000);
    expect(xhr.headers.get('authorization')).to.equal('Bearer t');
    expect(xhr.headers.get('content-type')).to.match(/^multipart\/form-data; boundary=/);
    // The platform's own parser reads it as the server would.
    const form = await new Response(xhr.body, {
      headers: {'content-type': xhr.headers.get('content-type')!},
    }).formData();
    expect(form.get('path')).to.equal('docs/2026');
    expect(form.get('mock')).to.equal('{"x":1}');
    expect(form.getAll('tag')).to.deep.equal(['one', 'two']);
    const files = form.getAll('files') as File[];
    expect(files.map((f) => [f.name, f.size, f.type])).to.deep.equal([
      ['a.txt', 5, 'text/plain'],
      ['ü %22b%22.bin', 3, 'application/octet-stream'],
    ]);
    manager.closeAll();
  });

  it("follows each file's byte range in the body; overall = half sent + half processed", async () => {
    const {manager, xhrs, createXhr} = setup();
    const task = uploadFiles([file('a.txt', 1000), file('b.txt', 3000)], {manager, createXhr});
    task.catch(() => undefined);
    await sent(xhrs);
    const xhr = xhrs.all[0]!;
    const [a, b] = await offsets(xhr, ['a.txt', 'b.txt']);
    const entry = (i: number) => manager.getSnapshot().uploads.get(task.keys[i]!)!;

    xhr.progress(a! - 10); // headers of the first part only
    expect(entry(0).transferredBytes).to.equal(0);
    xhr.progress(a! + 500);
    expect([entry(0).transferredBytes, entry(1).transferredBytes]).to.deep.equal([500, 0]);
    expect(entry(0).percentage).to.equal(25);
    xhr.progress(b! + 1500);
    expect([entry(0).transferredBytes, entry(1).transferredBytes]).to.deep.equal([1000, 1500]);
    const s = manager.getSnapshot();
    expect(s.uploadedBytes).to.equal(0.5 * 2500);
    expect(s.overallPercentage).to.equal(((0.5 * 2500) / 4000) * 100);
    expect(entry(0).phase).to.equal('transferring');
    manager.closeAll();
  });

  it('the phase change: ids attach, streams take over, the figure never goes back, 100 when done', async () => {
    const {manager, xhrs, streams, figures, createXhr} = setup();
    const task = uploadFiles([file('a.txt', 1000), file('b.txt', 3000)], {manager, createXhr});
    await sent(xhrs);
    const xhr = xhrs.all[0]!;
    const [, b] = await offsets(xhr, ['a.txt', 'b.txt']);
    xhr.progress(b! + 1000);
    await settle(1);
    const before = manager.getSnapshot();
    xhr.respond(200, {message: 'Files uploaded', uploaded: 2, upload_ids: ['id-a', 'id-b']});
    expect(await task).to.deep.equal(['id-a', 'id-b']);

    let s = manager.getSnapshot();
    expect(s.overallPercentage).to.equal(50); // every byte sent, none processed yet
    expect(s.overallPercentage).to.be.above(before.overallPercentage);
    expect([...s.uploads.keys()]).to.deep.equal(['id-a', 'id-b']);
    expect(s.uploads.get('id-a')).to.deep.include({phase: 'processing', transferredBytes: 1000});
    // The local keys stay valid: a list given them keeps its rows.
    expect(s.uploads.get(task.keys[1]!)!.uploadId).to.equal('id-b');
    // Snapshots taken before still show what they showed.
    expect(before.uploads.get(task.keys[0]!)!.phase).to.equal('transferring');
    expect(before.uploads.has('id-a')).to.equal(false);

    await waitFor(() => streams.bodies.has('id-a') && streams.bodies.has('id-b'));
    streams.send('id-a', {filename: 'a.txt', total_bytes: 1000, uploaded_bytes: 0});
    streams.send('id-b', {filename: 'b.txt', total_bytes: 3000, uploaded_bytes: 1500});
    await waitFor(() => manager.getSnapshot().progressMap.size === 2);
    s = manager.getSnapshot();
    expect(s.overallPercentage).to.equal(((2000 + 750) / 4000) * 100);
    expect(s.uploads.get('id-b')!.percentage).to.equal(75);
    streams.send('id-a', {status: 'completed', total_bytes: 1000});
    streams.send('id-b', {status: 'completed', total_bytes: 3000});
    s = await waitFor(() => manager.getSnapshot().allCompleted && manager.getSnapshot());
    expect(s.overallPercentage).to.equal(100);
    expect(s.uploads.get(task.keys[0]!)).to.deep.include({phase: 'done', percentage: 100});
    await settle(1);
    expect(figures.length).to.be.at.least(5);
    expect(nonDecreasing(figures), figures.join(' ')).to.equal(true);
  });

  it('cancel mid-transfer: the request is aborted, every file ends failed "Cancelled", nothing runs on', async () => {
    const {manager, xhrs, streams, createXhr} = setup();
    const controller = new AbortController();
    const task = uploadFiles([file('a.txt', 1000), file('b.txt', 1000)], {
      manager,
      createXhr,
      signal: controller.signal,
    });
    await sent(xhrs);
    const xhr = xhrs.all[0]!;
    const [a] = await offsets(xhr, ['a.txt']);
    xhr.progress(a! + 400);
    controller.abort();
    expect(xhr.aborted).to.equal(true);
    const error = await task.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(UploadProgressError);
    expect(error).to.deep.include({kind: 'cancelled', message: 'Cancelled', final: true});
    const s = manager.getSnapshot();
    expect(s).to.deep.include({allSettled: true, failed: 2, allCompleted: false});
    const first = s.uploads.get(task.keys[0]!)!;
    expect(first.progress).to.deep.include({
      status: 'failed',
      error: 'Cancelled',
      filename: 'a.txt',
    });
    expect(first).to.deep.include({phase: 'done', transferredBytes: 400});
    expect(s.overallPercentage).to.equal(((0.5 * 400) / 2000) * 100);
    // A late answer changes nothing, and no progress stream was ever opened.
    xhr.respond(200, {upload_ids: ['x', 'y']});
    await settle();
    expect(streams.bodies.size).to.equal(0);
    expect(manager.getSnapshot()).to.equal(s);
  });

  it('an already aborted signal sends nothing', async () => {
    const {manager, xhrs, createXhr} = setup();
    const task = uploadFiles([file('a.txt', 10)], {
      manager,
      createXhr,
      signal: AbortSignal.abort(),
    });
    const error = await task.catch((e: UploadProgressError) => e);
    expect(error).to.deep.include({kind: 'cancelled'});
    expect(xhrs.all.every((x) => x.body === null)).to.equal(true);
    expect(manager.getSnapshot().uploads.get(task.keys[0]!)!.progress!.error).to.equal('Cancelled');
  });

  it('a cancel while an async headers function is pending does not wait for it', async () => {
    const {manager, xhrs, createXhr} = setup();
    const controller = new AbortController();
    const task = uploadFiles([file('a.txt', 10)], {
      manager,
      createXhr,
      signal: controller.signal,
      headers: () => new Promise<HeadersInit>(() => undefined), // never settles
    });
    await settle(1);
    controller.abort();
    expect(await task.catch((e: UploadProgressError) => e.kind)).to.equal('cancelled');
    expect(xhrs.all).to.have.length(0);
  });

  const failures: [string, (xhr: FakeXhr) => void, string, RegExp][] = [
    [
      'a non-2xx answer, with FastAPI\'s "detail"',
      (xhr) => xhr.respond(413, {detail: 'Request body too large'}, 'Payload Too Large'),
      'upload-rejected',
      /^The server refused the upload \(HTTP 413 Payload Too Large\): Request body too large$/,
    ],
    [
      'a validation error (detail as a list)',
      (xhr) => xhr.respond(422, {detail: [{msg: 'field required'}, {msg: 'path too long'}]}),
      'upload-rejected',
      /\(HTTP 422\): field required; path too long$/,
    ],
    [
      'an HTML error page',
      (xhr) => xhr.respond(502, '<html><body>Bad gateway</body></html>', 'Bad Gateway'),
      'upload-rejected',
      /^The server refused the upload \(HTTP 502 Bad Gateway\)\.$/,
    ],
    [
      'a 200 that is not JSON',
      (xhr) => xhr.respond(200, 'OK'),
      'upload-invalid-answer',
      /its answer is not JSON.*got: OK/,
    ],
    [
      'an answer without upload_ids',
      (xhr) => xhr.respond(200, {message: 'Files uploaded', uploaded: 2}),
      'upload-invalid-answer',
      /no "upload_ids" list/,
    ],
    [
      'the wrong number of ids',
      (xhr) => xhr.respond(200, {upload_ids: ['only-one']}),
      'upload-invalid-answer',
      /answered 1 upload id for 2 files/,
    ],
    [
      'ids that are not strings',
      (xhr) => xhr.respond(200, {upload_ids: ['a', 42]}),
      'upload-invalid-answer',
      /not all non-empty strings/,
    ],
    [
      'a repeated id',
      (xhr) => xhr.respond(200, {upload_ids: ['a', 'a']}),
      'upload-invalid-answer',
      /repeat an id/,
    ],
    ['a network error', (xhr) => xhr.fail(), 'upload-network', /did not reach the server/],
    ['a timeout', (xhr) => xhr.timeOut(), 'upload-network', /did not answer .* within 5000 ms/],
  ];
  for (const [what, act, kind, reason] of failures) {
    it(`${what}: every file ends failed with a clear reason (${kind})`, async () => {
      const {manager, xhrs, streams, createXhr} = setup();
      const task = uploadFiles([file('a.txt', 10), file('b.txt', 20)], {
        manager,
        createXhr,
        timeout: 5000,
      });
      await sent(xhrs);
      act(xhrs.all[0]!);
      const error = (await task.catch((e: unknown) => e)) as UploadProgressError;
      expect(error).to.be.instanceOf(UploadProgressError);
      expect(error.kind).to.equal(kind);
      expect(error.message).to.match(reason);
      if (kind === 'upload-rejected') expect(error.status).to.be.a('number');
      const s = manager.getSnapshot();
      expect(s).to.deep.include({allSettled: true, failed: 2});
      for (const key of task.keys) {
        expect(s.uploads.get(key)!.progress).to.deep.include({
          status: 'failed',
          error: error.message,
        });
      }
      expect(streams.bodies.size).to.equal(0);
    });
  }

  it("one request per file keeps to the concurrency limit; one refused file doesn't stop the rest", async () => {
    const {manager, xhrs, createXhr} = setup();
    const names = ['1', '2', '3', '4', '5'].map((n) => `f${n}.txt`);
    const task = uploadFiles(
      names.map((n) => file(n, 100)),
      {manager, createXhr, requests: 'per-file', concurrency: 2, path: 'q'},
    );
    task.catch(() => undefined);
    const answered: string[] = [];
    // Answer whatever is in flight, oldest first, until all five were sent.
    while (answered.length < 5) {
      await waitFor(() => xhrs.active().length > 0, 'a request in flight');
      expect(xhrs.active().length).to.be.at.most(2);
      const xhr = xhrs.active()[0]!;
      const form = await new Response(xhr.body, {
        headers: {'content-type': xhr.headers.get('content-type')!},
      }).formData();
      const name = (form.get('files') as File).name;
      expect(form.getAll('files')).to.have.length(1);
      expect(form.get('path')).to.equal('q');
      answered.push(name);
      if (name === 'f3.txt') xhr.respond(400, {detail: 'Not this one'});
      else xhr.respond(200, {upload_ids: [`id-${name}`]});
      await settle(1);
    }
    expect(xhrs.peak).to.equal(2);
    expect(answered).to.deep.equal(names);
    const error = (await task.catch((e: unknown) => e)) as UploadProgressError;
    expect(error.kind).to.equal('upload-rejected');
    expect(error.message).to.match(/Not this one/);
    const s = manager.getSnapshot();
    expect(s.failed).to.equal(1);
    expect(s.uploads.get(task.keys[2]!)!.progress!.error).to.match(/Not this one/);
    expect(s.uploads.get(task.keys[4]!)!.uploadId).to.equal('id-f5.txt');
    manager.closeAll();
  });

  it('cancelling a queue aborts the requests in flight and never sends the queued ones', async () => {
    const {manager, xhrs, createXhr} = setup();
    const controller = new AbortController();
    const task = uploadFiles(
      [1, 2, 3, 4].map((n) => file(`q${n}.txt`, 50)),
      {manager, createXhr, requests: 'per-file', concurrency: 2, signal: controller.signal},
    );
    await waitFor(() => xhrs.active().length === 2);
    xhrs.active()[0]!.respond(200, {upload_ids: ['done-1']});
    await waitFor(() => xhrs.all.length === 3);
    controller.abort();
    expect(await task.catch((e: UploadProgressError) => e.kind)).to.equal('cancelled');
    expect(xhrs.all).to.have.length(3);
    expect(xhrs.active()).to.have.length(0);
    const s = manager.getSnapshot();
    // The file the server took is followed on; the three others are cancelled.
    expect(s.uploads.get(task.keys[0]!)!.phase).to.equal('processing');
    for (const key of task.keys.slice(1)) {
      expect(s.uploads.get(key)!.progress!.error).to.equal('Cancelled');
    }
    manager.closeAll();
  });

  it('a server that takes the body and never answers: failed after idleTimeout of silence, not before', async () => {
    const {manager, xhrs, createXhr} = setup();
    const task = uploadFiles([file('a.txt', 1000)], {manager, createXhr, idleTimeout: 60});
    const outcome = task.then(
      () => 'resolved',
      (error: UploadProgressError) => error.kind,
    );
    await sent(xhrs);
    const xhr = xhrs.all[0]!;
    // Bytes keep going out, more slowly than the watchdog's period in all, but never silent for it.
    for (let i = 1; i <= 4; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      xhr.progress(i * 200);
    }
    expect(xhr.aborted).to.equal(false);
    xhr.sent(); // every byte out; then the server says nothing
    expect(await outcome).to.equal('upload-network');
    expect(xhr.aborted).to.equal(true);
    const p = manager.getSnapshot().uploads.get(task.keys[0]!)!.progress!;
    expect(p.status).to.equal('failed');
    expect(p.error).to.match(/No sign of the server for 0.06 s/);
  });

  it('idleTimeout 0 turns the watchdog off', async () => {
    const {manager, xhrs, createXhr} = setup();
    const task = uploadFiles([file('a.txt', 10)], {manager, createXhr, idleTimeout: 0});
    task.catch(() => undefined);
    await sent(xhrs);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(xhrs.all[0]!.aborted).to.equal(false);
    xhrs.all[0]!.respond(200, {upload_ids: ['x']});
    expect(await task).to.deep.equal(['x']);
  });

  it('no files: no request, resolves with no ids', async () => {
    const {manager, xhrs, createXhr} = setup();
    const task = uploadFiles([], {manager, createXhr});
    expect(await task).to.deep.equal([]);
    expect(task.keys).to.deep.equal([]);
    expect(xhrs.all).to.have.length(0);
  });

  it('throttle() of a task sent without tus throws: one POST cannot be slowed', async () => {
    const {manager, createXhr} = setup();
    const task = uploadFiles([], {manager, createXhr});
    expect(() => task.throttle(1000)).to.throw(TypeError, /throttle\(\) needs the tus option/);
    await task;
  });

  it('throws at once for what is not a file and for options that cannot work', () => {
    const {manager, createXhr} = setup();
    expect(() => uploadFiles(['x' as unknown as File], {manager, createXhr})).to.throw(TypeError);
    expect(() =>
      uploadFiles([file('a', 1)], {manager, createXhr, requests: 'per-file', concurrency: 0}),
    ).to.throw(RangeError);
    expect(() =>
      uploadFiles([file('a', 1)], {manager, createXhr, requests: 'all' as 'single'}),
    ).to.throw(TypeError);
    expect(() => uploadFiles([file('a', 1)], {manager, createXhr, timeout: -1})).to.throw(
      RangeError,
    );
    expect(manager.getSnapshot().total).to.equal(0);
  });

  it("transferShare sets the transfer's weight in the figures", async () => {
    const {manager, xhrs, createXhr} = setup({transferShare: 0.2});
    const task = uploadFiles([file('a.txt', 1000)], {manager, createXhr});
    await sent(xhrs);
    xhrs.all[0]!.respond(200, {upload_ids: ['id-a']});
    await task;
    const s: UploadProgressSnapshot = manager.getSnapshot();
    expect(s.overallPercentage).to.be.closeTo(20, 1e-9);
    expect(s.uploads.get('id-a')!.percentage).to.be.closeTo(20, 1e-9);
    expect(() => new UploadProgressManager({transferShare: 1.5})).to.throw(RangeError);
    manager.closeAll();
  });
});
