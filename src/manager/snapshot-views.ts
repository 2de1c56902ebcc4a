import type {UploadEntry, UploadProgress, UploadProgressSnapshot} from '../types.js';
import {settledEntry, type SettledItem} from './settled-sums.js';
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

/**
 * What the frame holds for `id`. With `build`, its entry (a settled one kept as its record
 * is built on its first read, once for every snapshot sharing the log: the same object each
 * read, as elements compare entries by identity). Without, nothing is built: the entry, the
 * record a settled one is kept as, or `true` for one waiting in the backlog; `has()` and
 * `keys()` read this, since the elements ask them of every upload (building entries there
 * undid the settled log's saving: 96 B an upload, kept).
 */
function lookup(
  frame: SnapshotFrame,
  id: string,
  build: boolean,
): UploadEntry | UploadProgress | true | undefined {
  const live = frame.inFlight.get(id);
  if (live) return live;
  const index = frame.settledIndex.get(id);
  if (index !== undefined && index < frame.settledCount) {
    const item = frame.settled[index]!;
    return build ? (frame.settled[index] = settledEntry(item)) : item;
  }
  // Neither in flight nor settled when the snapshot was taken: waiting, as it was tracked.
  return build ? frame.backlog.get(id) : frame.backlog.has(id) || undefined;
}

/** {@link lookup} of `id`, or of the server id a local key was given. */
function entryOf(frame: SnapshotFrame, id: string, build: boolean) {
  const found = lookup(frame, id, build);
  if (found || frame.aliases.size === 0) return found;
  const alias = frame.aliases.get(id);
  return alias === undefined ? undefined : lookup(frame, alias, build);
}

/** An upload's record as a snapshot has it (a settled one kept as its record: that record). */
function progressOf(found: UploadEntry | UploadProgress | true | undefined) {
  return found === true || !found
    ? undefined
    : 'uploadId' in found
      ? (found.progress ?? undefined)
      : found;
}

/**
 * A read-only map over a {@link SnapshotFrame}, iterating in track order: every tracked upload
 * (`uploads`), or those whose first record has arrived (`progressMap`, picking the record).
 */
class FrameMap<V> implements ReadonlyMap<string, V> {
  readonly #frame: SnapshotFrame;
  /** Entries (`uploads`) or records (`progressMap`). */
  readonly #entries: boolean;

  constructor(
    frame: SnapshotFrame,
    readonly size: number,
    entries: boolean,
  ) {
    this.#frame = frame;
    this.#entries = entries;
  }

  get(id: string): V | undefined {
    return (
      this.#entries ? entryOf(this.#frame, id, true) : progressOf(entryOf(this.#frame, id, false))
    ) as V | undefined;
  }

  has(id: string): boolean {
    const found = entryOf(this.#frame, id, false);
    return this.#entries ? found !== undefined : progressOf(found) !== undefined;
  }

  *entries(): MapIterator<[string, V]> {
    for (const id of this.#frame.order) {
      const value = this.get(id);
      if (value !== undefined) yield [id, value];
    }
  }

  *keys(): MapIterator<string> {
    for (const id of this.#frame.order) if (this.has(id)) yield id;
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

/** The sums a snapshot is built from, laid out as `SettledSums`. */
type Sums = [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];

/**
 * The snapshot of a frame, from its sums (the settled ones plus those of the uploads in
 * flight, see `SettledSums`), and the speed now, asked only while uploads are under way (its
 * estimator samples when asked: idle time must not count).
 */
export function buildSnapshot(
  frame: SnapshotFrame,
  sums: readonly number[],
  rate: () => number | null,
): UploadProgressSnapshot {
  const [
    uploaded,
    knownTotal,
    knownCount,
    liveUnknown,
    uploading,
    pending,
    waiting,
    left,
    completed,
    failed,
    settledUnknown,
  ] = sums as Sums;
  const unknownCount = liveUnknown + settledUnknown;
  const total = frame.order.length;
  const allCompleted = total > 0 && completed === total;
  const allSettled = total > 0 && completed + failed === total;
  const mean = knownCount > 0 ? knownTotal / knownCount : 0;
  const totalBytes = knownTotal + unknownCount * mean;
  let overallPercentage = 0;
  if (allCompleted) overallPercentage = 100;
  else if (totalBytes > 0) {
    // Short of 100 until every upload completed: a bar at 100 must mean done.
    overallPercentage = Math.min(99.99, (uploaded / totalBytes) * 100);
  }
  const speed = total === 0 || allSettled ? null : rate();
  const bytesPerSecond = speed === null ? null : Math.max(0, speed);
  // None while uploads wait their turn to be followed: what is left of them is not known (a
  // server may have processed them meanwhile), and counting them whole said "20 min left"
  // of 10,000 uploads that all settled 16 s later.
  const etaSeconds = allSettled
    ? 0
    : bytesPerSecond && bytesPerSecond > 0 && !waiting
      ? (left + liveUnknown * mean) / bytesPerSecond
      : null;
  return Object.freeze({
    progressMap: new FrameMap<UploadProgress>(frame, uploading + completed + failed, false),
    uploads: new FrameMap<UploadEntry>(frame, total, true),
    overallPercentage,
    allCompleted,
    allSettled,
    total,
    pending,
    uploading,
    completed,
    failed,
    waiting,
    uploadedBytes: uploaded,
    totalBytes,
    bytesPerSecond,
    etaSeconds,
  });
}
