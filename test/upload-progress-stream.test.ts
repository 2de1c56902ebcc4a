import {expect} from '@esm-bundle/chai';
import {
  ConnectionBudget,
  UploadProgressStream,
  type UploadProgress,
  type UploadProgressStreamOptions,
} from '../src/index.js';
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

/** Options isolating a test: its own budget, no jitter. */
function isolated(extra: UploadProgressStreamOptions = {}): UploadProgressStreamOptions {
  return {connectionBudget: new ConnectionBudget(), random: () => 0, ...extra};
}

function collect(stream: UploadProgressStream): (UploadProgress | null)[] {
  const seen: (UploadProgress | null)[] = [];
  stream.subscribe((p) => seen.push(p));
  return seen;
}

const done = (s: UploadProgressStream) =>
  s.getSnapshot()?.status !== 'uploading' && s.getSnapshot();

describe('UploadProgressStream', () => {
  describe('reading', () => {
    it('delivers records in order and ends on the terminal one', async () => {
      const body = new ControlledBody();
      const {fetch, calls} = fakeFetch(() => eventStream(body.stream));
      const stream = new UploadProgressStream('u1', isolated({fetch}));
      const seen = collect(stream);
      expect(seen).to.deep.equal([null]);
      await waitFor(() => stream.state === 'open', 'open');
      body.push(message(record({uploaded_bytes: 500, progress_percentage: 50})));
      await waitFor(() => seen.length === 2, 'first record');
      expect(seen[1]!.progress_percentage).to.equal(50);
      body.push(
        message(record({status: 'completed', uploaded_bytes: 1000, progress_percentage: 100})),
      );
      await waitFor(() => stream.state === 'closed', 'closed');
      expect(seen.map((p) => p?.status)).to.deep.equal([undefined, 'uploading', 'completed']);
      expect(calls).to.have.length(1);
      expect(calls[0]!.url).to.equal('/api/files/progress/u1');
      expect(calls[0]!.headers.get('accept')).to.equal('text/event-stream');
      expect(calls[0]!.init.cache).to.equal('no-store');
      // The connection is given up once the terminal record is in.
      expect(calls[0]!.signal.aborted).to.equal(true);
      expect(body.cancelled).to.equal(true);
    });

    it('returns the same snapshot object until something changes', async () => {
      const body = new ControlledBody();
      const {fetch} = fakeFetch(() => eventStream(body.stream));
      const stream = new UploadProgressStream('u1', isolated({fetch}));
      await waitFor(() => stream.state === 'open');
      body.push(message(record({uploaded_bytes: 100})));
      await waitFor(() => stream.getSnapshot());
      const first = stream.getSnapshot();
      body.push(message(record({uploaded_bytes: 100}))); // a duplicate
      body.push(': ping\n\n');
      await settle();
      expect(stream.getSnapshot()).to.equal(first);
      body.push(message(record({uploaded_bytes: 200})));
      await waitFor(() => stream.getSnapshot() !== first);
      stream.close();
    });

    it('encodes ids with reserved characters into the URL template', async () => {
      const {fetch, calls} = fakeFetch(() =>
        eventStream(message(record({upload_id: 'a/b?c#d', status: 'completed'}))),
      );
      const stream = new UploadProgressStream(
        'a/b?c#d',
        isolated({fetch, progressUrl: 'https://api.example/progress/{upload_id}?v=1'}),
      );
      await waitFor(() => done(stream));
      expect(calls[0]!.url).to.equal('https://api.example/progress/a%2Fb%3Fc%23d?v=1');
    });

    it('asks a headers function before every connection attempt', async () => {
      const clock = new FakeClock();
      let asked = 0;
      const {fetch, calls} = fakeFetch((_, n) =>
        n === 0
          ? new Response(null, {status: 503})
          : eventStream(message(record({status: 'completed'}))),
      );
      const stream = new UploadProgressStream(
        'u1',
        isolated({
          fetch,
          clock,
          credentials: 'include',
          headers: async () => ({Authorization: `Bearer token-${++asked}`}),
        }),
      );
      await waitFor(() => stream.state === 'retrying');
      await clock.advance(1000);
      await waitFor(() => done(stream));
      expect(calls.map((c) => c.headers.get('authorization'))).to.deep.equal([
        'Bearer token-1',
        'Bearer token-2',
      ]);
      expect(calls[0]!.init.credentials).to.equal('include');
    });
  });

  describe('records are validated and progress never goes backwards', () => {
    async function feed(
      chunks: string[],
    ): Promise<{stream: UploadProgressStream; errors: string[]}> {
      const body = new ControlledBody();
      const {fetch} = fakeFetch(() => eventStream(body.stream));
      const stream = new UploadProgressStream('u1', isolated({fetch}));
      const errors: string[] = [];
      stream.addEventListener('error', (e) => errors.push(e.detail.error.kind));
      await waitFor(() => stream.state === 'open');
      for (const chunk of chunks) body.push(chunk);
      await settle();
      return {stream, errors};
    }

    it('ignores records that move backwards, and anything after a terminal record', async () => {
      const {stream} = await feed([
        message(record({uploaded_bytes: 600, progress_percentage: 60})),
        message(record({uploaded_bytes: 300, progress_percentage: 30})),
        message(
          record({
            status: 'failed',
            uploaded_bytes: 700,
            progress_percentage: 70,
            error: 'disk full',
          }),
        ),
        message(record({status: 'completed', uploaded_bytes: 1000, progress_percentage: 100})),
      ]);
      await waitFor(() => done(stream));
      const p = stream.getSnapshot()!;
      expect(p.status).to.equal('failed');
      expect(p.error).to.equal('disk full');
      expect(p.uploaded_bytes).to.equal(700);
    });

    it('keeps the best of out-of-order records', async () => {
      const {stream} = await feed([
        message(record({uploaded_bytes: 600, progress_percentage: 60})),
        message(record({uploaded_bytes: 300, progress_percentage: 30})),
      ]);
      expect(stream.getSnapshot()!.progress_percentage).to.equal(60);
      expect(stream.getSnapshot()!.uploaded_bytes).to.equal(600);
      stream.close();
    });

    it('skips malformed JSON and records of another upload, reports them, and reads on', async () => {
      const {stream, errors} = await feed([
        message('{not json'),
        message(record({upload_id: 'someone-else', uploaded_bytes: 900})),
        message({status: 'exploded'}),
        message(record({uploaded_bytes: 100})),
      ]);
      expect(errors).to.deep.equal(['malformed-event', 'foreign-event', 'malformed-event']);
      expect(stream.getSnapshot()!.uploaded_bytes).to.equal(100);
      expect(stream.error!.data).to.contain('exploded');
      expect(stream.state).to.equal('open');
      stream.close();
    });

    it('fills in nulls and missing fields, derives a missing percentage, clamps absurd numbers', async () => {
      const {stream} = await feed([
        message({
          status: 'uploading',
          total_bytes: 400,
          uploaded_bytes: 100,
          error: null,
          started_at: null,
        }),
      ]);
      let p = stream.getSnapshot()!;
      expect(p).to.deep.include({
        upload_id: 'u1',
        filename: '',
        progress_percentage: 25,
        error: null,
        started_at: null,
        completed_at: null,
      });
      const body2 = await feed([
        message({
          status: 'uploading',
          total_bytes: 1e308,
          uploaded_bytes: -5,
          progress_percentage: 250,
        }),
      ]);
      p = body2.stream.getSnapshot()!;
      expect(p.total_bytes).to.equal(Number.MAX_SAFE_INTEGER);
      expect(p.uploaded_bytes).to.equal(0);
      expect(p.progress_percentage).to.equal(100);
      const body3 = await feed([
        message({
          status: 'uploading',
          total_bytes: 'lots',
          uploaded_bytes: 50,
          progress_percentage: 'half',
        }),
      ]);
      p = body3.stream.getSnapshot()!;
      // A size that is not a number is unknown; the bytes seen are the least it can be.
      expect(p.total_bytes).to.equal(50);
      expect(Number.isFinite(p.progress_percentage)).to.equal(true);
      for (const s of [stream, body2.stream, body3.stream]) s.close();
    });

    it('makes a completed record whole and gives a failed one a reason', async () => {
      const a = await feed([message({status: 'completed', total_bytes: 800, uploaded_bytes: 10})]);
      expect(a.stream.getSnapshot()).to.deep.include({
        uploaded_bytes: 800,
        progress_percentage: 100,
      });
      const b = await feed([message({status: 'failed', total_bytes: 800, uploaded_bytes: 10})]);
      expect(b.stream.getSnapshot()!.error).to.match(/without giving a reason/);
    });
  });

  describe('outcomes that end the upload failed', () => {
    const cases: [string, number, string, RegExp][] = [
      ['401', 401, 'unauthorized', /401/],
      ['403', 403, 'forbidden', /403/],
      ['404', 404, 'not-found', /does not know this upload.*404/],
      ['410', 410, 'not-found', /410/],
      ['204', 204, 'no-content', /204/],
      ['400', 400, 'http-status', /400/],
    ];
    for (const [name, status, kind, text] of cases) {
      it(`${name}: failed at once, no retry`, async () => {
        const {fetch, calls} = fakeFetch(() => new Response(null, {status}));
        const stream = new UploadProgressStream(
          'u1',
          isolated({fetch, known: {filename: 'a.txt', total_bytes: 10}}),
        );
        const p = await waitFor(() => done(stream));
        expect(p.status).to.equal('failed');
        expect(p.error).to.match(text);
        expect(p.filename).to.equal('a.txt');
        expect(stream.error!.kind).to.equal(kind);
        expect(stream.error!.status).to.equal(status);
        await settle();
        expect(calls).to.have.length(1);
        expect(stream.state).to.equal('closed');
      });
    }

    it('includes the server\'s own words (FastAPI "detail")', async () => {
      const {fetch} = fakeFetch(() => Response.json({detail: 'Upload not found'}, {status: 404}));
      const stream = new UploadProgressStream('u1', isolated({fetch}));
      const p = await waitFor(() => done(stream));
      expect(p.error).to.contain('The server said: "Upload not found"');
    });

    it('a 200 that is not an event stream', async () => {
      const {fetch, calls} = fakeFetch(
        () => new Response('<html></html>', {headers: {'content-type': 'text/html'}}),
      );
      const stream = new UploadProgressStream('u1', isolated({fetch}));
      const p = await waitFor(() => done(stream));
      expect(p.error).to.match(/text\/html.*instead of text\/event-stream/);
      expect(stream.error!.kind).to.equal('not-event-stream');
      expect(calls).to.have.length(1);
    });

    it('the media type decides, in any case and with any parameters; a near miss is refused', async () => {
      for (const [type, ok] of [
        [' Text/Event-Stream ; charset=utf-8', true],
        ['TEXT/EVENT-STREAM', true],
        ['text/event-streams', false],
        ['text/plain; x=text/event-stream', false],
      ] as const) {
        const {fetch} = fakeFetch(() =>
          eventStream(message(record({status: 'completed'})), {headers: {'content-type': type}}),
        );
        const stream = new UploadProgressStream('u1', isolated({fetch}));
        const p = await waitFor(() => done(stream));
        expect(p.status, type).to.equal(ok ? 'completed' : 'failed');
        if (!ok) expect(stream.error!.kind, type).to.equal('not-event-stream');
      }
    });

    it('a spent retry budget: "lost contact", after exactly maxAttempts requests', async () => {
      const clock = new FakeClock();
      const {fetch, calls} = fakeFetch(() => Promise.reject(new TypeError('Failed to fetch')));
      const stream = new UploadProgressStream(
        'u1',
        isolated({fetch, clock, retry: {maxAttempts: 3}}),
      );
      await waitFor(() => stream.state === 'retrying');
      await clock.advance(1000);
      await waitFor(() => calls.length === 2 && stream.state === 'retrying');
      await clock.advance(2000);
      const p = await waitFor(() => done(stream));
      expect(calls).to.have.length(3);
      expect(p.error).to.equal(
        'Lost contact with the server after 3 attempts (Could not reach the server for progress: check the network and progressUrl).',
      );
      expect(stream.error!.kind).to.equal('retries-exhausted');
      expect(clock.pending()).to.deep.equal([]);
    });
  });

  describe('reconnection', () => {
    it('retries 5xx and 429 with growing delays, honouring Retry-After', async () => {
      const clock = new FakeClock();
      const {fetch, calls} = fakeFetch((_, n) => {
        if (n === 0) return new Response(null, {status: 503});
        if (n === 1) return new Response(null, {status: 429, headers: {'retry-after': '7'}});
        if (n === 2) return new Response(null, {status: 500});
        return eventStream(message(record({status: 'completed'})));
      });
      const stream = new UploadProgressStream('u1', isolated({fetch, clock}));
      await waitFor(() => stream.state === 'retrying');
      expect(clock.pending()).to.deep.equal([1000]);
      await clock.advance(1000);
      await waitFor(() => calls.length === 2 && stream.state === 'retrying');
      expect(clock.pending()).to.deep.equal([7000]); // Retry-After beats the 2000 ms backoff
      await clock.advance(7000);
      await waitFor(() => calls.length === 3 && stream.state === 'retrying');
      expect(clock.pending()).to.deep.equal([4000]);
      await clock.advance(4000);
      expect((await waitFor(() => done(stream))).status).to.equal('completed');
    });

    it('jitter only lengthens the delay, and the cap bounds it', async () => {
      const clock = new FakeClock();
      const {fetch} = fakeFetch(() => new Response(null, {status: 502}));
      const stream = new UploadProgressStream(
        'u1',
        isolated({fetch, clock, random: () => 0.999, retry: {maxDelay: 1500, maxAttempts: 5}}),
      );
      await waitFor(() => stream.state === 'retrying');
      expect(clock.pending()[0]).to.be.within(1000, 1500);
      await clock.advance(clock.pending()[0]!);
      await waitFor(() => stream.state === 'retrying' && clock.pending().length === 1);
      expect(clock.pending()[0]).to.equal(Math.round(1500 * 1.4995));
      stream.close();
    });

    it('reconnects after a drop mid-stream, sending Last-Event-ID, and misses no terminal status', async () => {
      const clock = new FakeClock();
      const first = new ControlledBody();
      const {fetch, calls} = fakeFetch((_, n) =>
        n === 0
          ? eventStream(first.stream)
          : eventStream(message(record({status: 'completed', uploaded_bytes: 1000}), {id: '8'})),
      );
      const stream = new UploadProgressStream('u1', isolated({fetch, clock}));
      const errors: string[] = [];
      stream.addEventListener('error', (e) => errors.push(e.detail.error.kind));
      await waitFor(() => stream.state === 'open');
      first.push(message(record({uploaded_bytes: 400}), {id: '7'}));
      await waitFor(() => stream.getSnapshot());
      first.fail();
      await waitFor(() => stream.state === 'retrying');
      expect(errors).to.deep.equal(['network']);
      await clock.advance(1000);
      const p = await waitFor(() => done(stream));
      expect(p.status).to.equal('completed');
      expect(calls[0]!.headers.has('last-event-id')).to.equal(false);
      expect(calls[1]!.headers.get('last-event-id')).to.equal('7');
      expect(stream.lastEventId).to.equal('8');
    });

    it('reconnects when the server ends the stream before a terminal record', async () => {
      const clock = new FakeClock();
      const {fetch, calls} = fakeFetch((_, n) =>
        eventStream(
          message(
            record({uploaded_bytes: 100 * (n + 1), status: n === 1 ? 'completed' : 'uploading'}),
          ),
        ),
      );
      const stream = new UploadProgressStream('u1', isolated({fetch, clock}));
      await waitFor(() => stream.state === 'retrying');
      expect(stream.error!.kind).to.equal('stream-ended');
      await clock.advance(1000);
      expect((await waitFor(() => done(stream))).status).to.equal('completed');
      expect(calls).to.have.length(2);
    });

    it("uses the server's retry: field as the reconnection delay, held within [1 s, maxRetryAfter]", async () => {
      for (const [sent, used] of [
        [5000, 5000],
        [250, 1000],
        [0, 1000],
        [99_999_999_999, 120_000],
      ]) {
        const clock = new FakeClock();
        const {fetch} = fakeFetch(() => eventStream(`retry: ${sent}\n\n` + message(record())));
        const stream = new UploadProgressStream('u1', isolated({fetch, clock}));
        await waitFor(() => stream.state === 'retrying');
        expect(clock.pending(), `retry: ${sent}`).to.deep.equal([used]);
        stream.close();
      }
    });

    it('a connection that delivers new data resets "lost contact", not the backoff: a server ending streams early is served more slowly', async () => {
      const clock = new FakeClock();
      // Every connection advances the upload and then drops: never more than 1 failure in a row.
      const {fetch, calls} = fakeFetch((_, n) =>
        eventStream(
          message(
            record({uploaded_bytes: 100 * (n + 1), status: n === 5 ? 'completed' : 'uploading'}),
          ),
        ),
      );
      const stream = new UploadProgressStream(
        'u1',
        isolated({fetch, clock, retry: {maxAttempts: 2}}),
      );
      const delays: number[] = [];
      for (let i = 0; i < 5; i++) {
        await waitFor(() => calls.length === i + 1 && stream.state === 'retrying');
        delays.push(...clock.pending());
        await clock.advance(clock.pending()[0]!);
      }
      expect(delays).to.deep.equal([1000, 2000, 4000, 8000, 16000]);
      expect((await waitFor(() => done(stream))).status).to.equal('completed');
    });

    it('a connection that stays open 10 s with a record starts the backoff over', async () => {
      const clock = new FakeClock();
      const bodies: ControlledBody[] = [];
      const {fetch, calls} = fakeFetch(() => {
        const body = new ControlledBody();
        bodies.push(body);
        body.push(message(record({uploaded_bytes: 100})));
        return eventStream(body.stream);
      });
      const stream = new UploadProgressStream('u1', isolated({fetch, clock, idleTimeout: 0}));
      await waitFor(() => stream.state === 'open');
      bodies[0]!.end();
      await waitFor(() => stream.state === 'retrying');
      await clock.advance(1000);
      await waitFor(() => calls.length === 2 && stream.state === 'open');
      bodies[1]!.end();
      await waitFor(() => stream.state === 'retrying');
      expect(clock.pending()).to.deep.equal([2000]);
      await clock.advance(2000);
      await waitFor(() => calls.length === 3 && stream.state === 'open');
      await clock.advance(10_000);
      bodies[2]!.end();
      await waitFor(() => stream.state === 'retrying');
      expect(clock.pending()).to.deep.equal([1000]);
      stream.close();
    });

    it('a server that answers the same record and hangs up (retry: 0) is not "lost": served ever more slowly, then completes', async () => {
      const clock = new FakeClock();
      const {fetch, calls} = fakeFetch((_, n) =>
        eventStream(
          'retry: 0\n\n' +
            message(record({uploaded_bytes: 100, status: n === 12 ? 'completed' : 'uploading'})),
        ),
      );
      const stream = new UploadProgressStream(
        'u1',
        isolated({fetch, clock, retry: {maxAttempts: 4}}),
      );
      const delays: number[] = [];
      for (let i = 1; i <= 12; i++) {
        await waitFor(() => calls.length === i && stream.state === 'retrying');
        expect(stream.getSnapshot()!.status).to.equal('uploading');
        delays.push(clock.pending()[0]!);
        await clock.advance(clock.pending()[0]!);
      }
      expect(delays.slice(0, 6)).to.deep.equal([1000, 2000, 4000, 8000, 16000, 30000]);
      expect(Math.min(...delays)).to.be.at.least(1000);
      const p = await waitFor(() => done(stream));
      expect(p.status).to.equal('completed');
      expect(calls).to.have.length(13);
    });

    it('treats silence longer than idleTimeout as a broken connection; comments keep it alive', async () => {
      const clock = new FakeClock();
      const body = new ControlledBody();
      const {fetch, calls} = fakeFetch((_, n) =>
        n === 0 ? eventStream(body.stream) : eventStream(message(record({status: 'completed'}))),
      );
      const stream = new UploadProgressStream('u1', isolated({fetch, clock, idleTimeout: 5000}));
      await waitFor(() => stream.state === 'open');
      body.push(message(record()));
      await clock.advance(4000);
      body.push(': ping\n\n');
      await settle();
      await clock.advance(4000);
      expect(stream.state).to.equal('open'); // 8 s since open, never 5 s of silence
      await clock.advance(1000);
      await waitFor(() => stream.state === 'retrying');
      expect(stream.error!.kind).to.equal('idle-timeout');
      expect(calls[0]!.signal.aborted).to.equal(true);
      await clock.advance(clock.pending()[0]!);
      expect((await waitFor(() => done(stream))).status).to.equal('completed');
    });

    it('bounds what one event may buffer', async () => {
      const clock = new FakeClock();
      const body = new ControlledBody();
      const {fetch} = fakeFetch((_, n) =>
        n === 0 ? eventStream(body.stream) : eventStream(message(record({status: 'completed'}))),
      );
      const stream = new UploadProgressStream('u1', isolated({fetch, clock, maxEventSize: 1000}));
      await waitFor(() => stream.state === 'open');
      body.push('data: ' + 'x'.repeat(600));
      body.push('y'.repeat(600)); // no line end, ever
      await waitFor(() => stream.state === 'retrying');
      expect(stream.error!.kind).to.equal('event-too-large');
      expect(body.cancelled).to.equal(true);
      await clock.advance(clock.pending()[0]!);
      expect((await waitFor(() => done(stream))).status).to.equal('completed');
    });
  });

  describe('close and signal', () => {
    it('close() aborts the request, cancels the body, clears timers', async () => {
      const clock = new FakeClock();
      const body = new ControlledBody();
      const {fetch, calls} = fakeFetch(() => eventStream(body.stream));
      const stream = new UploadProgressStream('u1', isolated({fetch, clock}));
      await waitFor(() => stream.state === 'open');
      stream.close();
      stream.close();
      await settle();
      expect(calls[0]!.signal.aborted).to.equal(true);
      expect(body.cancelled).to.equal(true);
      expect(clock.pending()).to.deep.equal([]);
      expect(stream.state).to.equal('closed');
    });

    it('calls no listener after close(), not even for the rest of the same chunk', async () => {
      const body = new ControlledBody();
      const {fetch} = fakeFetch(() => eventStream(body.stream));
      const stream = new UploadProgressStream('u1', isolated({fetch}));
      const seen: number[] = [];
      const events: string[] = [];
      stream.subscribe((p) => {
        if (!p) return;
        seen.push(p.uploaded_bytes);
        stream.close();
      });
      stream.subscribe((p) => p && seen.push(-p.uploaded_bytes));
      stream.addEventListener('progress', () => events.push('progress'));
      await waitFor(() => stream.state === 'open');
      body.push(message(record({uploaded_bytes: 1})) + message(record({uploaded_bytes: 2})));
      await settle();
      expect(seen).to.deep.equal([1]);
      expect(events).to.deep.equal([]);
    });

    it('close() while waiting for a slot or backing off ends everything', async () => {
      const clock = new FakeClock();
      const budget = new ConnectionBudget();
      const body = new ControlledBody();
      const {fetch: hold} = fakeFetch(() => eventStream(body.stream));
      const holder = new UploadProgressStream('a', {
        fetch: hold,
        connectionBudget: budget,
        maxConnections: 1,
      });
      await waitFor(() => holder.state === 'open');
      const {fetch, calls} = fakeFetch(() => new Response(null, {status: 503}));
      const waiter = new UploadProgressStream('b', {
        fetch,
        connectionBudget: budget,
        maxConnections: 1,
        clock,
      });
      await waitFor(() => waiter.state === 'waiting');
      expect(budget.queued(location.origin)).to.equal(1);
      waiter.close();
      expect(budget.queued(location.origin)).to.equal(0);
      holder.close();
      expect(budget.active(location.origin)).to.equal(0);
      expect(calls).to.have.length(0);

      const retrying = new UploadProgressStream('c', {fetch, connectionBudget: budget, clock});
      await waitFor(() => retrying.state === 'retrying');
      expect(clock.pending()).to.have.length(1);
      retrying.close();
      expect(clock.pending()).to.deep.equal([]);
    });

    it('close() right after a slot is granted, before the stream resumes: no request', async () => {
      const budget = new ConnectionBudget();
      const body = new ControlledBody();
      const {fetch: hold} = fakeFetch(() => eventStream(body.stream));
      const holder = new UploadProgressStream('a', {
        fetch: hold,
        connectionBudget: budget,
        maxConnections: 1,
      });
      await waitFor(() => holder.state === 'open');
      const {fetch, calls} = fakeFetch(() => eventStream(body.stream));
      const waiter = new UploadProgressStream('b', {
        fetch,
        connectionBudget: budget,
        maxConnections: 1,
      });
      await waitFor(() => waiter.state === 'waiting');
      holder.close(); // grants the slot to the waiter, synchronously
      waiter.close(); // before its continuation runs
      await settle();
      expect(calls).to.have.length(0);
      expect(budget.active(location.origin)).to.equal(0);
    });

    it('an aborted signal closes the stream', async () => {
      const body = new ControlledBody();
      const {fetch, calls} = fakeFetch(() => eventStream(body.stream));
      const controller = new AbortController();
      const stream = new UploadProgressStream('u1', isolated({fetch, signal: controller.signal}));
      await waitFor(() => stream.state === 'open');
      controller.abort();
      expect(stream.state).to.equal('closed');
      expect(calls[0]!.signal.aborted).to.equal(true);
    });
  });

  describe('events', () => {
    it('dispatches statechange, progress, completed', async () => {
      const {fetch} = fakeFetch(() =>
        eventStream(message(record({uploaded_bytes: 10})) + message(record({status: 'completed'}))),
      );
      const stream = new UploadProgressStream('u1', isolated({fetch}));
      const log: string[] = [];
      stream.addEventListener('statechange', (e) => log.push(`state:${e.detail.state}`));
      stream.addEventListener('progress', (e) => log.push(`progress:${e.detail.progress.status}`));
      stream.addEventListener('completed', () => log.push('completed'));
      await waitFor(() => stream.state === 'closed');
      expect(log).to.deep.equal([
        'state:connecting',
        'state:open',
        'progress:uploading',
        'progress:completed',
        'completed',
        'state:closed',
      ]);
    });

    it('dispatches failed with the error for a transport failure', async () => {
      const {fetch} = fakeFetch(() => new Response(null, {status: 403}));
      const stream = new UploadProgressStream('u1', isolated({fetch}));
      const failed = new Promise<CustomEvent>((resolve) =>
        stream.addEventListener('failed', resolve),
      );
      const event = await failed;
      expect(event.detail.error.kind).to.equal('forbidden');
      expect(event.detail.progress.status).to.equal('failed');
    });

    it('a throwing listener does not stop the others', async () => {
      const {fetch} = fakeFetch(() => eventStream(message(record({status: 'completed'}))));
      const stream = new UploadProgressStream('u1', isolated({fetch}));
      const original = window.onerror;
      const reported: unknown[] = [];
      window.onerror = (e) => {
        reported.push(e);
        return true;
      };
      try {
        stream.subscribe((p) => {
          if (p) throw new Error('listener bug');
        });
        const seen = collect(stream);
        await waitFor(() => seen.length === 2);
        expect(seen[1]!.status).to.equal('completed');
        expect(reported).to.have.length(1);
      } finally {
        window.onerror = original;
      }
    });
  });

  it('rejects options that cannot work, with a clear error', () => {
    expect(() => new UploadProgressStream(7 as never)).to.throw(TypeError, /must be a string/);
    expect(() => new UploadProgressStream('u', {idleTimeout: -1})).to.throw(
      RangeError,
      /idleTimeout/,
    );
    expect(() => new UploadProgressStream('u', {maxConnections: 0})).to.throw(
      RangeError,
      /maxConnections/,
    );
    expect(() => new UploadProgressStream('u', {retry: {maxAttempts: 0}})).to.throw(
      RangeError,
      /maxAttempts/,
    );
  });
});
