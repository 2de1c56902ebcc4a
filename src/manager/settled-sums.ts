import {shown} from '../errors.js';
import type {TrackedUpload, TransferredFile, UploadEntry, UploadProgress} from '../types.js';

/**
 * Byte and count sums of settled uploads, laid out as `InFlight.sums` (uploaded bytes, known
 * total, known count; then what only uploads in flight have: unknown count, uploading,
 * pending, waiting, bytes left, always 0 here), then completed, failed, and those that
 * failed before their size was ever known: the snapshot adds the two index by index. They
 * only ever grow, until an untrack.
 */
export type SettledSums = readonly number[];

/** Nothing settled yet. */
export const EMPTY_SUMS: SettledSums = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

/**
 * The bytes an upload counts as done: a file this page sent earns `share` of each byte once
 * sent and the rest once processed; an upload tracked by id (`sent` null) the server's bytes.
 */
export function doneBytes(
  sent: number | null,
  processed: number,
  size: number,
  share: number,
): number {
  if (sent === null) return processed;
  return share * Math.min(sent, size) + (1 - share) * Math.min(processed, size);
}

/** `sums` with one more settled upload. */
export function addSettled(
  sums: SettledSums,
  entry: UploadEntry,
  sized: boolean,
  share: number,
): SettledSums {
  const {uploaded_bytes, status} = entry.progress!;
  const size = entry.totalBytes ?? 0;
  const known = +sized;
  const added = [
    known * doneBytes(entry.transferredBytes ?? null, uploaded_bytes, size, share),
    known * size,
    known,
    0,
    0,
    0,
    0,
    0,
    +(status === 'completed'),
    +(status === 'failed'),
    1 - known,
  ];
  return sums.map((sum, i) => sum + added[i]!);
}

/**
 * One upload of the settled log: its entry, or only its final record when the entry says
 * nothing the record does not (an upload tracked by id, named and sized by the server, as
 * most are). An entry is 88 bytes in V8, a fifth of what a settled upload kept: it is built
 * again when a snapshot first reads it (see {@link settledEntry}).
 */
export type SettledItem = UploadEntry | UploadProgress;

/** What the settled log keeps of `entry` (a settled upload's). */
export function packSettled(entry: UploadEntry): SettledItem {
  const built = settledEntry(entry.progress!);
  // Every field the same, `paused` included (absent from the one built).
  for (const key in entry) {
    if (entry[key as keyof UploadEntry] !== built[key as keyof UploadEntry]) return entry;
  }
  return entry.progress!;
}

/** The entry of a settled upload, as {@link packSettled} left it. */
export function settledEntry(item: SettledItem): UploadEntry {
  if ('uploadId' in item) return item;
  return {
    uploadId: item.upload_id,
    progress: item,
    filename: item.filename,
    totalBytes: item.total_bytes,
    connection: 'closed',
    phase: 'done',
    transferredBytes: null,
    // A completed record says 100 (readProgress); packSettled checked it is the entry's.
    percentage: item.progress_percentage,
  };
}

/** Checks one input of `track()`; throws a TypeError that says what it takes. */
export function readTracked(upload: TrackedUpload): {
  id: string;
  filename: string | null;
  totalBytes: number | null;
} {
  const id = typeof upload === 'string' ? upload : upload?.upload_id;
  if (typeof id !== 'string' || id === '') {
    throw new TypeError(
      `track() takes non-empty ids or {upload_id, filename?, total_bytes?}, got ${shown(upload)}.`,
    );
  }
  if (typeof upload === 'string') return {id, filename: null, totalBytes: null};
  const size = upload.total_bytes;
  return {
    id,
    filename: typeof upload.filename === 'string' && upload.filename ? upload.filename : null,
    totalBytes:
      typeof size === 'number' && Number.isFinite(size) && size >= 0
        ? Math.min(Math.floor(size), Number.MAX_SAFE_INTEGER)
        : null,
  };
}

/** Checks one input of `trackTransfers()`; throws a TypeError that says what it takes. */
export function readTransferred(file: TransferredFile): {filename: string; totalBytes: number} {
  const size = file?.total_bytes;
  if (typeof file?.filename !== 'string' || typeof size !== 'number' || !(size >= 0)) {
    throw new TypeError(`trackTransfers() takes {filename, total_bytes >= 0}, got ${shown(file)}.`);
  }
  return {filename: file.filename, totalBytes: Math.min(Math.floor(size), Number.MAX_SAFE_INTEGER)};
}
