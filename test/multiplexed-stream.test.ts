import {expect} from '@esm-bundle/chai';
import {ConnectionBudget, UploadProgressManager, type UploadProgress} from '../src/index.js';
import {FakeClock} from './helpers/fake-clock.js';
import {
  ControlledBody,
  eventStream,
  fakeFetch,
  message,
  record,
  settle,
  waitFor,
} from './helpers/sse.js';

// Many uploads in one stream (`multiplexUrl`): against the mock backend over real HTTP, and
// with an injected fetch and a fake clock where the test must drive the server's answers.

async function upload(names: string[], mock: object = {}): Promise<string[]> {
  const form = new FormData();
  for (const name of names) form.append('files', new File([new Uint8Array(1000)], name));
  form.append('path', 'tests');
  form.append('mock', JSON.stringify({stepMs: 20, steps: 5, ...mock}));
  const response = await fetch('/api/files/upload', {method: 'POST', body: form});
  expect(response.status).to.equal(200);
  return ((await response.json()) as {upload_ids: string[]}).upload_ids;
}

/** The page's fetch, recording each request's URL and Last-Event-ID. */
function recordingFetch() {
  const calls: {url: string; lastEventId: string | null}[] = [];
  const fetchFn = ((input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({url: String(input), lastEventId: new Headers(init?.headers).get('last-event-id')});
    return fetch(input, init);
  }) as typeof fetch;
  return {fetch: fetchFn, calls};
}

const settled = (m: UploadProgressManager, timeout = 8000) =>
  waitFor(() => m.getSnapshot().allSettled && m.getSnapshot(), 'all settled', timeout);

const idsOf = (url: string) =>
  new URL(url, location.href).search
    .split('ids=')[1]!
    .split(',')
    .map((id) => decodeURIComponent(id));

describe('many uploads in one stream, against the mock backend', () => {
  it('splits ids across streams under 4 KB, routes records, fails unknown ids with the server’s word', async () => {
    // Ids of ~1.5 KB each: two fit in one URL.
    const ids = await upload(['a.txt', 'b.txt', 'bad.txt'], {
      fail: ['bad.txt'],
      idPrefix: 'p'.repeat(1500),
    });
    const {fetch: fetchFn, calls} = recordingFetch();
    const m = new UploadProgressManager({
      fetch: fetchFn,
      connectionBudget: new ConnectionBudget(),
      multiplexUrl: '/api/files/progress?multiplex=1',
    });
    m.track([...ids, 'no-such-upload']);
    const s = await settled(m);
    expect(calls.length).to.be.at.least(2);
    for (const call of calls) {
      expect(call.url).to.match(/^\/api\/files\/progress\?multiplex=1&ids=/);
      expect(new URL(call.url, location.href).href.length).to.be.below(4000);
    }
    expect(new Set(calls.flatMap((call) => idsOf(call.url)))).to.deep.equal(
      new Set([...ids, 'no-such-upload']),
    );
    expect(s.progressMap.get(ids[0]!)).to.deep.include({status: 'completed', filename: 'a.txt'});
    expect(s.progressMap.get(ids[1]!)).to.deep.include({status: 'completed', filename: 'b.txt'});
    expect(s.progressMap.get(ids[2]!)).to.deep.include({
      status: 'failed',
      error: 'Processing failed: corrupted file',
    });
    expect(s.progressMap.get('no-such-upload')!.status).to.equal('failed');
    expect(s.progressMap.get('no-such-upload')!.error).to.match(
      /does not know this upload.*"Upload not found"/,
    );
  });

  it('a stream cut mid-way resumes with Last-Event-ID; progress never goes back', async () => {
    const ids = await upload(['x.txt', 'y.txt', 'z.txt'], {stepMs: 30, steps: 8});
    const {fetch: fetchFn, calls} = recordingFetch();
    const m = new UploadProgressManager({
      fetch: fetchFn,
      connectionBudget: new ConnectionBudget(),
      multiplexUrl: '/api/files/progress?multiplex=1&cutAfterMs=70',
      retry: {initialDelay: 10, maxAttempts: 20},
      random: () => 0,
    });
    const seen = new Map<string, number[]>();
    m.subscribe((snapshot) => {
      for (const [id, progress] of snapshot.progressMap) {
        const list = seen.get(id) ?? [];
        if (list.at(-1) !== progress.uploaded_bytes) list.push(progress.uploaded_bytes);
        seen.set(id, list);
      }
    });
    m.track(ids);
    const s = await settled(m);
    expect(s.completed).to.equal(3);
    expect(calls.length).to.be.at.least(2);
    expect(calls[0]!.lastEventId).to.equal(null);
    expect(calls.slice(1).every((call) => /^\d+$/.test(call.lastEventId ?? ''))).to.equal(true);
    for (const list of seen.values()) expect(list).to.deep.equal([...list].sort((a, b) => a - b));
  });

  it('falls back to one stream per upload when the server has no such endpoint', async () => {
    const ids = await upload(['one.txt', 'two.txt']);
    const {fetch: fetchFn, calls} = recordingFetch();
    const m = new UploadProgressManager({
      fetch: fetchFn,
      connectionBudget: new ConnectionBudget(),
      multiplexUrl: '/api/files/progress?multiplex=0',
    });
    m.track(ids);
    m.track(['another-unknown']);
    const s = await settled(m);
    expect(s.completed).to.equal(2);
    expect(s.progressMap.get('another-unknown')!.error).to.match(/404/);
    expect(calls[0]!.url).to.match(/\?multiplex=0&ids=/);
    // Once refused, never asked again: after the first per-upload request, only those.
    const urls = calls.map((call) => call.url);
    const firstSingle = urls.findIndex((url) => url.startsWith('/api/files/progress/'));
    expect(firstSingle).to.be.above(0);
    const later = urls.slice(firstSingle);
    expect(later.every((url) => !url.includes('ids='))).to.equal(true);
    expect(later.filter((url) => url.startsWith('/api/files/progress/'))).to.have.length(3);
  });
});

