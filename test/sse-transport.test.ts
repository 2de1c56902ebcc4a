import {expect} from '@esm-bundle/chai';
import {http, HttpResponse} from 'msw';
import {setupWorker} from 'msw/browser';
import {ConnectionBudget, UploadProgressStream, type UploadProgress} from '../src/index.js';
import {FakeClock} from './helpers/fake-clock.js';
import {message, record, waitFor} from './helpers/sse.js';

// The real fetch of the browser, with msw's service worker answering: every byte, every
// chunk boundary and every status is the test's.
const worker = setupWorker();

before(async () => {
  await worker.start({
    quiet: true,
    onUnhandledRequest: 'bypass',
    serviceWorker: {url: '/mockServiceWorker.js'},
  });
});
afterEach(() => worker.resetHandlers());
after(() => worker.stop());

/** A body that sends `chunks` as separate reads, each after a task. */
function chunked(chunks: (string | Uint8Array)[], {end = true} = {}): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (i < chunks.length) {
        const chunk = chunks[i++]!;
        controller.enqueue(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
      } else if (end) controller.close();
    },
  });
}

function sse(
  body: ReadableStream<Uint8Array> | string,
  init: {status?: number; headers?: Record<string, string>} = {},
) {
  return new HttpResponse(body, {
    status: init.status ?? 200,
    headers: {'content-type': 'text/event-stream; charset=utf-8', ...init.headers},
  });
}

let counter = 0;
/** A fresh URL per test, so answers never leak between tests. */
function route(): {url: string; pattern: string} {
  const base = `/msw/${++counter}/progress/`;
  return {url: `${base}{upload_id}`, pattern: `${base}:id`};
}

function follow(id: string, url: string, extra = {}): UploadProgressStream {
  return new UploadProgressStream(id, {
    progressUrl: url,
    connectionBudget: new ConnectionBudget(),
    random: () => 0,
    ...extra,
  });
}

const final = (s: UploadProgressStream): UploadProgress | false =>
  s.getSnapshot()?.status !== 'uploading' && (s.getSnapshot() ?? false);

