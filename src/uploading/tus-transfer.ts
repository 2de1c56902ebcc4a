// Resumable transfers over tus 1.0 (https://tus.io/protocols/resumable-upload), with
// tus-js-client doing the protocol: creation, PATCH chunks, HEAD for the offset after a cut,
// termination. This module adds what the SDK needs around it: a throttled source of slices,
// pause and resume, retry delays from the reconnection policy, and the processing id the
// server names when the last byte lands. It imports nothing of tus-js-client: the caller
// hands the `Upload` class in, so nothing here or there reaches a bundle that does not use it.
import {reconnectDelay, resolveRetryOptions} from '../transport/retry-policy.js';
import type {RetryOptions} from '../types.js';
import type {ResumableFailure, ResumableJob, ResumableRun, ResumableTransfer} from './resumable.js';

/** The response header that names the processing id once the server has every byte. */
export const PROCESSING_ID_HEADER = 'Upload-Progress-Id';

/** The default tus endpoint, beside the seed's upload URL. */
export const DEFAULT_TUS_ENDPOINT = '/api/files/tus/';

/** What the SDK uses of tus-js-client's `Upload` (4.x); `import {Upload} from 'tus-js-client'`. */
export interface TusUploadClass {
  new (file: never, options: never): TusUpload;
}

/** An instance of tus-js-client's `Upload`, as far as the SDK uses it. */
export interface TusUpload {
  url: string | null;
  start(): void;
  abort(terminate?: boolean): Promise<void>;
  findPreviousUploads(): Promise<TusPreviousUpload[]>;
  resumeFromPreviousUpload(previous: TusPreviousUpload): void;
}

/** One upload tus-js-client remembers for a fingerprint (in `localStorage` in browsers). */
export interface TusPreviousUpload {
  uploadUrl: string | null;
  creationTime: string;
}

interface TusRequest {
  setHeader(name: string, value: string): void;
  getUnderlyingObject(): unknown;
}

interface TusResponse {
  getStatus(): number;
  getHeader(name: string): string | undefined | null;
  getBody(): string;
}

interface TusError extends Error {
  originalResponse?: TusResponse | null;
  causingError?: Error | null;
}

/** Options of {@link tusTransfer}. */
export interface TusTransferOptions {
  /** tus-js-client's `Upload` class (the script-tag file passes its own). */
  Upload: TusUploadClass;
  /** The tus creation endpoint. @defaultValue `'/api/files/tus/'` */
  endpoint?: string;
  /**
   * Largest PATCH body in bytes. Smaller chunks cost requests; a cut loses nothing either way
   * (the server keeps what it received), so the default sends the file in one request unless
   * a throttle asks for smaller slices.
   * @defaultValue `Infinity`
   */
  chunkSize?: number;
  /**
   * Retry delays per failed request, from the reconnection policy (floor `initialDelay`, cap
   * `maxDelay`, `maxAttempts` tries in a row without progress).
   */
  retry?: RetryOptions;
  /** A cap in bytes per second for every file sent through this transfer together. */
  maxBytesPerSecond?: number | null;
  /** A cap in bytes per second for each file. */
  maxBytesPerSecondPerFile?: number | null;
}

/** A throttled slice leaves once this much time's worth of bytes is available. */
const SLICE_MS = 250;
/** Unused allowance kept at most this long: a slow request is made up by the next slice. */
const BURST_MS = 1000;
const MIN_SLICE = 4096;
/** How often a throttled wait looks again (a rate changed while waiting takes effect then). */
const MAX_WAIT_MS = 100;

/**
 * A token bucket, kept as the time at which its allowance is zero (`#free`): a slice takes
 * what has built up since (at least a quarter of a second's worth, at most a second's), and
 * may leave it in debt. A request slowed by a busy network or server leaves allowance for the
 * next slice, which is larger, so over a few seconds the bytes sent follow `rate × time`
 * within about one request's worth, whatever each request costs.
 */
class Bucket {
  rate: number | null = null;
  /** In ms of `performance.now()`: the future while in debt, at most `BURST_MS` past. */
  #free = 0;

  constructor(rate: number | null | undefined) {
    this.set(rate ?? null);
  }

  set(rate: number | null): void {
    if (rate !== null && !(rate > 0 && Number.isFinite(rate))) {
      throw new RangeError(
        `A throttle must be a finite number of bytes per second > 0 or null, got ${rate}.`,
      );
    }
    const now = performance.now();
    // A debt is in bytes: at a new rate it takes a new time to pay.
    if (this.rate && rate && this.#free > now) {
      this.#free = now + ((this.#free - now) * this.rate) / rate;
    }
    // A new cap starts from a slice's worth, not from a second saved up at no cap.
    if (rate && !this.rate) this.#free = now - SLICE_MS;
    this.rate = rate;
  }

