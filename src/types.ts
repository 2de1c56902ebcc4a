/**
 * The status an upload reports, exactly as the server sends it.
 */
export type UploadStatus = 'uploading' | 'completed' | 'failed';

/**
 * One progress record, as the server streams it (`event: progress`, `data: <JSON>`).
 *
 * The SDK normalises what it receives: optional fields are present (as `null` when the
 * server left them out), byte counts are finite, non-negative integers, the percentage is
 * in `0..100`, and a `completed` record has `uploaded_bytes === total_bytes`.
 */
export interface UploadProgress {
  upload_id: string;
  filename: string;
  total_bytes: number;
  uploaded_bytes: number;
  status: UploadStatus;
  /** The reason of a `failed` upload: the server's message, or the SDK's when the transport failed. */
  error?: string | null;
  started_at?: string | null;
  completed_at?: string | null;
  /** 0..100 */
  progress_percentage: number;
}

/**
 * Where a stream's connection stands.
 *
 * - `idle`: created, not started yet.
 * - `waiting`: queued for one of the per-origin connection slots (see `maxConnections`).
 * - `connecting`: request sent, no answer yet.
 * - `open`: the event stream is being read.
 * - `retrying`: the connection dropped or was refused for now; waiting out the backoff.
 * - `closed`: finished (a terminal record arrived or was synthesised) or `close()` was called.
 */
export type ConnectionState = 'idle' | 'waiting' | 'connecting' | 'open' | 'retrying' | 'closed';

/** Value-object form of {@link ConnectionState}, for code that prefers constants to strings. */
export const ConnectionState = {
  Idle: 'idle',
  Waiting: 'waiting',
  Connecting: 'connecting',
  Open: 'open',
  Retrying: 'retrying',
  Closed: 'closed',
} as const satisfies Record<string, ConnectionState>;

/** Headers, or a (sync or async) function asked for them before every connection attempt. */
export type HeadersOption = HeadersInit | (() => HeadersInit | Promise<HeadersInit>);

/**
 * Options shared by {@link UploadProgressStream} and {@link UploadProgressManager}.
 */
export interface ProgressOptions {
  /**
   * The progress endpoint: a template where `{upload_id}` is replaced by the encoded id, or
   * a function returning the URL.
   * @defaultValue `'/api/files/progress/{upload_id}'`
   */
  progressUrl?: string | ((uploadId: string) => string);
  /** The `fetch` to use: tests, Node, or a wrapper that adds auth. @defaultValue `globalThis.fetch` */
  fetch?: typeof fetch;
  /** Extra request headers; a function is asked again before every connection attempt. */
  headers?: HeadersOption;
  /** Passed to `fetch`. @defaultValue `'same-origin'` (fetch's own default) */
  credentials?: RequestCredentials;
  /** Aborting it closes the stream (or every stream of a manager). */
  signal?: AbortSignal;
  /**
   * Milliseconds without a single byte (not even a `: ping` comment) after which the
   * connection is treated as broken and reopened. `0` turns the check off.
   * @defaultValue `45000`
   */
  idleTimeout?: number;
  /**
   * Milliseconds a request may wait for the server's answer (its headers). Long, since a
   * request queued in the browser waits here too; silence is only counted (`idleTimeout`)
   * once the server has answered. `0` turns it off.
   * @defaultValue `120000`
   */
  connectTimeout?: number;
  /** Reconnection policy. */
  retry?: RetryOptions;
  /**
   * The most characters one event may buffer before the connection is treated as broken
   * (a server that never ends a line must not grow memory without limit).
   * @defaultValue `1_048_576`
   */
  maxEventSize?: number;
  /**
   * Connection slots per origin this stream or manager may use, counted together with
   * every other stream of every tab of the browser profile (of the page, where Web Locks
   * are missing). An explicit value always wins over the default.
   * @defaultValue `4`; `16` when the progress URL is the page's own origin and the page
   * came over HTTP/2 or HTTP/3
   */
  maxConnections?: number;
}

/**
 * Reconnection policy: capped exponential backoff with jitter. One place decides; see
 * `retry-policy.ts`.
 */
export interface RetryOptions {
  /** Delay before the first reconnection; a server's `retry:` field replaces it. @defaultValue `1000` */
  initialDelay?: number;
  /** Upper bound of the exponential delay, before jitter adds up to half again. @defaultValue `30000` */
  maxDelay?: number;
  /** Growth per consecutive failure. @defaultValue `2` */
  factor?: number;
  /**
   * Attempts in a row that bring no record, after which the upload ends `failed` ("lost
   * contact with the server"). Any valid record resets the count.
   * @defaultValue `8`
   */
  maxAttempts?: number;
  /**
   * Longest delay a server may ask for (`Retry-After`, `retry:`); longer ones are shortened
   * to it. Shorter than 1 s is lengthened to 1 s.
   * @defaultValue `120000`
   */
  maxRetryAfter?: number;
}

/**
 * Where an upload stands, across both halves of its life:
 *
 * - `transferring`: this page is sending the file (`uploadFiles()`); the server has no id for
 *   it yet, so the entry is listed under a local key.
 * - `processing`: the server has the file and its progress stream reports on it.
 * - `done`: completed or failed (see `progress.status`).
 */