describe('SSE over the real fetch (msw)', () => {
  it('reads lines split across chunks and UTF-8 characters split across chunks', async () => {
    const {url, pattern} = route();
    const name = 'naïve résumé 文件 🚀.pdf';
    const text = message(record({filename: name, uploaded_bytes: 300, progress_percentage: 30}));
    const bytes = new TextEncoder().encode(text);
    // Cut inside the 4-byte rocket and inside "文", and one byte at a time near the end.
    const rocket = bytes.findIndex((b) => b === 0xf0);
    const han = bytes.findIndex((b) => b === 0xe6);
    const cuts = [
      5,
      han + 1,
      rocket + 2,
      rocket + 3,
      bytes.length - 3,
      bytes.length - 2,
      bytes.length - 1,
    ];
    const chunks: Uint8Array[] = [];
    let from = 0;
    for (const cut of cuts) {
      chunks.push(bytes.slice(from, cut));
      from = cut;
    }
    chunks.push(bytes.slice(from));
    chunks.push(new TextEncoder().encode(message(record({filename: name, status: 'completed'}))));
    worker.use(http.get(pattern, () => sse(chunked(chunks))));
    const stream = follow('u1', url);
    const seen: UploadProgress[] = [];
    stream.subscribe((p) => p && seen.push(p));
    await waitFor(() => final(stream));
    expect(seen[0]!.filename).to.equal(name);
    expect(seen[0]!.progress_percentage).to.equal(30);
    expect(seen.at(-1)!.status).to.equal('completed');
  });

  it('takes CRLF and CR line ends, a BOM, comments, retry:, id: and unnamed events', async () => {
    const {url, pattern} = route();
    const body =
      '\uFEFF: hello\r\n\r\n' +
      'retry: 3000\r\n\r\n' +
      message(record({uploaded_bytes: 100}), {id: 'e1', eol: '\r\n'}) +
      message(record({uploaded_bytes: 200}), {event: null, eol: '\r'}) + // unnamed, bare CR
      message(record({uploaded_bytes: 900}), {event: 'heartbeat'}) + // other names are not records
      message(record({status: 'completed'}), {eol: '\r\n'});
    // Split right between \r and \n, where a parser might see two line ends.
    const at = body.indexOf('\r\n') + 1;
    let headers: Headers | undefined;
    worker.use(
      http.get(pattern, ({request}) => {
        headers = request.headers;
        return sse(chunked([body.slice(0, at), body.slice(at)]));
      }),
    );
    const stream = follow('u1', url);
    const seen: number[] = [];
    stream.subscribe((p) => p && seen.push(p.uploaded_bytes));
    await waitFor(() => final(stream));
    expect(seen).to.deep.equal([100, 200, 1000]);
    expect(stream.lastEventId).to.equal('e1');
    expect(headers!.get('accept')).to.equal('text/event-stream');
  });

  it('reconnects after a drop and resumes with Last-Event-ID', async () => {
    const {url, pattern} = route();
    const clock = new FakeClock();
    const seenIds: (string | null)[] = [];
    worker.use(
      http.get(pattern, ({request}) => {
        seenIds.push(request.headers.get('last-event-id'));
        if (seenIds.length === 1) {
          // Sends one record, then the connection breaks.
          return sse(
            chunked([message(record({uploaded_bytes: 500}), {id: '41'})], {end: false}).pipeThrough(
              breakAfter(1),
            ),
          );
        }
        return sse(message(record({status: 'completed'}), {id: '42'}));
      }),
    );
    const stream = follow('u1', url, {clock});
    await waitFor(() => stream.state === 'retrying', 'retrying');
    await clock.advance(clock.pending()[0]!);
    expect((await waitFor(() => final(stream))).status).to.equal('completed');
    expect(seenIds).to.deep.equal([null, '41']);
  });

  for (const [status, expected] of [
    [401, /Not signed in/],
    [404, /does not know this upload/],
  ] as const) {
    it(`ends failed on ${status} with the server's reason`, async () => {
      const {url, pattern} = route();
      let requests = 0;
      worker.use(
        http.get(pattern, () => {
          requests++;
          return HttpResponse.json({detail: `nope ${status}`}, {status});
        }),
      );
      const stream = follow('u1', url);
      const p = await waitFor(() => final(stream));
      expect(p.error).to.match(expected);
      expect(p.error).to.contain(`nope ${status}`);
      expect(requests).to.equal(1);
    });
  }

  it('retries a 503 with Retry-After, then reads the stream', async () => {
    const {url, pattern} = route();
    const clock = new FakeClock();
    let requests = 0;
    worker.use(
      http.get(pattern, () =>
        ++requests === 1
          ? new HttpResponse('busy', {status: 503, headers: {'retry-after': '3'}})
          : sse(message(record({status: 'completed'}))),
      ),
    );
    const stream = follow('u1', url, {clock});
    await waitFor(() => stream.state === 'retrying');
    expect(clock.pending()).to.deep.equal([3000]);
    await clock.advance(3000);
    expect((await waitFor(() => final(stream))).status).to.equal('completed');
  });

  it('a network error (the request itself fails) is retried', async () => {
    const {url, pattern} = route();
    const clock = new FakeClock();
    let requests = 0;
    worker.use(
      http.get(pattern, () =>
        ++requests === 1 ? HttpResponse.error() : sse(message(record({status: 'completed'}))),
      ),
    );
    const stream = follow('u1', url, {clock});
    await waitFor(() => stream.state === 'retrying');
    expect(stream.error!.kind).to.equal('network');
    await clock.advance(clock.pending()[0]!);
    expect((await waitFor(() => final(stream))).status).to.equal('completed');
  });
});

/** Passes `n` chunks through, then errors the stream: a connection that breaks. */
function breakAfter(n: number): TransformStream<Uint8Array, Uint8Array> {
  let passed = 0;
  return new TransformStream({
    transform(chunk, controller) {
      controller.enqueue(chunk);
      if (++passed >= n) setTimeout(() => controller.error(new TypeError('connection reset')), 5);
    },
  });
}
