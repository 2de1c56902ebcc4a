import type {UploadEntry, UploadProgressSnapshot} from '../../src/index.js';

/** What an element shows of a set of uploads: its own ids, not everything the manager tracks. */
export interface UploadsSummary {
  /** The ids shown, in order. */
  ids: readonly string[];
  /** Their entries, by position (`undefined` until the manager knows the id). */
  entries: readonly (UploadEntry | undefined)[];
  total: number;
  completed: number;
  failed: number;
  /** Every upload completed or failed. */
  settled: boolean;
  /** Every upload completed. */
  allCompleted: boolean;
  /** Byte-weighted 0..100, as the core computes `overallPercentage`, over these ids only. */
  percent: number;
  /**
   * Bytes still to move, in the unit of the manager's `bytesPerSecond`: to send (files the
   * page is sending) plus to process, over uploads not settled.
   */
  remainingBytes: number;
}

/**
 * Folds the snapshot's entries of `ids` (all tracked uploads when `null`) into what the
 * elements show. The shared manager outlives one batch: a failure of an earlier batch must
 * not keep this one's modal open, so the sums are over these ids, not the snapshot's.
 */
export function summarize(
  snapshot: UploadProgressSnapshot,
  ids: readonly string[] | null,
): UploadsSummary {
  const list = ids ?? [...snapshot.uploads.keys()];
  const entries: (UploadEntry | undefined)[] = [];
  let completed = 0;
  let failed = 0;
  let sized = 0;
  let sizes = 0;
  let uploaded = 0;
  let remaining = 0;
  let unknown = 0;
  for (const id of list) {
    const entry = snapshot.uploads.get(id);
    entries.push(entry);
    const status = entry?.progress?.status;
    const settled = status === 'completed' || status === 'failed';
    if (status === 'completed') completed++;
    else if (status === 'failed') failed++;
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
  const total = list.length;
  // Uploads of unknown size count as not started, sized like the mean of the known ones.
  const totalBytes = sized ? (sizes / sized) * total : 0;
  const allCompleted = total > 0 && completed === total;
  return {
    ids: list,
    entries,
    total,
    completed,
    failed,
    settled: total > 0 && completed + failed === total,
    allCompleted,
    percent: allCompleted ? 100 : totalBytes ? Math.min(99.99, (uploaded / totalBytes) * 100) : 0,
    remainingBytes: remaining + (sized ? (sizes / sized) * unknown : 0),
  };
}

/**
 * The bytes a row counts as done. A file the page sent counts both halves (its `percentage`
 * is the manager's figure across sending and processing); one tracked by id, the server's.
 */
export function doneBytes(entry: UploadEntry): number {
  if (entry.transferredBytes != null && entry.percentage !== undefined) {
    return ((entry.totalBytes ?? 0) * entry.percentage) / 100;
  }
  return entry.progress?.uploaded_bytes ?? 0;
}