export type UploadPhase = 'transferring' | 'processing' | 'done';

/**
 * What the manager knows of one tracked upload, including uploads whose first record has
 * not arrived yet.
 */
export interface UploadEntry {
  /**
   * The server's id; while the file is still being sent (phase `transferring`, or failed
   * then), the local key that {@link UploadProgressManager.trackTransfers} gave it.
   */
  uploadId: string;
  /** The last record received (or the terminal one synthesised on a transport failure). */
  progress: UploadProgress | null;
  /** From the progress record, else the name given to `track()`. */
  filename: string | null;
  /** From the progress record, else the size given to `track()`. */
  totalBytes: number | null;
  /** The connection's state; `closed` once settled (`idle` while the file is being sent). */
  connection: ConnectionState;
  /** Where the upload stands. Always set by `UploadProgressManager`. */
  phase?: UploadPhase;
  /**
   * Bytes of the file this page has sent: uploads started with `uploadFiles()`. `null` for
   * uploads tracked by id, which were sent before the manager heard of them.
   */
  transferredBytes?: number | null;
  /**
   * This upload's own progress, 0..100, by the same rule as the overall figure: for a file
   * this page sent, sending counts for `transferShare` of it (one half by default) and the
   * server's processing for the rest; for an upload tracked by id, the server's percentage.
   * It never goes back. Always set by `UploadProgressManager`.
   */
  percentage?: number;
  /**
   * `true` while the page holds this file's transfer paused (a resumable upload, see
   * `uploadFiles()`'s `tus` option); absent otherwise.
   */
  paused?: boolean;
}

/**
 * One file the page is sending, as a manager tracks it before the server has an id for it
 * (see `UploadProgressManager.trackTransfers`). `uploadFiles()` drives these; call them
 * yourself only to report a transfer of your own making.
 */
export interface TransferHandle {
  /** Its key in the snapshot while it is sent; after `attach()`, an alias of the server's id. */
  readonly key: string;
  /** Bytes of the file sent so far; figures lower than the last one are ignored. */
  progress(sentBytes: number): void;
  /** The server's id for the file: the transfer is done, and its progress stream takes over. */
  attach(uploadId: string): void;
  /** The transfer failed or was cancelled: the upload ends `failed` with this reason. */
  fail(reason: string): void;
  /**
   * Shows the transfer paused (`true`) or moving again (`false`): `entry.paused`. Only while
   * the file is being sent.
   */
  setPaused?(paused: boolean): void;
  /**
   * A failed transfer is being sent again: the entry goes back to `transferring` (keeping the
   * bytes it reached, so no figure goes back).
   * @returns whether it applied (`false` once attached, completed or untracked)
   */
  restart?(): boolean;
}

/** A file about to be sent, for {@link UploadProgressManager.trackTransfers}. */
export interface TransferredFile {
  filename: string;
  total_bytes: number;
}

/**
 * Everything a UI needs about a set of uploads, rebuilt only when read after a change.
 * The same object is returned until something changes, so it can be compared by identity.
 */
export interface UploadProgressSnapshot {
  /** Uploads whose first record has arrived, in the order they were tracked. */
  progressMap: ReadonlyMap<string, UploadProgress>;
  /** Every tracked upload, in the order it was tracked, including those still waiting. */
  uploads: ReadonlyMap<string, UploadEntry>;
  /**
   * Uploaded bytes over total bytes of every tracked upload, 0..100, never NaN; exactly 100
   * only when {@link allCompleted}. Uploads without a known size count as not started,
   * sized as given to `track()`, else as the mean of the known sizes. For files sent with
   * `uploadFiles()`, a byte counts `transferShare` (one half by default) once sent and the
   * rest once the server processed it (see {@link uploadedBytes}).
   */
  overallPercentage: number;
  /** Every tracked upload completed successfully (false when nothing is tracked). */
  allCompleted: boolean;
  /** Every tracked upload completed or failed (false when nothing is tracked). */
  allSettled: boolean;
  /** Number of tracked uploads. */
  total: number;
  /** Uploads whose first record has not arrived yet (files still being sent included). */
  pending: number;
  uploading: number;
  completed: number;
  failed: number;
  /** Uploads queued for a connection slot. */
  waiting: number;
  /**
   * Sum of the uploaded bytes (failed uploads with the bytes they reached). A file sent with
   * `uploadFiles()` counts `share × sent + (1 − share) × processed`, where `share` is the
   * manager's `transferShare`; an upload tracked by id counts the server's bytes.
   */
  uploadedBytes: number;
  /** Sum of the sizes, with the estimates used by {@link overallPercentage}. */
  totalBytes: number;
  /**
   * Smoothed bytes moved per second (bytes this page sent plus bytes the server processed);
   * `null` until there is enough to say.
   */
  bytesPerSecond: number | null;
  /**
   * Seconds until the bytes still to send and to process are done at that speed; `null` when
   * unknown: before there is a speed, and while some uploads wait their turn to be followed
   * (`waiting`: what is left of them is not known until then).
   */
  etaSeconds: number | null;
}

/** An upload given to {@link UploadProgressManager.track}: an id, or an id with what is known. */
export type TrackedUpload =
  string | {upload_id: string; filename?: string | undefined; total_bytes?: number | undefined};
