// Resumable uploads in Node 20: uploadFiles() with tusTransfer() and the real tus-js-client
// against the mock backend's @tus/server, over real sockets. Every byte is counted at the
// server (stats().tus), so "sent once", "nothing moved while paused" and "at N bytes/s" are
// the server's figures, not the client's.
import assert from 'node:assert/strict';
import {after, afterEach, before, describe, it} from 'node:test';
import {Upload} from 'tus-js-client';
import {startMockServer, type MockServer} from '../mock-server/server.mjs';
import {
  UploadProgressManager,
  controlUpload,
  uploadAction,
  uploadFiles,
  type UploadProgressSnapshot,
} from '../../src/index.js';
import {tusTransfer} from '../../src/tus.js';

const KIB = 1024;

/** A file of `size` bytes that differ from each other (a resent range would not go unseen). */
function file(size: number, name: string): File {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + name.length) & 0xff;
  return new File([bytes], name, {type: 'application/octet-stream'});
}

describe('resumable uploads over tus in Node', () => {
  let server: MockServer;
  let manager: UploadProgressManager;
  const retry = {initialDelay: 50, maxDelay: 200};

  before(async () => {
    server = await startMockServer({steps: 2, stepMs: 10});
  });
  after(() => server.close());
  // No progress stream outlives its test (they would reconnect to a closed server).
  afterEach(() => manager?.closeAll());

  const newManager = () =>
    (manager = new UploadProgressManager({
      progressUrl: `${server.url}/api/files/progress/{upload_id}`,
    }));
  const transfer = (more: Partial<Parameters<typeof tusTransfer>[0]> = {}) =>
    tusTransfer({Upload, endpoint: `${server.url}/api/files/tus`, retry, ...more});
  const upload = (name: string) =>
    Object.values(server.stats().tus.uploads).find((u) => u.filename === name);
  /** Polls the server until `check` holds (the test's timeout bounds it). */
  const until = async (check: () => boolean) => {
    while (!check()) await new Promise((resolve) => setTimeout(resolve, 20));
  };
  const settled = () =>
    new Promise<UploadProgressSnapshot>((resolve) => {
      const stop = manager.subscribe((snapshot) => {
        if (!snapshot.allSettled) return;
        queueMicrotask(() => stop());
        resolve(snapshot);
      });
    });

  it('a connection cut at 60 % resumes from the server offset: each byte arrives about once', async () => {
    newManager();
    const size = 4 * 1024 * KIB;
    const task = uploadFiles([file(size, 'cut.bin')], {
      manager,
      tus: transfer(),
      fields: {mock: JSON.stringify({cutAt: [0.6]})},
    });
    const [id] = await task;
    const seen = upload('cut.bin')!;
    assert.equal(seen.cuts, 1, 'the server cut the connection once');
    assert.ok(seen.patches >= 2, 'a second PATCH carried the rest');
    assert.equal(seen.processingId, id, 'the id is the one the server named');
    assert.ok(seen.received / size <= 1.1, `received ${seen.received} for ${size}`);
    const end = await settled();
    assert.equal(end.uploads.get(task.keys[0]!)?.progress?.status, 'completed');
  });

  it('pause holds (no byte reaches the server) and resume goes on from the offset', async () => {
    newManager();
    const size = 2 * 1024 * KIB;
    const task = uploadFiles([file(size, 'pause.bin')], {
      manager,
      tus: transfer({maxBytesPerSecondPerFile: 512 * KIB}),
    });
    await until(() => (upload('pause.bin')?.received ?? 0) > size / 4);
    assert.equal(task.pause(), true);
    assert.equal(uploadAction(task.keys[0]!), 'resume');
    assert.equal(manager.getSnapshot().uploads.get(task.keys[0]!)?.paused, true);
    // What was on the wire when it paused may still land; then nothing more.
    let last = -1;
    await until(() => {
      const now = upload('pause.bin')!.received;
      const still = now === last;
      last = now;
      return still;
    });
    const atPause = upload('pause.bin')!.received;
    await new Promise((resolve) => setTimeout(resolve, 800));
    const afterPause = upload('pause.bin')!.received;
    assert.equal(task.resume(), true);
    assert.equal(afterPause, atPause, 'bytes moved while paused');
    assert.ok(atPause < size, 'paused before the end');

    await task;
    const seen = upload('pause.bin')!;
    assert.ok(seen.received / size <= 1.1, `received ${seen.received} for ${size}`);
    assert.equal((await settled()).completed, 1);
  });

  it('a throttle of N bytes/s holds within 20 % over the server clock, and changes while uploading', async () => {
    newManager();
    const size = 3 * 1024 * KIB;
    const tus = transfer({maxBytesPerSecond: 512 * KIB});
    const task = uploadFiles([file(size, 'throttle.bin')], {manager, tus});
    await until(() => (upload('throttle.bin')?.received ?? 0) > 64 * KIB);
    const N = 192 * KIB;
    tus.throttle(N);
    let rate: number;
    try {
      // Past the change: what the old rate let through is done.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const a = server.stats().tus;
      await new Promise((resolve) => setTimeout(resolve, 4000));
      const b = server.stats().tus;
      rate = (b.received - a.received) / ((b.now - a.now) / 1000);
    } finally {
      tus.throttle(null);
      await task;
    }
    assert.ok(Math.abs(rate - N) <= 0.2 * N, `measured ${Math.round(rate)} B/s for a cap of ${N}`);
    assert.ok(upload('throttle.bin')!.received / size <= 1.1);
  });

  it('cancel terminates the upload on the server', async () => {
    newManager();
    const controller = new AbortController();
    const task = uploadFiles([file(1024 * KIB, 'cancel.bin')], {
      manager,
      signal: controller.signal,
      tus: transfer({maxBytesPerSecondPerFile: 256 * KIB}),
    });
    await until(() => (upload('cancel.bin')?.received ?? 0) > 0);
    controller.abort();
    await assert.rejects(task, {kind: 'cancelled'});
    await until(() => upload('cancel.bin')!.terminated);
    const tusId = Object.entries(server.stats().tus.uploads).find(
      ([, u]) => u.filename === 'cancel.bin',
    )![0];
    const head = await fetch(`${server.url}/api/files/tus/${tusId}`, {
      method: 'HEAD',
      headers: {'Tus-Resumable': '1.0.0'},
    });
    assert.ok(head.status === 404 || head.status === 410, `HEAD answered ${head.status}`);
    const entry = (await settled()).uploads.get(task.keys[0]!);
    assert.equal(entry?.progress?.error, 'Cancelled');
  });

  it('a file that failed (retries spent) is retried from the server offset and completes', async () => {
    newManager();
    const size = 2 * 1024 * KIB;
    const task = uploadFiles([file(size, 'retry.bin')], {
      manager,
      tus: transfer({retry: {maxAttempts: 1}}),
      fields: {mock: JSON.stringify({cutAt: [0.5]})},
    });
    await assert.rejects(task, {kind: 'upload-network'});
    const key = task.keys[0]!;
    assert.equal(manager.getSnapshot().uploads.get(key)?.progress?.status, 'failed');
    assert.equal(uploadAction(key), 'retry');
    const before = manager.getSnapshot().overallPercentage;
    assert.equal(controlUpload(key, 'retry'), true);
    assert.equal(manager.getSnapshot().uploads.get(key)?.phase, 'transferring');
    assert.ok(manager.getSnapshot().overallPercentage >= before, 'the figure went back');
    const end = await settled();
    assert.equal(end.completed, 1);
    assert.equal(end.failed, 0);
    const seen = upload('retry.bin')!;
    assert.ok(seen.received / size <= 1.1, `received ${seen.received} for ${size}`);
  });
});
