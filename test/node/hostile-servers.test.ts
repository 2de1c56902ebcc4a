// Issue 13: what a server that misbehaves (on purpose or by mistake) can do to the core,
// against small hostile `node:http` servers on 127.0.0.1 and Node's own fetch. Time is a fake
// clock the servers read too, so "requests per minute" is counted in simulated minutes and
// nothing here waits for real time to pass.
import assert from 'node:assert/strict';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {after, describe, it} from 'node:test';
import {
  ConnectionBudget,
  UploadProgressManager,
  UploadProgressStream,
  type Clock,
  type UploadProgress,
  type UploadProgressStreamOptions,
} from '../../src/index.js';
import {STOPPED} from '../../src/transport/sse-connection.js';
import {FakeClock} from '../helpers/fake-clock.js';
import {waitFor} from '../helpers/sse.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void;

interface Hostile {
  base: string;
  requests: {url: string; headers: http.IncomingHttpHeaders; at: number}[];
  close(): Promise<void>;
}

const servers: Hostile[] = [];
after(() => Promise.all(servers.map((s) => s.close())));

/** A server on 127.0.0.1 that answers every request with `handler`, recording each. */
async function hostile(handler: Handler, clock?: FakeClock): Promise<Hostile> {
  const requests: Hostile['requests'] = [];
  const server = http.createServer((req, res) => {
    requests.push({url: req.url!, headers: req.headers, at: clock?.now() ?? Date.now()});
    handler(req, res, requests.length - 1);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const result: Hostile = {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(result);
  return result;
}

function sse(res: http.ServerResponse): http.ServerResponse {
  return res.writeHead(200, {'content-type': 'text/event-stream', 'cache-control': 'no-cache'});
}

function recordOf(id: string, extra: Partial<UploadProgress> = {}): string {
  const data = {
    upload_id: id,
    filename: 'a.bin',
    total_bytes: 1000,
    uploaded_bytes: 100,
    status: 'uploading',
    progress_percentage: 10,
    ...extra,
  };
  return `event: progress\ndata: ${JSON.stringify(data)}\n\n`;
}

/** Options isolating a test: its own budget, no jitter, the hostile server's URL. */
function options(server: Hostile, extra: UploadProgressStreamOptions = {}) {
  return {
    progressUrl: `${server.base}/api/files/progress/{upload_id}`,
    connectionBudget: new ConnectionBudget(),
    random: () => 0,
    ...extra,
  };
}

const settled = (stream: UploadProgressStream) =>
  stream.getSnapshot()?.status !== 'uploading' && stream.getSnapshot();

/** `clock`, telling `onTimer` the delay of every timer set. */
function watched(clock: FakeClock, onTimer: (ms: number) => void): Clock {
  return {
    now: () => clock.now(),
    setTimeout: (callback, ms) => {
      onTimer(ms);
      return clock.setTimeout(callback, ms);
    },
    clearTimeout: (handle) => clock.clearTimeout(handle),
  };
}

/** The most requests that arrived within any 60 s. */
function busiestMinute(times: number[]): number {
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= 60_000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/**
 * Lets a stream run against its server for `minutes` of simulated time (or until it settles,
 * or `maxRequests` arrived): each time it waits to reconnect, the clock jumps to the end of
 * that wait.
 */
async function drive(
  stream: UploadProgressStream,
  server: Hostile,
  clock: FakeClock,
  minutes: number,
  maxRequests = 400,
): Promise<number[]> {
  const delays: number[] = [];
  let waits = 0;
  stream.addEventListener('statechange', (event) => {
    if (event.detail.state === 'retrying') waits++;
  });
  const end = clock.now() + minutes * 60_000;
  while (clock.now() < end && server.requests.length < maxRequests && !stream.closed) {
    const seen = delays.length;
    await waitFor(() => stream.closed || waits > seen, `reconnection wait ${seen + 1}`);
    if (stream.closed) break;
    const delay = clock.pending()[0]!;
    delays.push(delay);
    await clock.advance(delay);
  }
  return delays;
}

describe('hostile servers: reconnection', () => {
  it('retry: 0, a fresh record and the end, again and again: at most 12 requests in any minute, ever more slowly', async () => {
    const clock = new FakeClock();
    let bytes = 0;
    const server = await hostile((req, res) => {
      bytes += 1;
      sse(res).end('retry: 0\n\n' + recordOf('u', {uploaded_bytes: bytes}));
    }, clock);
    // A user who asked for no delay at all: the server still cannot make it hammer.
    const stream = new UploadProgressStream(
      'u',
      options(server, {clock, retry: {initialDelay: 0, maxDelay: 0}}),
    );
    await drive(stream, server, clock, 10);
    stream.close();
    const times = server.requests.map((r) => r.at);
    assert.ok(busiestMinute(times) <= 12, `busiest minute: ${busiestMinute(times)} requests`);
    assert.ok(times.length <= 12 * 10 + 12, `${times.length} requests in 10 simulated minutes`);

    // With the defaults, the waits grow: the first minute sees far fewer.
    const clock2 = new FakeClock();
    const server2 = await hostile((req, res) => {
      bytes += 1;
      sse(res).end('retry: 0\n\n' + recordOf('v', {uploaded_bytes: bytes}));
    }, clock2);
    const stream2 = new UploadProgressStream('v', options(server2, {clock: clock2}));
    const delays = await drive(stream2, server2, clock2, 10);
    stream2.close();
    assert.deepEqual(delays.slice(0, 5), [1000, 2000, 4000, 8000, 16000]);
    assert.ok(Math.min(...delays) >= 1000);
    assert.ok(busiestMinute(server2.requests.map((r) => r.at)) <= 7);
  });

  it('retry: 99999999999: the wait is held at the cap, and no timer is given more than it holds', async () => {
    const clock = new FakeClock();
    const server = await hostile((req, res) => {
      sse(res).end('retry: 99999999999\n\n' + recordOf('u'));
    }, clock);
    const asked: number[] = [];
    const recording = watched(clock, (ms) => asked.push(ms));
    const stream = new UploadProgressStream('u', options(server, {clock: recording}));
    await drive(stream, server, clock, 30, 6);
    stream.close();
    assert.ok(asked.length > 5);
    assert.ok(Math.max(...asked) <= 120_000, `longest timer: ${Math.max(...asked)} ms`);

    // With the real clock, Node's own check: no TimeoutOverflowWarning.
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const real = new UploadProgressStream('w', options(server));
      await waitFor(() => real.state === 'retrying');
      real.close();
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      process.off('warning', onWarning);
    }
    assert.deepEqual(
      warnings.map((w) => w.name),
      [],
    );
  });

  it('retry: 0 and an unchanging record: a healthy upload is not failed, and completes when the server says so', async () => {
    const clock = new FakeClock();
    const server = await hostile((req, res, n) => {
      sse(res).end(
        'retry: 0\n\n' + recordOf('u', n < 20 ? {} : {status: 'completed', uploaded_bytes: 1000}),
      );
    }, clock);
    const stream = new UploadProgressStream('u', options(server, {clock}));
    const delays = await drive(stream, server, clock, 60);
    assert.equal(server.requests.length, 21);
    assert.equal(stream.getSnapshot()!.status, 'completed');
    assert.ok(Math.min(...delays) >= 1000, `shortest wait ${Math.min(...delays)} ms`);
  });
  it('the multiplexed stream obeys the same policy: retry: 0 and fresh records still get at most 12 requests a minute', async () => {
    const clock = new FakeClock();
    let bytes = 0;
    const server = await hostile((req, res) => {
      bytes += 1;
      sse(res).end('retry: 0\n\n' + recordOf('u', {uploaded_bytes: bytes}));
    }, clock);
    const manager = new UploadProgressManager({
      progressUrl: `${server.base}/api/files/progress/{upload_id}`,
      multiplexUrl: `${server.base}/api/files/progress`,
      connectionBudget: new ConnectionBudget(),
      random: () => 0,
      clock,
      retry: {initialDelay: 0, maxDelay: 0},
    });
    manager.track(['u']);
    const end = clock.now() + 10 * 60_000;
    // Each round: the last request was answered and the batch waits to reconnect; the clock
    // jumps to the end of that wait.
    let seen = 0;
    while (clock.now() < end && server.requests.length < 400) {
      await waitFor(
        () =>
          server.requests.length > seen &&
          manager.getSnapshot().uploads.get('u')?.connection === 'retrying',
        `reconnection wait ${seen + 1}`,
      );
      seen = server.requests.length;
      await clock.advance(clock.pending()[0]!);
    }
    manager.closeAll();
    const times = server.requests.map((r) => r.at);
    assert.ok(server.requests.every((r) => r.url.startsWith('/api/files/progress?ids=u')));
    assert.ok(busiestMinute(times) <= 12, `busiest minute: ${busiestMinute(times)} requests`);
    assert.ok(times.length <= 12 * 10 + 12, `${times.length} requests in 10 simulated minutes`);
  });
});

describe('hostile servers: redirects', () => {
  async function twoOrigins(status = 302) {
    const other = await hostile((req, res) => {
      sse(res).end(recordOf('u', {status: 'completed', uploaded_bytes: 1000, filename: 'theirs'}));
    });
    const progress = await hostile((req, res) => {
      res.writeHead(status, {location: `${other.base}${req.url}`}).end();
    });
    return {progress, other};
  }

  it('a redirect to another origin is refused: nothing is sent there, the upload ends failed saying what to do', async () => {
    const {progress, other} = await twoOrigins();
    const stream = new UploadProgressStream(
      'u',
      options(progress, {headers: {'X-Api-Key': 'secret'}, credentials: 'include'}),
    );
    const p = await waitFor(() => settled(stream));
    assert.equal(p.status, 'failed');
    assert.equal(stream.error!.kind, 'redirected');
    assert.match(p.error!, /Point progressUrl at the final URL/);
    assert.ok(p.error!.includes(other.base), p.error!);
    assert.equal(progress.requests[0]!.headers['x-api-key'], 'secret');
    assert.equal(other.requests.length, 0, 'the other origin was asked');
  });

  it('a same-origin redirect is refused too: an id reaches its own progress URL and no other', async () => {
    const server = await hostile((req, res) => {
      if (req.url!.startsWith('/api/files/progress/')) {
        res.writeHead(301, {location: '/elsewhere'}).end();
      } else sse(res).end(recordOf('u', {status: 'completed'}));
    });
    const stream = new UploadProgressStream('u', options(server));
    const p = await waitFor(() => settled(stream));
    assert.equal(stream.error!.kind, 'redirected');
    assert.equal(p.status, 'failed');
    assert.deepEqual(
      server.requests.map((r) => r.url),
      ['/api/files/progress/u'],
    );
  });

  it('a fetch wrapper that follows redirects anyway: the other origin never becomes the upload', async () => {
    const {progress, other} = await twoOrigins(307);
    const following = ((input: RequestInfo | URL, init?: RequestInit) =>
      fetch(input, {...init, redirect: 'follow'})) as typeof fetch;
    const stream = new UploadProgressStream('u', options(progress, {fetch: following}));
    const p = await waitFor(() => settled(stream));
    assert.equal(other.requests.length, 1); // the wrapper's doing
    assert.equal(p.status, 'failed');
    assert.notEqual(p.filename, 'theirs');
    assert.equal(stream.error!.kind, 'redirected');
  });
});

describe('hostile servers: ids', () => {
  it('empty and dot-segment ids, in any spelling, are refused without a request', async () => {
    const server = await hostile((req, res) => sse(res).end(recordOf('x', {status: 'completed'})));
    const refused = ['', '.', '..', '%2e', '%2E%2e', '.%2E', '%2e.', '%252e%252E', '%252E'];
    for (const id of refused) {
      const stream = new UploadProgressStream(id, options(server));
      const p = await waitFor(() => settled(stream), JSON.stringify(id));
      assert.equal(p.status, 'failed', JSON.stringify(id));
      assert.equal(stream.error!.kind, 'invalid-id');
      assert.match(p.error!, /empty or a dot segment.*not requested/);
    }
    // Through a manager too (a template function gets no say: it is never called).
    const called: string[] = [];
    const manager = new UploadProgressManager({
      ...options(server),
      progressUrl: (id) => (called.push(id), `${server.base}/api/files/progress/${id}`),
    });
    manager.track(['..', '%2e']);
    await waitFor(() => manager.getSnapshot().allSettled);
    assert.equal(manager.getSnapshot().failed, 2);
    assert.deepEqual(called, []);
    assert.deepEqual(server.requests, []);
  });

  it('a progressUrl function that throws for one id fails that upload, typed, and the others go on', async () => {
    const server = await hostile((req, res) =>
      sse(res).end(recordOf(decodeURIComponent(req.url!.split('/').pop()!), {status: 'completed'})),
    );
    const progressUrl = (id: string) => {
      if (id === 'bad') throw new Error('no route for bad');
      return `${server.base}/api/files/progress/${id}`;
    };
    // A stream alone: no throw from its constructor, a failed upload instead.
    const stream = new UploadProgressStream('bad', {...options(server), progressUrl});
    const p = await waitFor(() => settled(stream));
    assert.equal(p.status, 'failed');
    assert.equal(stream.error!.kind, 'invalid-options');
    assert.match(p.error!, /progressUrl threw: Error: no route for bad/);
    // Through a manager: the id first in its queue does not hold back the ones after it.
    const manager = new UploadProgressManager({...options(server), progressUrl});
    manager.track(['bad', 'good', 'fine']);
    await waitFor(() => manager.getSnapshot().allSettled);
    const s = manager.getSnapshot();
    assert.equal(s.uploads.get('bad')!.progress!.status, 'failed');
    assert.deepEqual([s.completed, s.failed], [2, 1]);
    assert.deepEqual(server.requests.map((r) => r.url).sort(), [
      '/api/files/progress/fine',
      '/api/files/progress/good',
    ]);
    manager.closeAll();
  });

  it('every other id reaches its own progress URL and no other path', async () => {
    const ids = [
      '...',
      '.a',
      'a.',
      '../x',
      '..%2F',
      '%2e%2e%2f',
      'a/b',
      '?q=1',
      '#h',
      'a b',
      'é',
      '%',
      '\\..',
      '..\\',
      '. .',
    ];
    const server = await hostile((req, res) => {
      const id = decodeURIComponent(req.url!.slice('/api/files/progress/'.length));
      sse(res).end(recordOf(id, {status: 'completed'}));
    });
    for (const id of ids) {
      const stream = new UploadProgressStream(id, options(server));
      const p = await waitFor(() => settled(stream), JSON.stringify(id));
      assert.equal(p.status, 'completed', `${JSON.stringify(id)}: ${p.error}`);
    }
    assert.deepEqual(
      server.requests.map((r) => r.url),
      ids.map((id) => `/api/files/progress/${encodeURIComponent(id)}`),
    );
  });
});

describe('hostile servers: sizes', () => {
  const huge = 5 * 1024 * 1024;
  const giant = (id: string) =>
    recordOf(id, {status: 'completed', uploaded_bytes: 1000, started_at: 'x'.repeat(huge)});

  it('a 5 MB event is never taken, over a real socket', async () => {
    const server = await hostile((req, res, n) => {
      sse(res).end(n === 0 ? giant('u') : recordOf('u', {status: 'failed', error: 'real'}));
    });
    const stream = new UploadProgressStream('u', options(server, {retry: {initialDelay: 0}}));
    const p = await waitFor(() => settled(stream), 'settled', 10_000);
    assert.equal(p.error, 'real');
    assert.equal(server.requests.length, 2);
  });

  it('a 5 MB event arriving in one chunk is never taken either', async () => {
    let n = 0;
    const chunks: number[] = [];
    const oneChunk = (async () => {
      const text = n++ === 0 ? giant('u') : recordOf('u', {status: 'failed', error: 'real'});
      const bytes = new TextEncoder().encode(text);
      chunks.push(bytes.length);
      return new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(bytes);
            controller.close();
          },
        }),
        {headers: {'content-type': 'text/event-stream'}},
      );
    }) as typeof fetch;
    const stream = new UploadProgressStream('u', {
      fetch: oneChunk,
      connectionBudget: new ConnectionBudget(),
      retry: {initialDelay: 0},
    });
    const errors: string[] = [];
    stream.addEventListener('error', (event) => errors.push(event.detail.error.kind));
    const p = await waitFor(() => settled(stream), 'settled', 10_000);
    assert.ok(chunks[0]! > huge);
    assert.deepEqual(errors, ['event-too-large']);
    assert.equal(p.error, 'real');
  });

  it('every text of a record is clipped: filename and error to 4096 characters, dates to 64', async () => {
    const long = 'y'.repeat(100_000);
    const server = await hostile((req, res) => {
      sse(res).end(
        recordOf('u', {
          status: 'failed',
          filename: long,
          error: long,
          started_at: long,
          completed_at: long,
        }),
      );
    });
    const stream = new UploadProgressStream('u', options(server));
    const p = await waitFor(() => settled(stream));
    assert.equal(p.filename.length, 4096);
    assert.equal(p.error!.length, 4096);
    assert.equal(p.started_at!.length, 64);
    assert.equal(p.completed_at!.length, 64);
    assert.ok(p.filename.endsWith('…'));
  });
});