/** A multiplexed endpoint the test writes to: one controllable body per request. */
function scriptedMultiplex(status = 200) {
  const bodies: ControlledBody[] = [];
  const {fetch: fetchFn, calls} = fakeFetch((call) => {
    if (!call.url.includes('ids=')) {
      const id = decodeURIComponent(call.url.split('/').pop()!);
      return eventStream(message(record({upload_id: id, status: 'completed'})));
    }
    if (status !== 200) return new Response('nope', {status});
    const body = new ControlledBody();
    bodies.push(body);
    call.signal.addEventListener('abort', () => body.cancelled || body.fail());
    return eventStream(body.stream);
  });
  const send = (n: number, progress: Partial<UploadProgress>, id?: string) =>
    bodies[n]!.push(message(record(progress), id === undefined ? {} : {id}));
  return {fetch: fetchFn, calls, bodies, send};
}

describe('many uploads in one stream, scripted', () => {
  for (const status of [405, 501]) {
    it(`answers ${status}: follows each upload on its own stream`, async () => {
      const server = scriptedMultiplex(status);
      const m = new UploadProgressManager({
        fetch: server.fetch,
        connectionBudget: new ConnectionBudget(),
        multiplexUrl: '/multi',
      });
      m.track(['a', 'b']);
      const s = await settled(m);
      expect(s.completed).to.equal(2);
      expect(server.calls.map((c) => c.url)).to.deep.equal([
        '/multi?ids=a,b',
        '/api/files/progress/a',
        '/api/files/progress/b',
      ]);
    });
  }

  it('never moves backwards, and nothing changes after a terminal record', async () => {
    const server = scriptedMultiplex();
    const m = new UploadProgressManager({
      fetch: server.fetch,
      connectionBudget: new ConnectionBudget(),
      multiplexUrl: '/multi',
    });
    m.track(['a', 'b']);
    await waitFor(() => server.bodies.length === 1, 'connected');
    server.send(0, {upload_id: 'a', uploaded_bytes: 500, progress_percentage: 50});
    server.send(0, {upload_id: 'a', uploaded_bytes: 300, progress_percentage: 30});
    server.send(0, {upload_id: 'zzz', uploaded_bytes: 300}); // not ours: skipped
    await waitFor(() => m.getSnapshot().progressMap.get('a')?.uploaded_bytes === 500, 'a at 50%');
    server.send(0, {upload_id: 'a', status: 'completed'});
    server.send(0, {upload_id: 'a', status: 'uploading', uploaded_bytes: 10});
    server.send(0, {upload_id: 'b', status: 'failed', error: 'disk full'});
    const s = await settled(m);
    expect(s.progressMap.get('a')).to.deep.include({status: 'completed', uploaded_bytes: 1000});
    expect(s.progressMap.get('b')).to.deep.include({status: 'failed', error: 'disk full'});
    expect(s.progressMap.has('zzz')).to.equal(false);
    // The stream was closed once every upload of it was settled.
    await waitFor(() => server.calls[0]!.signal.aborted, 'closed');
  });

  it('backs off between attempts (retry-policy), then a final answer fails the batch with its reason', async () => {
    const clock = new FakeClock();
    const {fetch: fetchFn, calls} = fakeFetch((_call, n) =>
      n === 0
        ? new Response('busy', {status: 503})
        : new Response('{"detail":"Session expired"}', {
            status: 401,
            headers: {'content-type': 'application/json'},
          }),
    );
    const m = new UploadProgressManager({
      fetch: fetchFn,
      clock,
      random: () => 0,
      connectionBudget: new ConnectionBudget(),
      multiplexUrl: '/multi',
      retry: {initialDelay: 1000},
    });
    m.track([{upload_id: 'a', filename: 'a.txt'}, 'b']);
    await waitFor(() => calls.length === 1 && clock.pending().length === 1, 'first answer');
    expect(clock.pending()).to.deep.equal([1000]);
    expect(m.getSnapshot().uploads.get('a')!.connection).to.equal('retrying');
    await clock.advance(999);
    expect(calls.length).to.equal(1);
    await clock.advance(1);
    const s = await settled(m);
    expect(calls.length).to.equal(2);
    for (const id of ['a', 'b']) {
      expect(s.progressMap.get(id)!.error).to.match(/401.*Session expired/);
    }
    expect(s.progressMap.get('a')!.filename).to.equal('a.txt');
  });

  it('files attached one by one as the POST answers share one batch', async () => {
    const server = scriptedMultiplex();
    const m = new UploadProgressManager({
      fetch: server.fetch,
      connectionBudget: new ConnectionBudget(),
      multiplexUrl: '/multi',
    });
    const handles = m.trackTransfers(
      ['a', 'b', 'c'].map((name) => ({filename: `${name}.txt`, total_bytes: 10})),
    );
    handles.forEach((handle, i) => handle.attach(`srv-${i}`));
    await waitFor(() => server.bodies.length === 1, 'connected');
    await settle();
    expect(server.calls.map((c) => c.url)).to.deep.equal(['/multi?ids=srv-0,srv-1,srv-2']);
    m.closeAll();
  });

  it('one multiplexed connection is one slot of the budget; batches beyond it wait', async () => {
    const server = scriptedMultiplex();
    const budget = new ConnectionBudget();
    const long = (c: string) => c.repeat(2500);
    const m = new UploadProgressManager({
      fetch: server.fetch,
      connectionBudget: budget,
      maxConnections: 2,
      multiplexUrl: '/multi',
    });
    // Three ids that cannot share a URL under 4 KB: three batches, two slots.
    m.track([long('a'), long('b'), long('c')]);
    await waitFor(() => server.bodies.length === 2, 'two batches connected');
    await settle();
    expect(budget.active(location.origin)).to.equal(2);
    expect(m.getSnapshot().uploads.get(long('c'))!.connection).to.equal('waiting');
    expect(m.getSnapshot().waiting).to.equal(1);
    server.send(0, {upload_id: long('a'), status: 'completed'});
    await waitFor(() => server.bodies.length === 3, 'the third batch gets the slot');
    expect(budget.active(location.origin)).to.equal(2);
    server.send(1, {upload_id: long('b'), status: 'completed'});
    server.send(2, {upload_id: long('c'), status: 'completed'});
    expect((await settled(m)).completed).to.equal(3);
    await waitFor(() => budget.active(location.origin) === 0, 'slots freed');
  });
});
