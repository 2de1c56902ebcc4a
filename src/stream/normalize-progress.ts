import {clip} from '../transport/classify-response.js';
import type {UploadProgress} from '../types.js';

/** Longest filename or error text kept; longer ones are cut with an ellipsis. */
export const MAX_TEXT = 4096;

/** Longest `started_at`/`completed_at` kept (an ISO 8601 time with offset is ~32). */
export const MAX_DATE = 64;

/** Why an event was skipped: built only for events that are (the hot path builds nothing else). */
export interface Skipped {
  /** The record is for another upload. */
  foreign: boolean;
  reason: string;
}

/**
 * Reads one event's data and folds it into the previous record, in one pass (no record of
 * the incoming fields built on the way: two objects an event fewer).
 *
 * Malformed JSON, a missing or unknown `status`, or a record for another upload give a
 * {@link Skipped} (the caller reports it and reads on); numbers that are absurd are clamped,
 * fields of the wrong type are treated as absent, and every text is clipped: filename and
 * error to {@link MAX_TEXT} characters, dates to {@link MAX_DATE}.
 *
 * Progress never moves backwards; `previous` itself comes back when nothing changed, so
 * identity tells listeners whether to re-render. Nothing changes after a terminal record:
 * callers stop reading there (a stream once settled, a batch once the upload left it).
 */
export function readProgress(
  data: string,
  uploadId: string,
  previous: UploadProgress | null,
): UploadProgress | Skipped {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return {foreign: false, reason: 'the data is not valid JSON'};
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return {foreign: false, reason: 'the data is not a JSON object'};
  }
  const r = raw as Record<string, unknown>;
  // `!= null`: neither undefined nor null (a record without an id is this upload's).
  if (r.upload_id != null && r.upload_id !== uploadId) {
    return {foreign: true, reason: `the record is for upload "${clip(String(r.upload_id))}"`};
  }
  const status = r.status;
  if (status !== 'uploading' && status !== 'completed' && status !== 'failed') {
    return {
      foreign: false,
      reason: `unknown status ${clip(JSON.stringify(status) ?? 'undefined')}`,
    };
  }

  const given = byteCount(r.total_bytes);
  let total = given ?? previous?.total_bytes ?? 0;
  let uploaded = Math.max(byteCount(r.uploaded_bytes) ?? 0, previous?.uploaded_bytes ?? 0);
  if (uploaded > total) {
    // A record claiming more bytes than the file has: trust the larger figure as the size
    // only if the server never told us the size; otherwise cap at the size.
    if (given === undefined && !previous?.total_bytes) total = uploaded;
    else uploaded = total;
  }
  let pct: number;
  if (status === 'completed') {
    uploaded = total;
    pct = 100;
  } else {
    const derived = total > 0 ? (uploaded / total) * 100 : 0;
    pct = Math.max(
      percentage(r.progress_percentage) ?? derived,
      previous?.progress_percentage ?? 0,
    );
  }
  const error =
    status === 'uploading'
      ? null
      : errorText(r.error) ||
        (status === 'failed'
          ? 'The server reported the upload as failed without giving a reason.'
          : null);
  const name = typeof r.filename === 'string' ? clip(r.filename, MAX_TEXT) : undefined;
  const started = optionalDate(r.started_at);
  // The previous record's copy of a text that did not change: every record parses its own
  // copy of the name and the start time, and a settled upload would keep both alive (one
  // through the record it replaced, until that one goes) where one will do.
  const filename = (name !== previous?.filename && name) || previous?.filename || '';
  const startedAt =
    (started !== previous?.started_at ? started : undefined) ?? previous?.started_at ?? null;
  const completedAt = optionalDate(r.completed_at) ?? previous?.completed_at ?? null;
  const next: UploadProgress = {
    upload_id: uploadId,
    filename,
    total_bytes: total,
    uploaded_bytes: uploaded,
    status,
    error,
    started_at: startedAt,
    completed_at: completedAt,
    progress_percentage: pct,
  };
  // Over no keys without a previous record (for-in over null runs no iteration).
  for (const key in previous) {
    if (next[key as keyof UploadProgress] !== previous![key as keyof UploadProgress]) return next;
  }
  return previous ?? next;
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

function errorText(value: unknown): string | null {
  if (typeof value === 'string') return value ? clip(value, MAX_TEXT) : null;
  // An object's `message` (no other JSON value has one: `null?.message` is undefined).
  const message = (value as {message?: unknown} | null)?.message;
  return typeof message === 'string' ? clip(message, MAX_TEXT) : null;
}

function optionalDate(value: unknown): string | null | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? clip(value, MAX_DATE) : null;
}