  #zero(now: number): number {
    return Math.max(this.#free, now - BURST_MS);
  }

  wait(now: number): number {
    return this.rate ? Math.max(0, this.#zero(now) + SLICE_MS - now) : 0;
  }

  /** Bytes that may leave now (after `wait` said 0). */
  slice(now: number): number {
    if (!this.rate) return Infinity;
    return Math.max(MIN_SLICE, Math.floor(((now - this.#zero(now)) / 1000) * this.rate));
  }

  /** The largest slice at the current rate. */
  max(): number {
    return this.rate ? Math.max(MIN_SLICE, (this.rate * BURST_MS) / 1000) : Infinity;
  }

  charge(bytes: number, now: number): void {
    if (this.rate) this.#free = this.#zero(now) + (bytes / this.rate) * 1000;
  }
}

/**
 * A resumable transfer over tus 1.0 for `uploadFiles(files, {tus: tusTransfer({Upload})})`,
 * with tus-js-client (an optional peer dependency: install it beside this package) as the
 * client. Each file is created at `endpoint` with its name, type and the `path`/`fields`
 * options as tus metadata, then sent in PATCH requests; a dropped connection retries with
 * the reconnection policy's delays and goes on from the server's offset, so no byte the
 * server has is sent again. The server names the processing id in an `Upload-Progress-Id`
 * header on the response that completes the upload (docs/uploading.md, "The tus protocol").
 *
 * @example
 * import {Upload} from 'tus-js-client';
 * const tus = tusTransfer({Upload, endpoint: '/api/files/tus/'});
 * const task = uploadFiles(input.files, {tus});
 * pauseButton.onclick = () => task.pause();
 * tus.throttle(512 * 1024); // every file together, 512 KiB/s
 */
export function tusTransfer(options: TusTransferOptions): ResumableTransfer {
  const {Upload, endpoint = DEFAULT_TUS_ENDPOINT, chunkSize = Infinity} = options;
  if (typeof Upload !== 'function') {
    throw new TypeError(
      "tusTransfer() needs tus-js-client's Upload class: import {Upload} from 'tus-js-client' and pass {Upload}.",
    );
  }
  if (!(chunkSize > 0)) throw new RangeError(`chunkSize must be > 0, got ${chunkSize}.`);
  const policy = resolveRetryOptions(options.retry);
  const all = new Bucket(options.maxBytesPerSecond);
  /** Per file on its way: applies a new rate to the slice in flight. */
  const sending = new Set<() => void>();
  const fingerprint = (file: Blob) =>
    [
      'upload-progress',
      (file as File).name ?? '',
      file.type,
      file.size,
      (file as File).lastModified ?? '',
      endpoint,
    ].join('-');

  return {
    fingerprint,
    throttle: (rate) => {
      all.set(rate);
      for (const recheck of sending) recheck();
    },
    send: (file, job) => sendOne(file, job),
  };

  function sendOne(file: Blob, job: ResumableJob): ResumableRun {
    const own = new Bucket(options.maxBytesPerSecondPerFile);
    const print = fingerprint(file);
    // Node's tus-js-client sends bytes, not Blobs.
    const asBytes = typeof XMLHttpRequest !== 'function';
    /** Grows at every (re)start: slices of a stopped generation never settle (see `slice`). */
    let generation = 0;
    let stopped = false;
    let inFlight = 0;
    let done = false;

    const never = new Promise<never>(() => undefined);
    const source = {
      size: file.size,
      async slice(start: number, end: number) {
        const mine = generation;
        for (;;) {
          // A stopped generation's slice must not settle: tus-js-client would take a
          // rejection after a restart for a failure of the new attempt and retry it twice.
          if (mine !== generation || stopped) return never;
          const now = performance.now();
          const wait = Math.max(all.wait(now), own.wait(now));
          if (wait === 0) break;
          await new Promise((resolve) => setTimeout(resolve, Math.min(wait, MAX_WAIT_MS)));
        }
        const now = performance.now();
        const last = Math.min(end, file.size);
        const bytes = Math.max(0, Math.min(last - start, all.slice(now), own.slice(now)));
        all.charge(bytes, now);
        own.charge(bytes, now);
        inFlight = bytes;
        const blob = file.slice(start, start + bytes);
        // tus-js-client reads a slice's length from `size`, which bytes lack.
        const value = asBytes
          ? Object.assign(new Uint8Array(await blob.arrayBuffer()), {size: bytes})
          : blob;
        return {value, done: start + bytes >= file.size};
      },
      close: () => undefined,
    };

    const retryDelays = Array.from({length: policy.maxAttempts - 1}, (_, i) =>
      reconnectDelay(i + 1, policy, undefined, undefined, Math.random()),
    );
    const metadata = {...job.metadata, filename: job.filename, filetype: file.type};
    const upload = new Upload(
      file as never,
      {
        endpoint,
        metadata,
        chunkSize,
        retryDelays,
        fingerprint: async () => print,
        removeFingerprintOnSuccess: true,
        fileReader: {openFile: async () => source},
        onProgress: (sent: number) => job.handle.progress(sent),
        onBeforeRequest: async (request: TusRequest) => {
          const option = job.headers;
          const headers = new Headers(typeof option === 'function' ? await option() : option);
          headers.forEach((value, name) => request.setHeader(name, value));
          const xhr = request.getUnderlyingObject();
          if (job.withCredentials && xhr instanceof Object && 'withCredentials' in xhr) {
            (xhr as XMLHttpRequest).withCredentials = true;
          }
        },
        onSuccess: ({lastResponse}: {lastResponse: TusResponse}) => {
          done = true;
          sending.delete(recheck);
          const id = lastResponse.getHeader(PROCESSING_ID_HEADER);
          if (id) {
            job.handle.attach(id);
            end(id);
          } else {
            end(null, {
              kind: 'upload-invalid-answer',
              message: `The server has every byte of the file but did not name its processing id (an ${PROCESSING_ID_HEADER} header; a server of another origin must also expose it), so its progress cannot be followed.`,
              status: lastResponse.getStatus(),
            });
          }
        },
        onError: (error: TusError) => end(null, failureOf(error)),
      } as never,
    );

    const {signal, handle} = job;
    /** An attempt ended: stop listening for a cancel until a retry. */
    const end = (id: string | null, why?: ResumableFailure | 'cancelled') => {
      signal?.removeEventListener('abort', cancel);
      job.onEnd(id, why);
    };
    const cancel = () => {
      sending.delete(recheck);
      stopped = true;
      generation++;
      void upload.abort(true).catch(() => undefined);
      end(null, 'cancelled');
    };
    const listen = () => signal?.addEventListener('abort', cancel, {once: true});
    const start = () => {
      stopped = false;
      generation++;
      upload.start();
    };
    const stop = () => {
      stopped = true;
      generation++;
      void upload.abort();
    };
    if (signal?.aborted) {
      stopped = true;
      queueMicrotask(() => end(null, 'cancelled'));
    } else listen();
    // A file sent before (this tab, or a tab closed since) goes on where the server is.
    void upload
      .findPreviousUploads()
      .then((previous) => {
        const newest = previous
          .filter((p) => p.uploadUrl)
          .sort((a, b) => Date.parse(b.creationTime) - Date.parse(a.creationTime))[0];
        if (newest) upload.resumeFromPreviousUpload(newest);
      })
      .catch(() => undefined)
      .then(() => {
        if (!stopped) start();
      });

    const restart = () => {
      if (done) return;
      stop();
      // After the aborted request's own failure (Node reports it on a later tick), or
      // tus-js-client would retry that failure beside the new attempt.
      setTimeout(start, 0);
    };
    // A slice already on its way at the old rate would hold the new one off until it ends.
    const recheck = () => {
      if (!stopped && inFlight > Math.min(all.max(), own.max())) restart();
    };
    sending.add(recheck);
    return {
      pause: () => {
        if (done) return;
        stop();
        handle.setPaused?.(true);
      },
      resume: () => {
        if (done || !stopped) return;
        handle.setPaused?.(false);
        restart();
      },
      retry: () => {
        if (done) return;
        listen();
        restart();
      },
      throttle: (rate) => {
        own.set(rate);
        recheck();
      },
    };
  }
}

function failureOf(error: TusError): ResumableFailure {
  const response = error.originalResponse;
  const status = response?.getStatus() ?? 0;
  if (status >= 400) {
    const detail = (response?.getBody() ?? '').trim().slice(0, 200);
    return {
      kind: 'upload-rejected',
      message: `The server refused the upload (HTTP ${status})${detail && !detail.startsWith('<') ? `: ${detail}` : '.'}`,
      status,
      cause: error,
    };
  }
  return {
    kind: 'upload-network',
    message:
      'The upload did not reach the server after several tries (network error, or a cross-origin server that does not allow it); it resumes from where the server is when retried.',
    cause: error,
  };
}
