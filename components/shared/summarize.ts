import type {UploadEntry, UploadProgressSnapshot} from '../../src/index.js';
import type {UploadProgressStrings} from './strings.js';

/**
 * What an element shows of a set of uploads: its own ids, not everything the manager tracks.
 * The snapshot's own names, so the usual case (the ids are the manager's whole set) is the
 * snapshot itself with the ids added.
 */
export interface UploadsSummary extends Pick<
  UploadProgressSnapshot,
  'total' | 'completed' | 'failed' | 'waiting' | 'allSettled' | 'allCompleted' | 'etaSeconds'
> {
  /** The ids shown, in order. */
  ids: readonly string[];
  /** Byte-weighted 0..100, as the core computes it, over these ids only. */
  overallPercentage: number;
}

/** A full refresh of "every tracked id" at least this often (ms), whatever the counts say. */
const KEYS_MS = 1000;
/** Up to this many tracked uploads, "every tracked id" is re-read on every frame (~0.1 ms). */
const KEYS_EVERY_FRAME = 1000;

/**
 * Folds a snapshot into what the elements show of `ids` (all tracked uploads when `null`),
 * without walking every upload on every frame:
 * - when the ids are exactly the manager's tracked set (the usual case: one batch, or the
 *   list of everything), the sums are the snapshot's own counts, O(1);
 * - only a subset of what the manager tracks (the shared manager still holds an earlier
 *   batch, whose failure must not keep this modal open) is summed id by id, at most once
 *   a frame.
 * "Every tracked id" is re-read on every frame up to a thousand uploads; beyond, when the
 * count changes and at least once a second (an untrack and a track within one second that
 * leave the count unchanged show a second late).
 */
export class Summarizer {
  #ids: readonly string[] | null | undefined;
  #keys: readonly string[] = [];
  #keysTotal: number | undefined;
  #keysAt!: number;
  #covers!: boolean;
  #coversTotal: number | undefined;

  view(snapshot: UploadProgressSnapshot, ids: readonly string[] | null): UploadsSummary {
    if (ids !== this.#ids) {
      this.#ids = ids;
      this.#coversTotal = -1;
    }
    const now = performance.now();
    let list = ids;
    if (!list) {
      if (
        snapshot.total !== this.#keysTotal ||
        snapshot.total <= KEYS_EVERY_FRAME ||
        now - this.#keysAt > KEYS_MS
      ) {
        const keys = [...snapshot.uploads.keys()];
        // The same ids keep the same array: what depends on them is not rebuilt.
        if (keys.length !== this.#keys.length || keys.some((id, i) => id !== this.#keys[i]))
          this.#keys = keys;
        this.#keysTotal = snapshot.total;
        this.#keysAt = now;
      }
      list = this.#keys;
    } else if (snapshot.total !== this.#coversTotal) {
      this.#coversTotal = snapshot.total;
      this.#covers = list.length === snapshot.total && list.every((id) => snapshot.uploads.has(id));
    }
    if (!ids || this.#covers) return {...snapshot, ids: list};
    return sum(snapshot, list);
  }
}

/** The sums of `ids`, entry by entry. */
function sum(snapshot: UploadProgressSnapshot, ids: readonly string[]): UploadsSummary {
  let completed = 0;
  let failed = 0;
  let waiting = 0;
  /** Some wait their turn to be followed: what is left of them is not known. */
  let unseen = false;
  let sized = 0;
  let sizes = 0;
  let uploaded = 0;
  let remaining = 0;
  let unknown = 0;
  for (const id of ids) {
    const entry = snapshot.uploads.get(id);
    const status = entry?.progress?.status;
    const settled = status === 'completed' || status === 'failed';
    if (status === 'completed') completed++;
    else if (status === 'failed') failed++;
    else if (!entry || entry.connection === 'waiting') {
      waiting++;
      // An id no longer tracked counts as waiting, but never comes: it hides no time left.
      unseen ||= !!entry;
    }
    if (entry?.totalBytes != null) {
      const size = entry.totalBytes;
      sized++;
      sizes += size;
      uploaded += doneBytes(entry);
      if (!settled) {
        remaining += Math.max(0, size - (entry.progress?.uploaded_bytes ?? 0));
        if (entry.transferredBytes != null) remaining += Math.max(0, size - entry.transferredBytes);
      }
    } else if (!settled) {
      unknown++;
    }
  }
  const total = ids.length;
  // Uploads of unknown size count as not started, sized like the mean of the known ones.
  const totalBytes = sized ? (sizes / sized) * total : 0;
  const allCompleted = total > 0 && completed === total;
  const rate = snapshot.bytesPerSecond;
  return {
    ids,
    total,
    completed,
    failed,
    waiting,
    allSettled: total > 0 && completed + failed === total,
    allCompleted,
    overallPercentage: allCompleted
      ? 100
      : totalBytes
        ? Math.min(99.99, (uploaded / totalBytes) * 100)
        : 0,
    // None while some wait their turn, as the manager's own (src/manager/snapshot-views.ts).
    etaSeconds:
      rate && !unseen ? (remaining + (sized ? (sizes / sized) * unknown : 0)) / rate : null,
  };
}

/**
 * The bytes an upload counts as done in the overall figure. A file the page sent counts both
 * halves (its `percentage` is the manager's figure across sending and processing); one
 * tracked by id, the server's.
 */
function doneBytes(entry: UploadEntry): number {
  if (entry.transferredBytes != null && entry.percentage !== undefined) {
    return ((entry.totalBytes ?? 0) * entry.percentage) / 100;
  }
  return entry.progress?.uploaded_bytes ?? 0;
}

/** What a set of uploads came to, once all settled: "All 5 uploaded", "4 uploaded, 1 failed". */
export const settledSummary = (v: UploadsSummary, s: UploadProgressStrings): string =>
  v.failed ? s.counts(v.completed, v.failed) : s.allUploaded(v.total);
