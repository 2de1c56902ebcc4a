import assert from 'node:assert/strict';
import http from 'node:http';
import {after, before, describe, test} from 'node:test';
import {startMockServer, type MockServer, type UploadProgress} from '../mock-server/server.mjs';

interface SseMessage {
  event: string;
  id: string | undefined;
  data: string;
}

interface ParsedStream {
  messages: SseMessage[];
  comments: string[];
  retry: number | undefined;
}

/** A small reading of the SSE format, enough to check what the server wrote. */
function parseSse(raw: string): ParsedStream & {complete: number} {
  const text = raw.replace(/\r\n?/g, '\n');
  const end = text.lastIndexOf('\n\n');
  const result: ParsedStream & {complete: number} = {
    messages: [],
    comments: [],
    retry: undefined,
    complete: 0,
  };
  if (end < 0) return result;
  for (const block of text.slice(0, end).split('\n\n')) {
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) result.comments.push(line.slice(1).trim());
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('id: ')) id = line.slice(4);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
      else if (line.startsWith('retry: ')) result.retry = Number(line.slice(7));
    }
    if (data.length > 0) result.messages.push({event, id, data: data.join('\n')});
  }
  result.complete = result.messages.length;
  return result;
}

const progressOf = (message: SseMessage) => JSON.parse(message.data) as UploadProgress;

/** Polls `condition` until it holds, failing after `timeoutMs` instead of sleeping blindly. */
async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 3000,
  what = 'condition',
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** An open progress stream that can be read message by message and dropped by the client. */
class StreamReader {
  raw = '';
  ended = false;
  readonly #controller = new AbortController();
  #response: Response | undefined;
  #pump: Promise<void> | undefined;

  async open(url: string, headers: Record<string, string> = {}) {
    this.#response = await fetch(url, {headers, signal: this.#controller.signal});
    const body = this.#response.body;
    assert.ok(body);
    const decoder = new TextDecoder();
    const reader = body.getReader();
    this.#pump = (async () => {
      try {
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
          this.raw += decoder.decode(chunk.value, {stream: true});
        }
      } catch {
        // Aborted by the client or cut by the server: `ended` still tells the test.
      }
      this.ended = true;
    })();
    return this.#response;
  }

  get parsed() {
    return parseSse(this.raw);
  }

  async messages(count: number, timeoutMs = 3000) {
    await waitFor(
      () => this.parsed.messages.length >= count || this.ended,
      timeoutMs,
      `${count} messages`,
    );
    return this.parsed.messages;
  }

  async untilEnd(timeoutMs = 3000) {
    await waitFor(() => this.ended, timeoutMs, 'the end of the stream');
    return this.parsed;
  }

  async drop() {
    this.#controller.abort();
    await this.#pump;
  }
}

async function readStream(url: string, headers: Record<string, string> = {}) {
  const reader = new StreamReader();
  const response = await reader.open(url, headers);
  return {response, ...(await reader.untilEnd()), raw: reader.raw};
}

interface FileSpec {
  name: string;
  size: number;
}

async function upload(server: MockServer, files: FileSpec[], mock?: object) {
  const form = new FormData();
  for (const file of files)
    form.append('files', new File([new Uint8Array(file.size).fill(7)], file.name));
  form.append('path', 'tests');
  if (mock) form.append('mock', JSON.stringify(mock));
  const response = await fetch(`${server.url}/api/files/upload`, {method: 'POST', body: form});
  const body = (await response.json()) as {message: string; uploaded: number; upload_ids: string[]};
  return {response, body};
}

async function uploadOne(server: MockServer, file: FileSpec, mock?: object) {
  const {response, body} = await upload(server, [file], mock);
  assert.equal(response.status, 200);
  const id = body.upload_ids[0];
  assert.ok(id);
  return id;
}

