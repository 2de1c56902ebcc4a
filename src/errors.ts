/**
 * What went wrong, as one of a closed set of kinds.
 *
 * Final (the upload ends `failed`): `unauthorized`, `forbidden`, `not-found`, `no-content`,
 * `not-event-stream`, `http-status`, `retries-exhausted`, `invalid-options`, `invalid-id` (an
 * empty or dot-segment id: no request is made), `redirected` (the progress URL redirected:
 * not followed, so headers and cookies never go elsewhere).
 * Transient (the stream reconnects with backoff): `network`, `server-error`, `rate-limited`,
 * `stream-ended`, `idle-timeout`, `connect-timeout`, `event-too-large`.
 * Reported while the stream goes on: `malformed-event`, `foreign-event`.
 *
 * Sending files (`uploadFiles()`; final, the files end `failed`): `cancelled` (the signal was
 * aborted before the server took the files), `upload-network` (no answer: network error,
 * timeout, CORS, or the `headers` option failing), `upload-rejected` (a non-2xx answer;
 * `status` is set and the message carries the server's `detail`), `upload-invalid-answer`
 * (a 2xx answer without usable `upload_ids`, or not one id per file).
 */
export type UploadProgressErrorKind =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'no-content'
  | 'not-event-stream'
  | 'http-status'
  | 'retries-exhausted'
  | 'invalid-options'
  | 'invalid-id'
  | 'redirected'
  | 'network'
  | 'server-error'
  | 'rate-limited'
  | 'stream-ended'
  | 'idle-timeout'
  | 'connect-timeout'
  | 'event-too-large'
  | 'malformed-event'
  | 'foreign-event'
  | 'cancelled'
  | 'upload-network'
  | 'upload-rejected'
  | 'upload-invalid-answer';

const TRANSIENT: ReadonlySet<UploadProgressErrorKind> = new Set([
  'network',
  'server-error',
  'rate-limited',
  'stream-ended',
  'idle-timeout',
  'connect-timeout',
  'event-too-large',
]);

const REPORTED_ONLY: ReadonlySet<UploadProgressErrorKind> = new Set([
  'malformed-event',
  'foreign-event',
]);

/** Context carried by every {@link UploadProgressError}. */
export interface UploadProgressErrorDetails {
  /** The upload the error belongs to; empty for errors of an upload request (no id yet). */
  uploadId: string;
  /** The HTTP status of the answer, when there was one. */
  status?: number | undefined;
  /** The connection attempt (1-based) the error belongs to. */
  attempt?: number | undefined;
  /** Milliseconds the server asked to wait (`Retry-After`), when it did. */
  retryAfter?: number | undefined;
  /** The raw data of a malformed event (at most 200 characters). */
  data?: string | undefined;
  cause?: unknown;
}

/**
 * The one error class of the SDK. `kind` says what happened; `message` says what to do.
 *
 * @example
 * stream.addEventListener('error', (event) => {
 *   const {error} = event.detail;
 *   if (error.kind === 'unauthorized') redirectToLogin();
 * });
 */
export class UploadProgressError extends Error {
  override readonly name = 'UploadProgressError';
  readonly kind: UploadProgressErrorKind;
  readonly uploadId: string;
  readonly status: number | undefined;
  readonly attempt: number | undefined;
  readonly retryAfter: number | undefined;
  readonly data: string | undefined;

  constructor(kind: UploadProgressErrorKind, message: string, details: UploadProgressErrorDetails) {
    super(message, details.cause === undefined ? undefined : {cause: details.cause});
    this.kind = kind;
    ({
      uploadId: this.uploadId,
      status: this.status,
      attempt: this.attempt,
      retryAfter: this.retryAfter,
      data: this.data,
    } = details);
  }

  /** The stream reconnects after this error (with backoff). */
  get transient(): boolean {
    return TRANSIENT.has(this.kind);
  }

  /** The upload ends `failed` because of this error. */
  get final(): boolean {
    return !TRANSIENT.has(this.kind) && !REPORTED_ONLY.has(this.kind);
  }
}

/**
 * A value as a developer-facing message shows it: its JSON, else its type. Never throws (a
 * BigInt, a cycle), so a bad input gets the message meant for it.
 */
export function shown(value: unknown): string {
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}
