import {expect} from '@esm-bundle/chai';
import {
  ConnectionBudget,
  UploadProgressManager,
  resumeUploads,
  controlUpload,
  uploadAction,
  uploadFiles as upload,
  type ResumableTransfer,
  type UploadProgressSnapshot,
  type UploadStorage,
  type UploadTask,
} from '../src/index.js';
import type {TusTransferOptions} from '../src/tus.js';
import type {TusStats, TusUploadStats} from './mock-server/server.d.mts';

// Resumable uploads in headless Chromium through the built script-tag file
// (dist/upload-progress.tus.min.js: tus-js-client + tusTransfer, as a plain page loads it),
// against the mock backend's @tus/server, same-origin through the test server's /api/ proxy.
// Bytes are counted at the server (GET /__mock-server → stats.tus), so "each byte once",
// "nothing moved while paused" and "N bytes/s" are the server's figures.

type TusTransfer = ResumableTransfer & {throttle(rate: number | null): void};
let makeTransfer: (options?: Partial<TusTransferOptions>) => TusTransfer;

const KIB = 1024;
const retry = {initialDelay: 50, maxDelay: 200};

/** Bytes that differ from one another, so a resent or skipped range would not go unseen. */
function file(size: number, name: string): File {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + name.length) & 0xff;
  return new File([bytes], name, {
    type: 'application/octet-stream',
    lastModified: 1_700_000_000_000,
  });
}

/** A unique name per test run: tus-js-client remembers uploads in localStorage by file. */
const run = Math.random().toString(36).slice(2, 8);
const named = (name: string) => `${run}-${name}`;

const tusStats = async (): Promise<TusStats> =>
  ((await (await fetch('/__mock-server')).json()) as {stats: {tus: TusStats}}).stats.tus;
const seen = async (name: string): Promise<TusUploadStats | undefined> =>
  Object.values((await tusStats()).uploads).find((u) => u.filename === name);

/** Polls the server's counters until `check` holds (the test's timeout bounds it). */
async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 25));
}
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every task of the current test: none may outlive it, paused or crawling. */
let tasks: UploadTask[] = [];
const uploadFiles: typeof upload = (files, options) => {
  const task = upload(files, options);
  if (options?.confirmLeave !== false) tasks.push(task);
  return task;
};

const manager = () =>
  new UploadProgressManager({connectionBudget: new ConnectionBudget(), random: () => 0});

function settled(m: UploadProgressManager): Promise<UploadProgressSnapshot> {
  return new Promise((resolve) => {
    const stop = m.subscribe((snapshot) => {
      if (!snapshot.allSettled) return;
      queueMicrotask(() => stop());
      resolve(snapshot);
    });
  });
}

/** Waits until the server's count for `name` stops moving (what was on the wire landed). */
async function quiet(name: string): Promise<number> {
  let last = -1;
  for (;;) {
    const now = (await seen(name))!.received;
    if (now === last) return now;
    last = now;
    await pause(150);
  }
}