describe('hostile servers: event ids', () => {
  it('an id beyond Latin-1 goes back as its UTF-8 bytes, as EventSource sends it; one longer than 1,024 characters is not sent back', async () => {
    const clock = new FakeClock();
    const ids = ['r\u00e9sum\u00e9 \u2713 \u{1F600}', 'x'.repeat(5000)];
    const server = await hostile((req, res, n) => {
      const id = ids[n];
      sse(res).end(
        id === undefined
          ? recordOf('u', {status: 'completed'})
          : `id: ${id}\n` + recordOf('u', {uploaded_bytes: n + 1}),
      );
    }, clock);
    const stream = new UploadProgressStream('u', options(server, {clock}));
    await drive(stream, server, clock, 10);
    assert.equal(stream.getSnapshot()!.status, 'completed');
    const sent = server.requests.map((r) => r.headers['last-event-id'] as string | undefined);
    // Node reads header bytes as Latin-1: turn them back into bytes, then read them as UTF-8.
    const decoded = sent.map((value) =>
      value === undefined ? undefined : Buffer.from(value, 'latin1').toString('utf8'),
    );
    assert.deepEqual(decoded, [undefined, ids[0], ids[0]]);
  });
});

describe('hostile servers: the watchdog', () => {
  it('one timer for every open connection of a clock: it fails exactly the silent one, and the others read on', async () => {
    const clock = new FakeClock();
    let timers = 0;
    const counting = watched(clock, () => timers++);
    const held = new Map<string, http.ServerResponse>();
    const server = await hostile((req, res) => {
      const id = req.url!.split('/').pop()!;
      if (held.has(id)) return void sse(res).end(recordOf(id, {status: 'completed'}));
      held.set(id, sse(res));
      res.write(recordOf(id));
    }, clock);
    const ids = ['talks-1', 'talks-2', 'silent'];
    const budget = new ConnectionBudget();
    const streams = ids.map(
      (id) =>
        new UploadProgressStream(
          id,
          options(server, {clock: counting, idleTimeout: 5000, connectionBudget: budget}),
        ),
    );
    const errors = streams.map(() => [] as string[]);
    streams.forEach((stream, i) =>
      stream.addEventListener('error', (event) => errors[i]!.push(event.detail.error.kind)),
    );
    await waitFor(() => streams.every((stream) => stream.getSnapshot() !== null), 'all open');
    // Three connections, one timer (before: one each).
    assert.equal(clock.pending().length, 1);
    const before = timers;
    // The talkers send every 2 s; the silent one sends nothing after its first record.
    for (let t = 1; t <= 4; t++) {
      await clock.advance(2000);
      for (const id of ['talks-1', 'talks-2']) held.get(id)!.write(': ping\n\n');
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (t < 3) assert.deepEqual(errors, [[], [], []], `at ${t * 2} s`);
    }
    // Given up at 5 s (then reconnected after its backoff, and answered at once here).
    await waitFor(() => errors[2]!.length > 0, 'the silent one given up');
    assert.deepEqual(errors, [[], [], ['idle-timeout']]);
    assert.equal(streams[0]!.state, 'open');
    assert.equal(streams[1]!.state, 'open');
    // Woken at deadlines, not per chunk: a handful of timers for 8 chunks on 3 connections
    // (the watchdog's wakes, the backoff, the new connection's deadlines).
    assert.ok(timers - before <= 5, `${timers - before} timers set`);
    for (const stream of streams) stream.close();
    for (const res of held.values()) res.end();
  });

  it('a closed stream leaves no timer behind (one waits out its backoff, one reads, one waits for its answer)', async () => {
    const clock = new FakeClock();
    let n = 0;
    const server = await hostile((req, res) => {
      n++;
      const id = req.url!.split('/').pop()!;
      if (id === 'drops') return void res.writeHead(503).end();
      if (id === 'reads') return void sse(res).write(recordOf(id));
      // 'waits': no answer at all.
    }, clock);
    const budget = new ConnectionBudget();
    const streams = ['drops', 'reads', 'waits'].map(
      (id) => new UploadProgressStream(id, options(server, {clock, connectionBudget: budget})),
    );
    await waitFor(() => n === 3 && streams[0]!.state === 'retrying', 'all asked');
    await waitFor(() => streams[1]!.state === 'open', 'one open');
    assert.ok(clock.pending().length >= 2, 'a backoff and the watchdog armed');
    for (const stream of streams) stream.close();
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(clock.pending(), []);
  });

  it('time before the server answers is never silence; a server that never answers is given up after connectTimeout', async () => {
    const clock = new FakeClock();
    const held: http.ServerResponse[] = [];
    const server = await hostile((req, res, n) => {
      if (n === 0)
        held.push(res); // headers only when the test says
      else if (n === 1)
        return; // never answers at all
      else sse(res).end(recordOf('u', {status: 'completed'}));
    }, clock);
    const stream = new UploadProgressStream('u', options(server, {clock, idleTimeout: 5000}));
    const errors: string[] = [];
    stream.addEventListener('error', (event) => errors.push(event.detail.error.kind));
    await waitFor(() => held.length === 1);
    // Queued for a minute (a browser's socket queue, a slow proxy): twelve idle timeouts long.
    await clock.advance(60_000);
    assert.equal(stream.state, 'connecting');
    sse(held[0]!).write(recordOf('u'));
    await waitFor(() => stream.getSnapshot() !== null);
    assert.equal(stream.state, 'open');
    assert.deepEqual(errors, []);
    // Silence once answered is counted: 5 s of it ends the connection.
    await clock.advance(4999);
    assert.equal(stream.state, 'open');
    await clock.advance(1);
    await waitFor(() => stream.state === 'retrying');
    assert.deepEqual(errors, ['idle-timeout']);
    // The next request is accepted and never answered: given up after 120 s, not before.
    await clock.advance(clock.pending()[0]!);
    await waitFor(() => server.requests.length === 2);
    await clock.advance(119_999);
    assert.equal(stream.state, 'connecting');
    await clock.advance(1);
    await waitFor(() => stream.state === 'retrying');
    assert.deepEqual(errors, ['idle-timeout', 'connect-timeout']);
    await clock.advance(clock.pending()[0]!);
    assert.equal((await waitFor(() => settled(stream))).status, 'completed');
    held[0]!.end();
  });

  it('one timer per connection, whatever the number of chunks; controllers aborted with a plain reason', async () => {
    const clock = new FakeClock();
    let timers = 0;
    const counting = watched(clock, () => timers++);
    const signals: AbortSignal[] = [];
    const chunked = (async (_input: RequestInfo | URL, init?: RequestInit) => {
      signals.push(init!.signal!);
      let i = 0;
      return new Response(
        new ReadableStream({
          pull(controller) {
            i++;
            const last = i === 500;
            controller.enqueue(
              new TextEncoder().encode(
                recordOf('u', last ? {status: 'completed'} : {uploaded_bytes: i}),
              ),
            );
            if (last) controller.close();
          },
        }),
        {headers: {'content-type': 'text/event-stream'}},
      );
    }) as typeof fetch;
    const stream = new UploadProgressStream('u', {
      fetch: chunked,
      clock: counting,
      connectionBudget: new ConnectionBudget(),
    });
    assert.equal((await waitFor(() => settled(stream))).status, 'completed');
    assert.ok(timers <= 2, `${timers} timers set for one connection of 500 chunks`);
    assert.equal(signals[0]!.aborted, true);
    assert.equal(signals[0]!.reason, STOPPED);
  });
});