/** A raw request, for bodies fetch will not send (wrong sizes, chunked, cut mid-way). */
function rawRequest(
  server: MockServer,
  options: http.RequestOptions,
  body?: (req: http.ClientRequest) => void,
) {
  return new Promise<{status: number; headers: http.IncomingHttpHeaders; text: string}>(
    (resolve, reject) => {
      const req = http.request(`${server.url}${options.path ?? '/'}`, options, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({status: res.statusCode ?? 0, headers: res.headers, text}));
      });
      req.on('error', reject);
      if (body) body(req);
      else req.end();
    },
  );
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('mock server', () => {
  let server: MockServer;
  const progressUrl = (id: string, query = '') => `${server.url}/api/files/progress/${id}${query}`;

  before(async () => {
    server = await startMockServer({port: 0, stepMs: 15, steps: 5});
  });
  after(async () => {
    await server.close();
  });

  test('listens on a random port of 127.0.0.1 and reports it', () => {
    assert.ok(server.port > 0);
    assert.equal(server.url, `http://127.0.0.1:${server.port}`);
  });

  test('an upload answers one UUID per file, in file order, with the real sizes', async () => {
    const {response, body} = await upload(server, [
      {name: 'first.bin', size: 1234},
      {name: 'second.txt', size: 70_000},
    ]);
    assert.equal(response.status, 200);
    assert.equal(body.message, 'Files uploaded');
    assert.equal(body.uploaded, 2);
    assert.equal(body.upload_ids.length, 2);
    const [first, second] = body.upload_ids.map((id) => server.getProgress(id));
    assert.match(body.upload_ids[0] ?? '', UUID_V4);
    assert.notEqual(body.upload_ids[0], body.upload_ids[1]);
    assert.equal(first?.filename, 'first.bin');
    assert.equal(first?.total_bytes, 1234);
    assert.equal(second?.filename, 'second.txt');
    assert.equal(second?.total_bytes, 70_000);
  });

  test('a stream sends the current state, climbs, and ends after completed', async () => {
    // Slow enough that the first step cannot pass before the stream opens on a busy machine.
    const id = await uploadOne(server, {name: 'climb.bin', size: 1000}, {stepMs: 300});
    const {response, messages} = await readStream(progressUrl(id));
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.equal(response.headers.get('cache-control'), 'no-cache');

    const states = messages.map(progressOf);
    assert.ok(messages.every((message) => message.event === 'progress'));
    assert.deepEqual(
      {...states[0], started_at: null},
      {
        upload_id: id,
        filename: 'climb.bin',
        total_bytes: 1000,
        uploaded_bytes: 0,
        status: 'uploading',
        error: null,
        started_at: null,
        completed_at: null,
        progress_percentage: 0,
      },
    );
    const bytes = states.map((state) => state.uploaded_bytes);
    assert.deepEqual(
      bytes,
      [...bytes].sort((a, b) => a - b),
      'never moves backwards',
    );
    assert.ok(states.length >= 6, `one message per step, got ${states.length}`);
    const last = states.at(-1);
    assert.equal(last?.status, 'completed');
    assert.equal(last?.uploaded_bytes, 1000);
    assert.equal(last?.progress_percentage, 100);
    assert.ok(last?.completed_at && !Number.isNaN(Date.parse(last.completed_at)));
    assert.equal(states.filter((state) => state.status === 'completed').length, 1);
  });

  test('a subscriber joining mid-way gets the current state first', async () => {
    const id = await uploadOne(server, {name: 'midway.bin', size: 500}, {stepMs: 40});
    await waitFor(() => (server.getProgress(id)?.uploaded_bytes ?? 0) > 0, 3000, 'some progress');
    const reader = new StreamReader();
    await reader.open(progressUrl(id));
    const [first] = await reader.messages(1);
    assert.ok(first);
    assert.ok(progressOf(first).uploaded_bytes > 0);
    await reader.untilEnd();
  });

  test('a late subscriber gets one completed message, then the end', async () => {
    const id = await uploadOne(server, {name: 'late.bin', size: 10});
    await waitFor(() => server.getProgress(id)?.status === 'completed', 3000, 'completion');
    const {messages} = await readStream(progressUrl(id));
    assert.equal(messages.length, 1);
    assert.equal(progressOf(messages[0]!).status, 'completed');
  });

  test('several subscribers of one upload all see it complete', async () => {
    const id = await uploadOne(server, {name: 'shared.bin', size: 100});
    const streams = await Promise.all([readStream(progressUrl(id)), readStream(progressUrl(id))]);
    for (const {messages} of streams)
      assert.equal(progressOf(messages.at(-1)!).status, 'completed');
  });

  test('an unknown id answers 404 {"detail": "Upload not found"}', async () => {
    const response = await fetch(progressUrl('00000000-0000-4000-8000-000000000000'));
    assert.equal(response.status, 404);
    assert.match(response.headers.get('content-type') ?? '', /application\/json/);
    assert.deepEqual(await response.json(), {detail: 'Upload not found'});
  });

  test('the fail switch fails the chosen files part-way with a message', async () => {
    const {body} = await upload(
      server,
      [
        {name: 'good.bin', size: 100},
        {name: 'bad.bin', size: 100},
      ],
      {fail: ['bad.bin']},
    );
    const [good, bad] = await Promise.all(body.upload_ids.map((id) => readStream(progressUrl(id))));
    assert.equal(progressOf(good!.messages.at(-1)!).status, 'completed');
    const last = progressOf(bad!.messages.at(-1)!);
    assert.equal(last.status, 'failed');
    assert.equal(last.error, 'Processing failed: corrupted file');
    assert.ok(last.uploaded_bytes > 0 && last.uploaded_bytes < 100, 'fails part-way');
  });

  test('failMessage and failAtStep choose how it fails', async () => {
    const id = await uploadOne(
      server,
      {name: 'x.bin', size: 100},
      {fail: true, failAtStep: 1, failMessage: 'Virus found'},
    );
    const {messages} = await readStream(progressUrl(id));
    const last = progressOf(messages.at(-1)!);
    assert.equal(last.status, 'failed');
    assert.equal(last.error, 'Virus found');
    assert.equal(last.uploaded_bytes, 0);
  });

  test('the crlf switch ends every line with CRLF, from the upload or the query', async () => {
    const id = await uploadOne(server, {name: 'crlf.bin', size: 100}, {crlf: true});
    const {raw, messages} = await readStream(progressUrl(id));
    assert.ok(raw.includes('event: progress\r\ndata: {'));
    assert.ok(!/[^\r]\n/.test(raw), 'no bare LF');
    assert.equal(progressOf(messages.at(-1)!).status, 'completed');

    const plain = await uploadOne(server, {name: 'lf.bin', size: 100});
    const viaQuery = await readStream(progressUrl(plain, '?crlf=1'));
    assert.ok(viaQuery.raw.endsWith('\r\n\r\n'));
    const without = await readStream(progressUrl(plain));
    assert.ok(!without.raw.includes('\r'));
  });

  test('retry, heartbeats, unnamed events and omitted null fields', async () => {
    const id = await uploadOne(
      server,
      {name: 'fmt.bin', size: 100},
      {retryMs: 500, heartbeatMs: 5, unnamedEvents: true, nullFields: false, stepMs: 30, steps: 2},
    );
    const {raw, messages, comments, retry} = await readStream(progressUrl(id));
    assert.ok(raw.startsWith('retry: 500\n\n'));
    assert.equal(retry, 500);
    assert.ok(comments.includes('ping'), 'sends : ping');
    assert.ok(messages.every((message) => message.event === 'message'));
    assert.ok(!raw.includes('event:'));
    const first = JSON.parse(messages[0]!.data) as Record<string, unknown>;
    assert.ok(!('error' in first) && !('completed_at' in first));
    assert.equal(progressOf(messages.at(-1)!).status, 'completed');
  });

  test('ids grow per message and Last-Event-ID resumes after the id seen', async () => {
    const id = await uploadOne(
      server,
      {name: 'ids.bin', size: 100},
      {ids: true, stepMs: 150, steps: 3},
    );
    const first = new StreamReader();
    await first.open(progressUrl(id));
    const [initial] = await first.messages(1);
    assert.equal(initial?.id, '1');
    await first.drop();

    // Reconnecting with the id it has: nothing is repeated, the next change comes next.
    const resumed = new StreamReader();
    await resumed.open(progressUrl(id), {'last-event-id': '1'});
    const [next] = await resumed.messages(1);
    assert.equal(next?.id, '2');
    const all = (await resumed.untilEnd()).messages;
    const ids = all.map((message) => Number(message.id));
    assert.deepEqual(
      ids,
      ids.map((_, i) => i + 2),
    );
    assert.equal(progressOf(all.at(-1)!).status, 'completed');

    // An older id gets the current state; a finished upload always gets its terminal message.
    const again = await readStream(progressUrl(id), {'last-event-id': '1'});
    assert.equal(again.messages.length, 1);
    assert.equal(again.messages[0]?.id, all.at(-1)?.id);
    const atEnd = await readStream(progressUrl(id), {'last-event-id': all.at(-1)!.id!});
    assert.equal(progressOf(atEnd.messages[0]!).status, 'completed');
  });

  test('statusOnAttempt answers the chosen attempts for that upload only', async () => {
    const id = await uploadOne(
      server,
      {name: 'flaky.bin', size: 100},
      {statusOnAttempt: {'1': 503, '2': 429, '3': 500}},
    );
    const other = await uploadOne(server, {name: 'steady.bin', size: 100});

    const first = await fetch(progressUrl(id));
    assert.equal(first.status, 503);
    assert.equal(first.headers.get('retry-after'), '1');
    assert.deepEqual(await first.json(), {detail: 'Service Unavailable'});
    const second = await fetch(progressUrl(id));
    assert.equal(second.status, 429);
    assert.equal(second.headers.get('retry-after'), '1');
    await second.body?.cancel();
    const third = await fetch(progressUrl(id));
    assert.equal(third.status, 500);
    assert.equal(third.headers.get('retry-after'), null);
    await third.body?.cancel();
    const fourth = await readStream(progressUrl(id));
    assert.equal(fourth.response.status, 200);
    assert.equal(progressOf(fourth.messages.at(-1)!).status, 'completed');

    const untouched = await readStream(progressUrl(other));
    assert.equal(untouched.response.status, 200);
    assert.equal(server.stats().attempts[id], 4);
  });

  test('cutAfterMs ends the response without a terminal message', async () => {
    const id = await uploadOne(
      server,
      {name: 'cut.bin', size: 100},
      {cutAfterMs: 40, stepMs: 30, steps: 10},
    );
    const {messages} = await readStream(progressUrl(id));
    assert.ok(messages.length >= 1);
    assert.equal(progressOf(messages.at(-1)!).status, 'uploading');
    // The upload goes on; a reconnection finds it further along.
    const later = await readStream(progressUrl(id, '?cutAfterMs=0'));
    assert.equal(progressOf(later.messages.at(-1)!).status, 'completed');
  });

  test('cutHard drops the connection abruptly', async () => {
    const id = await uploadOne(server, {name: 'hard.bin', size: 100}, {stepMs: 30, steps: 10});
    const response = await fetch(progressUrl(id, '?cutAfterMs=40&cutHard=1'));
    const reader = response.body!.getReader();
    const reading = (async () => {
      while (!(await reader.read()).done);
    })();
    await assert.rejects(reading);
  });

  test('sessions expire expireMs after they end', async () => {
    const id = await uploadOne(
      server,
      {name: 'expire.bin', size: 10},
      {expireMs: 300, steps: 2, stepMs: 5},
    );
    await waitFor(() => server.getProgress(id)?.status === 'completed', 3000, 'completion');
    const before = await readStream(progressUrl(id));
    assert.equal(before.response.status, 200);
    await waitFor(async () => (await fetch(progressUrl(id))).status === 404, 3000, 'expiry');
    assert.equal(server.getProgress(id), null);
  });

  test('not multipart answers 415 with a FastAPI-style detail', async () => {
    const response = await fetch(`${server.url}/api/files/upload`, {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({files: []}),
    });
    assert.equal(response.status, 415);
    const body = (await response.json()) as {detail: string};
    assert.match(body.detail, /multipart\/form-data/);
  });

  test('no files answers 400 "No files uploaded"', async () => {
    const form = new FormData();
    form.append('path', 'x');
    form.append('files', 'not a file');
    const response = await fetch(`${server.url}/api/files/upload`, {method: 'POST', body: form});
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), {detail: 'No files uploaded'});
  });

  test('a bad mock field or query switch answers 400', async () => {
    const form = new FormData();
    form.append('files', new File(['x'], 'x.txt'));
    form.append('mock', '{"crfl": true}');
    const response = await fetch(`${server.url}/api/files/upload`, {method: 'POST', body: form});
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as {detail: string}).detail, /unknown switch "crfl"/);

    const id = await uploadOne(server, {name: 'q.bin', size: 1});
    const bad = await fetch(progressUrl(id, '?heartbeatMs=soon'));
    assert.equal(bad.status, 400);
    await bad.body?.cancel();
  });

  test('a malformed multipart body answers 400', async () => {
    const result = await rawRequest(
      server,
      {
        method: 'POST',
        path: '/api/files/upload',
        headers: {'content-type': 'multipart/form-data; boundary=xyz'},
      },
      (req) => req.end('this is not multipart'),
    );
    assert.equal(result.status, 400);
    assert.match(result.text, /Malformed multipart body/);
  });

  test('wrong methods answer 405, unknown API paths 404', async () => {
    const get = await fetch(`${server.url}/api/files/upload`);
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    await get.body?.cancel();
    const missing = await fetch(`${server.url}/api/nothing`);
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), {detail: 'Not Found'});
  });

  test('client disconnects clean up: openStreams returns to 0', async () => {
    const id = await uploadOne(server, {name: 'slow.bin', size: 100}, {stepMs: 5000});
    const readers = [new StreamReader(), new StreamReader(), new StreamReader()];
    const baseline = server.stats().openStreams;
    server.reset();
    await Promise.all(readers.map((reader) => reader.open(progressUrl(id))));
    await Promise.all(readers.map((reader) => reader.messages(1)));
    assert.equal(server.stats().openStreams, baseline + 3);
    assert.ok(server.stats().peakOpenStreams >= 3);
    await Promise.all(readers.map((reader) => reader.drop()));
    await waitFor(() => server.stats().openStreams === baseline, 3000, 'streams to close');
    assert.equal(baseline, 0);
  });

  test('CORS: preflight 204 reflecting origin, method and headers; responses reflect the origin', async () => {
    const preflight = await fetch(progressUrl('abc'), {
      method: 'OPTIONS',
      headers: {
        origin: 'http://app.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization,last-event-id',
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://app.example');
    assert.equal(preflight.headers.get('access-control-allow-credentials'), 'true');
    assert.equal(preflight.headers.get('access-control-allow-methods'), 'GET');
    assert.equal(
      preflight.headers.get('access-control-allow-headers'),
      'authorization,last-event-id',
    );

    const id = await uploadOne(server, {name: 'cors.bin', size: 1});
    const stream = await readStream(progressUrl(id), {origin: 'http://app.example'});
    assert.equal(stream.response.headers.get('access-control-allow-origin'), 'http://app.example');
    assert.equal(stream.response.headers.get('access-control-allow-credentials'), 'true');
    assert.match(stream.response.headers.get('access-control-expose-headers') ?? '', /Retry-After/);
    assert.ok(server.stats().requests.preflight >= 1);
  });
});

describe('mock server limits and lifecycle', () => {
  let server: MockServer;

  before(async () => {
    server = await startMockServer({maxUploadBytes: 10_000, stepMs: 10, steps: 3});
  });
  after(async () => {
    await server.close();
  });

  test('an oversized upload answers 413 (declared length)', async () => {
    const form = new FormData();
    form.append('files', new File([new Uint8Array(20_000)], 'big.bin'));
    const response = await fetch(`${server.url}/api/files/upload`, {method: 'POST', body: form});
    assert.equal(response.status, 413);
    assert.match(((await response.json()) as {detail: string}).detail, /too large/);
  });

  test('an oversized chunked upload answers 413 once the limit is passed', async () => {
    const boundary = 'limitboundary';
    const result = await rawRequest(
      server,
      {
        method: 'POST',
        path: '/api/files/upload',
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'transfer-encoding': 'chunked',
        },
      },
      (req) => {
        req.write(
          `--${boundary}\r\ncontent-disposition: form-data; name="files"; filename="big.bin"\r\n\r\n`,
        );
        for (let i = 0; i < 5; i++) req.write(Buffer.alloc(4000, 1));
        req.end(`\r\n--${boundary}--\r\n`);
      },
    );
    assert.equal(result.status, 413);
  });

  test('an upload cut mid-body is counted as aborted', async () => {
    const before = server.stats().requests.aborted;
    await new Promise<void>((resolve) => {
      const req = http.request(`${server.url}/api/files/upload`, {
        method: 'POST',
        headers: {'content-type': 'multipart/form-data; boundary=cut', 'content-length': '9000'},
      });
      req.on('error', () => resolve());
      req.write(
        '--cut\r\ncontent-disposition: form-data; name="files"; filename="a.bin"\r\n\r\n0123456789',
        () => {
          setTimeout(() => req.destroy(), 20);
        },
      );
      req.on('close', () => resolve());
    });
    await waitFor(
      () => server.stats().requests.aborted === before + 1,
      3000,
      'the abort to be counted',
    );
    assert.equal(server.stats().uploads, 0);
  });

  test('configure changes the defaults; reset zeroes the counters', async () => {
    server.configure({fail: true, failAtStep: 1});
    const id = await uploadOne(server, {name: 'conf.bin', size: 10});
    await waitFor(() => server.getProgress(id)?.status === 'failed', 3000, 'failure');
    server.configure({fail: false});
    assert.ok(server.stats().uploads >= 1);
    server.reset();
    assert.deepEqual(server.stats().requests, {
      total: 0,
      upload: 0,
      progress: 0,
      preflight: 0,
      multiplex: 0,
      other: 0,
      aborted: 0,
    });
    assert.equal(server.stats().uploads, 0);
  });

  test('close() ends open streams and resolves', async () => {
    const other = await startMockServer({stepMs: 10_000});
    const id = await uploadOne(other, {name: 'open.bin', size: 10});
    const reader = new StreamReader();
    await reader.open(`${other.url}/api/files/progress/${id}`);
    await reader.messages(1);
    assert.equal(other.stats().openStreams, 1);
    await other.close();
    await reader.untilEnd(1000);
    assert.equal(other.stats().openStreams, 0);
    await other.close();
  });

  test('unknown paths go to the fallback handler when one is given', async () => {
    const other = await startMockServer({
      fallback: (_req, res) => {
        res.writeHead(200, {'content-type': 'text/plain'});
        res.end('static');
      },
    });
    try {
      const page = await fetch(`${other.url}/index.html`);
      assert.equal(await page.text(), 'static');
      const api = await fetch(`${other.url}/api/unknown`);
      assert.equal(api.status, 404);
      await api.body?.cancel();
    } finally {
      await other.close();
    }
  });
});

