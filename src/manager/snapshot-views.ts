import type {UploadEntry, UploadProgressSnapshot} from '../types.js';
import {settledEntry, type SettledItem, type SettledSums} from './settled-sums.js';
import type {BacklogView} from './backlog.js';

/**
 * What one snapshot can see, captured in O(uploads under way): settled uploads live in an
 * append-only log shared by every snapshot (each remembers how far it may read), and so do
 * the entries uploads were tracked with (`waiting`, unchanged until their turn comes);
 * entries that changed since are read through the snapshot's undo log (see InFlight), nothing
 * copied. Finished uploads and uploads still waiting their turn cost a snapshot nothing.
 */
export interface SnapshotFrame {
  /** Tracked ids in track order (replaced, never mutated, when the set changes). */
  readonly order: readonly string[];
  /** id → position in {@link settled}; append-only within one generation. */
  readonly settledIndex: ReadonlyMap<string, number>;
  /** Entries, or records standing for them (see `packSettled`): shared, filled in as read. */
  readonly settled: SettledItem[];
  /** How much of the settled log this snapshot sees. */
  readonly settledCount: number;
  /** Entries of uploads in flight that changed since they were tracked: looked up first. */
  readonly inFlight: {get(id: string): UploadEntry | undefined};
  /** Uploads tracked by id and not yet given a record (looked up last, see Backlog). */
  readonly backlog: BacklogView;
  /**
   * Local key → the server's id, for files sent by this page; append-only within one
   * generation. A snapshot taken before an id arrived finds the local key in `inFlight` first.
   */
  readonly aliases: ReadonlyMap<string, string>;
}

function lookup(frame: SnapshotFrame, id: string): UploadEntry | undefined {
  const live = frame.inFlight.get(id);
  if (live) return live;
  const index = frame.settledIndex.get(id);
  if (index !== undefined && index < frame.settledCount) {
    // An entry kept as its record is built on its first read, once for every snapshot
    // sharing this log (the same object each read: elements compare entries by identity).
    return (frame.settled[index] = settledEntry(frame.settled[index]!));
  }
  // Neither in flight nor settled when the snapshot was taken: waiting, as it was tracked.
  return frame.backlog(id);
}

function entryOf(frame: SnapshotFrame, id: string): UploadEntry | undefined {
  const entry = lookup(frame, id);
  if (entry || frame.aliases.size === 0) return entry;
  const alias = frame.aliases.get(id);
  return alias === undefined ? undefined : lookup(frame, alias);
}

/**
 * A read-only map over a {@link SnapshotFrame}, iterating in track order: every tracked upload
 * (`uploads`), or those whose first record has arrived (`progressMap`, picking the record).
 */
class FrameMap<V> implements ReadonlyMap<string, V> {
  readonly #frame: SnapshotFrame;
  readonly #pick: (entry: UploadEntry) => V | undefined;

  constructor(
    frame: SnapshotFrame,
    readonly size: number,
    pick: (entry: UploadEntry) => V | undefined,
  ) {
    this.#frame = frame;
    this.#pick = pick;
  }

  get(id: string): V | undefined {
    const entry = entryOf(this.#frame, id);
    return entry && this.#pick(entry);
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  *entries(): MapIterator<[string, V]> {
    for (const id of this.#frame.order) {
      const value = this.get(id);
      if (value !== undefined) yield [id, value];
    }
  }

  *keys(): MapIterator<string> {
    for (const [id] of this.entries()) yield id;
  }

  *values(): MapIterator<V> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  forEach(
    callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void,
    thisArg?: unknown,
  ): void {
    for (const [id, value] of this.entries()) callback.call(thisArg, value, id, this);
  }

  get [Symbol.toStringTag](): string {
    return 'Map';
  }
}

/**
 * The snapshot of a frame: the settled sums plus those of the uploads in flight (see
 * `InFlight.sums`), and the speed now (`null` once all settled or when unknown).
 */
export function buildSnapshot(
  frame: SnapshotFrame,
  s: SettledSums,
  live: readonly number[],
  rate: number | null,
): UploadProgressSnapshot {
  const [liveUploaded, liveTotal, liveKnown, liveUnknown, uploading, pending, waiting, liveLeft] =
    live as [number, number, number, number, number, number, number, number];
  const uploaded = s.uploaded + liveUploaded;
  const knownTotal = s.knownTotal + liveTotal;
  const knownCount = s.knownCount + liveKnown;
  const unknownCount = s.unknownCount + liveUnknown;
  const total = frame.order.length;
  const allCompleted = total > 0 && s.completed === total;
  const allSettled = total > 0 && s.completed + s.failed === total;
  const mean = knownCount > 0 ? knownTotal / knownCount : 0;
  const totalBytes = knownTotal + unknownCount * mean;
  let overallPercentage = 0;
  if (allCompleted) overallPercentage = 100;
  else if (totalBytes > 0) {
    // Short of 100 until every upload completed: a bar at 100 must mean done.
    overallPercentage = Math.min(99.99, (uploaded / totalBytes) * 100);
  }
  const bytesPerSecond = rate === null || total === 0 ? null : Math.max(0, rate);
  const left = liveLeft + liveUnknown * mean;
  const etaSeconds = allSettled
    ? 0
    : bytesPerSecond && bytesPerSecond > 0
      ? left / bytesPerSecond
      : null;
  return Object.freeze({
    progressMap: new FrameMap(
      frame,
      uploading + s.completed + s.failed,
      (entry) => entry.progress ?? undefined,
    ),
    uploads: new FrameMap(frame, total, (entry) => entry),
    overallPercentage,
    allCompleted,
    allSettled,
    total,
    pending,
    uploading,
    completed: s.completed,
    failed: s.failed,
    waiting,
    uploadedBytes: uploaded,
    totalBytes,
    bytesPerSecond,
    etaSeconds,
  });
}
