import {clip} from '../transport/classify-response.js';
import type {UploadProgress, UploadStatus} from '../types.js';

/** Longest filename or error text kept; longer ones are cut with an ellipsis. */
export const MAX_TEXT = 4096;

/** Longest `started_at`/`completed_at` kept (an ISO 8601 time with offset is ~32). */
export const MAX_DATE = 64;

/** What {@link parseProgress} makes of one event's data. */
export type ParsedProgress =
  {ok: true; record: IncomingProgress} | {ok: false; foreign: boolean; reason: string};

/** A validated record; fields the server left out are `undefined`. */
export interface IncomingProgress {
  status: UploadStatus;
  filename: string | undefined;
  total_bytes: number | undefined;
  uploaded_bytes: number | undefined;
  progress_percentage: number | undefined;
  error: string | null | undefined;
  started_at: string | null | undefined;
  completed_at: string | null | undefined;
}

const STATUSES: ReadonlySet<string> = new Set(['uploading', 'completed', 'failed']);

/**
 * Parses and validates one event's data. Malformed JSON, a missing or unknown `status`, or
 * a record for another upload are rejected (the caller reports them and reads on); numbers
 * that are absurd are clamped, fields of the wrong type are treated as absent, and every text
 * is clipped: filename and error to {@link MAX_TEXT} characters, dates to {@link MAX_DATE}.
 */
export function parseProgress(data: string, uploadId: string): ParsedProgress {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return {ok: false, foreign: false, reason: 'the data is not valid JSON'};
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return {ok: false, foreign: false, reason: 'the data is not a JSON object'};
  }
  const r = raw as Record<string, unknown>;
  // `!= null`: neither undefined nor null (a record without an id is this upload's).
  if (r.upload_id != null && r.upload_id !== uploadId) {
    return {
      ok: false,
      foreign: true,
      reason: `the record is for upload "${clip(String(r.upload_id))}"`,
    };
  }
  if (typeof r.status !== 'string' || !STATUSES.has(r.status)) {
    return {
      ok: false,
      foreign: false,
      reason: `unknown status ${clip(JSON.stringify(r.status) ?? 'undefined')}`,
    };
  }
  return {
    ok: true,
    record: {
      status: r.status as UploadStatus,
      filename: typeof r.filename === 'string' ? clip(r.filename, MAX_TEXT) : undefined,
      total_bytes: byteCount(r.total_bytes),
      uploaded_bytes: byteCount(r.uploaded_bytes),
      progress_percentage: percentage(r.progress_percentage),
      error: errorText(r.error),
      started_at: optionalDate(r.started_at),
      completed_at: optionalDate(r.completed_at),
    },
  };
}

/**
 * Folds an incoming record into the previous one so that progress never moves backwards
 * and nothing changes after a terminal record. Returns `previous` itself when nothing
 * changed, so identity tells listeners whether to re-render.
 */
export function mergeProgress(
  previous: UploadProgress | null,
  incoming: IncomingProgress,
  uploadId: string,
): UploadProgress {
  if (previous && previous.status !== 'uploading') return previous;

  const status = incoming.status;
  let total = incoming.total_bytes ?? previous?.total_bytes ?? 0;
  let uploaded = Math.max(incoming.uploaded_bytes ?? 0, previous?.uploaded_bytes ?? 0);
  if (uploaded > total) {
    // A record claiming more bytes than the file has: trust the larger figure as the size
    // only if the server never told us the size; otherwise cap at the size.
    if (incoming.total_bytes === undefined && !previous?.total_bytes) total = uploaded;
    else uploaded = total;
  }
  let pct: number;
  if (status === 'completed') {
    uploaded = total;
    pct = 100;
  } else {
    const derived = total > 0 ? (uploaded / total) * 100 : 0;
    pct = Math.max(incoming.progress_percentage ?? derived, previous?.progress_percentage ?? 0);
  }

  let error = incoming.error ?? null;
  if (status === 'failed' && !error) {
    error = 'The server reported the upload as failed without giving a reason.';
  }
  const next: UploadProgress = {
    upload_id: uploadId,
    filename: same(incoming.filename || previous?.filename || '', previous?.filename),
    total_bytes: total,
    uploaded_bytes: uploaded,
    status,
    error: status === 'uploading' ? null : error,
    started_at: same(incoming.started_at ?? previous?.started_at ?? null, previous?.started_at),
    completed_at: incoming.completed_at ?? previous?.completed_at ?? null,
    progress_percentage: pct,
  };
  return previous && sameProgress(previous, next) ? previous : next;
}

/**
 * A terminal `failed` record for an upload whose transport failed for good: keeps what
 * was known (name, size, bytes reached) and says why.
 */
export function failedProgress(
  previous: UploadProgress | null,
  uploadId: string,
  reason: string,
  known?: {filename?: string | null | undefined; total_bytes?: number | null | undefined},
): UploadProgress {
  if (previous && previous.status !== 'uploading') return previous;
  return {
    upload_id: uploadId,
    filename: previous?.filename || known?.filename || '',
    total_bytes: previous?.total_bytes ?? known?.total_bytes ?? 0,
    uploaded_bytes: previous?.uploaded_bytes ?? 0,
    status: 'failed',
    error: reason,
    started_at: previous?.started_at ?? null,
    completed_at: null,
    progress_percentage: previous?.progress_percentage ?? 0,
  };
}

/**
 * `previous` when it holds the same text: every record parses its own copy of the name and
 * the start time, and a settled upload would keep both copies alive (one through the record
 * it replaced, until that one goes) where one will do.
 */
function same<T extends string | null>(value: T, previous: T | undefined): T {
  return value === previous ? previous : value;
}

function sameProgress(a: UploadProgress, b: UploadProgress): boolean {
  // Both are built by mergeProgress, with the same fields.
  for (const key in b)
    if (a[key as keyof UploadProgress] !== b[key as keyof UploadProgress]) return false;
  return true;
}

/** A finite, non-negative integer no larger than `Number.MAX_SAFE_INTEGER`, or undefined. */
function byteCount(value: unknown): number | undefined {
  if (typeof value !== 'number' || Number.isNaN(value)) return undefined;
  if (value <= 0) return 0;
  return Math.min(Math.floor(value), Number.MAX_SAFE_INTEGER);
}

function percentage(value: unknown): number | undefined {
  if (typeof value !== 'number' || Number.isNaN(value)) return undefined;
  return Math.min(100, Math.max(0, value));
}

function errorText(value: unknown): string | null | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value ? clip(value, MAX_TEXT) : null;
  // An object's `message` (no other JSON value has one: `null?.message` is undefined).
  const message = (value as {message?: unknown} | null)?.message;
  return typeof message === 'string' ? clip(message, MAX_TEXT) : null;
}

function optionalDate(value: unknown): string | null | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? clip(value, MAX_DATE) : null;
}
