import assert from 'node:assert/strict';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {after, before, describe, it} from 'node:test';

const BUDGET = Symbol.for('upload-progress.connection-budget');

describe('the core in Node 20', () => {
  let server: http.Server;
  let base = '';
  const requests: {url: string; lastEventId: string | undefined}[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      requests.push({
        url: req.url!,
        lastEventId: req.headers['last-event-id'] as string | undefined,
      });
      const id = decodeURIComponent(req.url!.split('/').pop()!);
      if (id === 'unknown') {
        res
          .writeHead(404, {'content-type': 'application/json'})
          .end('{"detail":"Upload not found"}');
        return;
      }
      res.writeHead(200, {'content-type': 'text/event-stream', 'cache-control': 'no-cache'});
      // CRLF like sse-starlette, a ping, then records in separate writes.
      const send = (bytes: number, status = 'uploading') =>
        res.write(
          `event: progress\r\ndata: ${JSON.stringify({upload_id: id, filename: 'n.txt', total_bytes: 100, uploaded_bytes: bytes, status, progress_percentage: bytes})}\r\n\r\n`,
        );
      res.write(': ping\r\n\r\n');
      send(10);
      setTimeout(() => send(60), 5);
      setTimeout(() => {
        send(100, 'completed');
        res.end();
      }, 10);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('imports without side effects: no DOM needed, no global state made', async () => {
    const core = await import('../../src/index.js');
    assert.equal(typeof core.UploadProgressStream, 'function');
    assert.equal(typeof (globalThis as {window?: unknown}).window, 'undefined');
    assert.equal((globalThis as Record<symbol, unknown>)[BUDGET], undefined);
  });

  it('follows an upload to completion over a real socket with Node fetch', async () => {
    const {UploadProgressStream} = await import('../../src/index.js');
    const stream = new UploadProgressStream('node-1', {
      progressUrl: `${base}/api/files/progress/{upload_id}`,
    });
    const seen: number[] = [];
    const done = new Promise<void>((resolve) =>
      stream.subscribe((p) => {
        if (p) seen.push(p.uploaded_bytes);
        if (p?.status === 'completed') resolve();
      }),
    );
    await done;
    assert.deepEqual(seen, [10, 60, 100]);
    assert.equal(stream.getSnapshot()!.status, 'completed');
  });

  it('a manager with an absolute progressUrl aggregates, and a 404 ends failed with the reason', async () => {
    const {UploadProgressManager} = await import('../../src/index.js');
    const manager = new UploadProgressManager({
      progressUrl: `${base}/api/files/progress/{upload_id}`,
    });
    const settled = new Promise<void>((resolve) =>
      manager.subscribe((s) => s.allSettled && resolve()),
    );
    manager.track(['node-2', 'unknown']);
    await settled;
    const s = manager.getSnapshot();
    assert.equal(s.completed, 1);
    assert.equal(s.failed, 1);
    assert.match(s.progressMap.get('unknown')!.error!, /Upload not found/);
    assert.equal(s.overallPercentage < 100, true);
  });

  it('runs with an injected fetch and a relative URL (no location in Node)', async () => {
    const {UploadProgressStream} = await import('../../src/index.js');
    const seenUrls: string[] = [];
    const fetchFn = (async (input: RequestInfo | URL) => {
      seenUrls.push(String(input));
      return new Response('data: {"status":"completed","total_bytes":5}\n\n', {
        headers: {'content-type': 'text/event-stream'},
      });
    }) as typeof fetch;
    const stream = new UploadProgressStream('rel', {fetch: fetchFn});
    await new Promise<void>((resolve) => stream.subscribe((p) => p && resolve()));
    assert.deepEqual(seenUrls, ['/api/files/progress/rel']);
    assert.equal(stream.getSnapshot()!.uploaded_bytes, 5);
  });
});