describe('mock server chaos switches', () => {
  let server: MockServer;
  const url = (id: string, query = '') =>
    `${server.url}/api/files/progress/${encodeURIComponent(id)}${query}`;

  before(async () => {
    server = await startMockServer({port: 0, stepMs: 15, steps: 4});
  });
  after(async () => {
    await server.close();
  });

  test('idPrefix makes ids that need encoding, and they route when encoded', async () => {
    const id = await uploadOne(server, {name: 'odd.txt', size: 10}, {idPrefix: 'a/b?c#d %é '});
    assert.ok(id.startsWith('a/b?c#d %é '));
    const {response, messages} = await readStream(url(id));
    assert.equal(response.status, 200);
    assert.equal(progressOf(messages.at(-1)!).upload_id, id);
  });

  test('dripMs writes one byte at a time and still delivers whole messages', async () => {
    const id = await uploadOne(server, {name: 'drip.txt', size: 10}, {dripMs: 1, steps: 1});
    const reader = new StreamReader();
    await reader.open(url(id));
    const chunks: number[] = [];
    let before = 0;
    await waitFor(() => {
      if (reader.raw.length > before) chunks.push(reader.raw.length - before);
      before = reader.raw.length;
      return reader.ended;
    }, 8000);
    assert.ok(chunks.length > 20, `many small reads (${chunks.length})`);
    assert.equal(progressOf(reader.parsed.messages.at(-1)!).status, 'completed');
  });

  test('stallAfterMs goes silent without closing: a proxy gone idle', async () => {
    const id = await uploadOne(
      server,
      {name: 'stall.txt', size: 10},
      {stallAfterMs: 5, heartbeatMs: 5, stepMs: 30},
    );
    const reader = new StreamReader();
    await reader.open(url(id));
    await new Promise((resolve) => setTimeout(resolve, 40));
    const frozen = reader.raw;
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(reader.raw, frozen, 'nothing more after the stall');
    assert.equal(reader.ended, false, 'still open');
    assert.equal(server.getProgress(id)!.status, 'completed');
    await reader.drop();
    await waitFor(() => server.stats().openStreams === 0);
  });

  test('silentFirstMs sends heartbeats only, then the latest state', async () => {
    const id = await uploadOne(
      server,
      {name: 'quiet.txt', size: 10},
      // A silent window far longer than the wait below, so a busy machine cannot pass it.
      {silentFirstMs: 1000, heartbeatMs: 10, stepMs: 10},
    );
    const reader = new StreamReader();
    await reader.open(url(id));
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.equal(reader.parsed.messages.length, 0);
    assert.ok(reader.parsed.comments.length >= 3);
    const parsed = await reader.untilEnd();
    assert.equal(progressOf(parsed.messages.at(-1)!).status, 'completed');
  });

  test('malformedEvery, oversizedFirstBytes and absurdNumbers write what they say', async () => {
    const id = await uploadOne(
      server,
      {name: 'bad.txt', size: 100},
      {malformedEvery: 1, oversizedFirstBytes: 5000, absurdNumbers: true},
    );
    const first = await readStream(url(id));
    assert.ok(first.messages[0]!.data.length >= 5000, 'an oversized event first');
    assert.ok(first.raw.includes('"status": "upl\n'), 'broken JSON');
    assert.ok(
      first.raw.includes('"progress_percentage":1e999') ||
        first.raw.includes('"status":"completed"'),
    );
    const second = await readStream(url(id));
    assert.ok(
      second.messages.every((m) => m.data.length < 5000),
      'only on the first connection',
    );
  });

  test('faultRate decides per connection whether the connection faults strike', async () => {
    const spared = await uploadOne(
      server,
      {name: 'lucky.txt', size: 10},
      {cutAfterMs: 1, faultRate: 0},
    );
    const clean = await readStream(url(spared));
    assert.equal(progressOf(clean.messages.at(-1)!).status, 'completed', 'never cut');
    const struck = await uploadOne(
      server,
      {name: 'unlucky.txt', size: 10},
      {cutAfterMs: 1, faultRate: 1, stepMs: 50},
    );
    const cut = await readStream(url(struck));
    assert.notEqual(progressOf(cut.messages.at(-1)!).status, 'completed', 'cut before the end');
  });

  test('rejects chaos switches of the wrong type', async () => {
    const {response} = await upload(server, [{name: 'x', size: 1}], {dripMs: 'slow'});
    assert.equal(response.status, 400);
  });
});