describe('resumable uploads over tus (Chromium, script-tag file, mock @tus/server)', function () {
  this.timeout(30_000);

  afterEach(async () => {
    // A test that failed half-way must not leave a file crawling or paused: the page would
    // ask before the runner leaves it (beforeunload), and the next test would see it.
    for (const task of tasks) {
      task.throttle(null);
      task.resume();
      await task.catch(() => undefined);
    }
    tasks = [];
  });

  before(async () => {
    await import('/dist/upload-progress.tus.min.js' as string);
    const page = globalThis as unknown as {
      UploadProgress: {tusTransfer: (o?: Partial<TusTransferOptions>) => TusTransfer};
    };
    makeTransfer = (options = {}) => page.UploadProgress.tusTransfer({retry, ...options});
  });

  it('a connection cut at ~60 % resumes from the offset: the server gets each byte about once', async () => {
    const m = manager();
    const name = named('cut.bin');
    const size = 4 * 1024 * KIB;
    const task = uploadFiles([file(size, name)], {
      manager: m,
      tus: makeTransfer(),
      fields: {mock: JSON.stringify({cutAt: [0.6], stepMs: 10, steps: 3})},
    });
    const [id] = await task;
    const server = (await seen(name))!;
    expect(server.cuts).to.equal(1);
    expect(server.patches).to.be.at.least(2);
    expect(server.processingId).to.equal(id);
    expect(server.received / size).to.be.at.most(1.1);
    const end = await settled(m);
    expect(end.uploads.get(task.keys[0]!)?.progress?.status).to.equal('completed');
    expect(end.overallPercentage).to.equal(100);
  });

  it('pause holds (no byte reaches the server) and resume goes on from the offset', async () => {
    const m = manager();
    const name = named('pause.bin');
    const size = 2 * 1024 * KIB;
    const figures: number[] = [];
    m.subscribe((s) => figures.push(s.overallPercentage));
    const task = uploadFiles([file(size, name)], {
      manager: m,
      tus: makeTransfer({maxBytesPerSecondPerFile: 512 * KIB}),
    });
    await until(async () => ((await seen(name))?.received ?? 0) > size / 4);
    expect(task.pause()).to.equal(true);
    expect(m.getSnapshot().uploads.get(task.keys[0]!)?.paused).to.equal(true);
    expect(uploadAction(task.keys[0]!)).to.equal('resume');
    const atPause = await quiet(name);
    await pause(1000);
    const afterPause = (await seen(name))!.received;
    expect(task.resume()).to.equal(true);
    expect(afterPause, 'bytes moved while paused').to.equal(atPause);
    expect(atPause).to.be.below(size);

    expect(m.getSnapshot().uploads.get(task.keys[0]!)?.paused).to.equal(undefined);
    await task;
    expect((await seen(name))!.received / size).to.be.at.most(1.1);
    await settled(m);
    expect(figures.every((v, i) => i === 0 || v >= figures[i - 1]!)).to.equal(true);
  });

  it('a reload mid-transfer: resumeUploads() shows the file paused, and choosing it again goes on from the offset in its row', async () => {
    const name = named('reload.bin');
    const size = 2 * 1024 * KIB;
    const data = new Map<string, string>();
    const storage: UploadStorage = {
      getItem: (k) => data.get(k) ?? null,
      setItem: (k, v) => void data.set(k, v),
      removeItem: (k) => void data.delete(k),
    };
    const before = manager();
    const first = uploadFiles([file(size, name)], {
      manager: before,
      tus: makeTransfer({maxBytesPerSecondPerFile: 512 * KIB}),
      persist: {storage},
      // This page "goes away" below but lives on in the test: it must not ask when the runner leaves.
      confirmLeave: false,
    });
    first.catch(() => undefined);
    await until(async () => ((await seen(name))?.received ?? 0) > size / 3);
    // The page goes away: its requests stop where they are; the server keeps what it got.
    first.pause();
    const atReload = await quiet(name);
    expect(JSON.parse(data.get('upload-progress')!)[0]).to.have.property('resume');

    const after = manager();
    const keys = resumeUploads({storage, manager: after});
    expect(keys).to.have.length(1);
    const row = after.getSnapshot().uploads.get(keys[0]!)!;
    expect(row).to.deep.include({filename: name, phase: 'transferring', paused: true});

    const again = uploadFiles([file(size, name)], {
      manager: after,
      tus: makeTransfer(),
      persist: {storage},
    });
    expect(again.keys).to.deep.equal(keys);
    await again;
    const server = (await seen(name))!;
    expect(server.received / size).to.be.at.most(1.1);
    expect(server.received - atReload, 'only the rest was sent').to.be.at.most(
      size - atReload + 64 * KIB,
    );
    const end = await settled(after);
    expect(end.uploads.get(keys[0]!)?.progress?.status).to.equal('completed');
    expect(end.total).to.equal(1);
  });

  it('cancel terminates the upload on the server', async () => {
    const m = manager();
    const name = named('cancel.bin');
    const controller = new AbortController();
    const task = uploadFiles([file(1024 * KIB, name)], {
      manager: m,
      signal: controller.signal,
      tus: makeTransfer({maxBytesPerSecondPerFile: 256 * KIB}),
    });
    await until(async () => ((await seen(name))?.received ?? 0) > 0);
    controller.abort();
    let error: unknown;
    await task.catch((e: unknown) => (error = e));
    expect(error).to.have.property('kind', 'cancelled');
    await until(async () => !!(await seen(name))?.terminated);
    const id = Object.entries((await tusStats()).uploads).find(([, u]) => u.filename === name)![0];
    const head = await fetch(`/api/files/tus/${id}`, {
      method: 'HEAD',
      headers: {'Tus-Resumable': '1.0.0'},
    });
    expect([404, 410]).to.include(head.status);
    expect(m.getSnapshot().uploads.get(task.keys[0]!)?.progress?.error).to.equal('Cancelled');
  });

  it('a throttle of N bytes/s, changed while uploading, holds within 20 % over the server clock', async () => {
    const m = manager();
    const name = named('throttle.bin');
    const size = 3 * 1024 * KIB;
    const task = uploadFiles([file(size, name)], {
      manager: m,
      tus: makeTransfer(),
    });
    task.throttle(512 * KIB);
    await until(async () => ((await seen(name))?.received ?? 0) > 64 * KIB);
    const N = 192 * KIB;
    task.throttle(N);
    let rate: number;
    try {
      await pause(500);
      const a = await tusStats();
      await pause(4000);
      const b = await tusStats();
      rate = (b.received - a.received) / ((b.now - a.now) / 1000);
    } finally {
      // Whatever the figure, the file is not left crawling for the tests after this one.
      task.throttle(null);
      await task;
    }
    expect(Math.abs(rate - N), `measured ${Math.round(rate)} B/s for ${N}`).to.be.at.most(0.2 * N);
    expect((await seen(name))!.received / size).to.be.at.most(1.1);
  });

  it('a file whose retries were spent is retried by key from the server offset; every file ends in its true state', async () => {
    const m = manager();
    const ok = named('ok.bin');
    const flaky = named('flaky.bin');
    const broken = named('broken.bin');
    const size = 1024 * KIB;
    const task = uploadFiles([file(size, ok), file(size, flaky), file(size, broken)], {
      manager: m,
      concurrency: 3,
      tus: makeTransfer({retry: {maxAttempts: 1}}),
      fields: {mock: JSON.stringify({cutAt: [0.5], fail: [broken], steps: 3, stepMs: 10})},
    });
    let error: unknown;
    await task.catch((e: unknown) => (error = e));
    // A cut reaches the page as a network error, or as a 502 from the proxy in between (the
    // test server's, as nginx would answer): with no retries left, either ends the attempt.
    expect(['upload-network', 'upload-rejected']).to.include((error as {kind: string}).kind);
    const [okKey, flakyKey, brokenKey] = task.keys;
    // Every file was cut at half; with no retries each one failed there.
    for (const key of task.keys) expect(uploadAction(key)).to.equal('retry');
    for (const key of [okKey!, flakyKey!, brokenKey!])
      expect(controlUpload(key, 'retry')).to.equal(true);
    expect(controlUpload(okKey!, 'retry')).to.equal(false);
    const end = await settled(m);
    const status = (key: string) => end.uploads.get(key)?.progress;
    expect(status(okKey!)?.status).to.equal('completed');
    expect(status(flakyKey!)?.status).to.equal('completed');
    // Sent in full, then failed by the server's processing, with its reason.
    expect(status(brokenKey!)).to.deep.include({status: 'failed'});
    expect(status(brokenKey!)?.error).to.match(/corrupted/);
    for (const name of [ok, flaky, broken]) {
      expect((await seen(name))!.received / size, name).to.be.at.most(1.1);
    }
  });

  it('leaving the page while bytes are still to send asks first; once sent, it does not', async () => {
    const m = manager();
    const leaving = () => {
      const event = new Event('beforeunload', {cancelable: true});
      dispatchEvent(event);
      return event.defaultPrevented;
    };
    expect(leaving()).to.equal(false);
    const task = uploadFiles([file(512 * KIB, named('leave.bin'))], {
      manager: m,
      tus: makeTransfer({maxBytesPerSecondPerFile: 256 * KIB}),
    });
    expect(leaving()).to.equal(true);
    await task;
    expect(leaving()).to.equal(false);
    const quietTask = uploadFiles([file(1000, named('quiet.bin'))], {
      manager: m,
      tus: makeTransfer(),
      confirmLeave: false,
    });
    expect(leaving()).to.equal(false);
    await quietTask;
  });
});
