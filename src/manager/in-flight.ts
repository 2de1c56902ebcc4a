import type {ConnectionState, UploadEntry, UploadProgress} from '../types.js';
import type {SnapshotFrame} from './snapshot-views.js';
import {doneBytes} from './settled-sums.js';

/** One tracked upload while it is in flight. */
export interface Live {
  /** The server's id, or the local key until `TransferHandle.attach`. */
  id: string;
  /** False while the file is being sent: there is no id to follow yet. */
  following: boolean;
  filename: string | null;
  totalBytes: number | null;
  /** The size came from the server or from `track()`, not an estimate. */
  sizeKnown: boolean;
  progress: UploadProgress | null;
  connection: ConnectionState;
  /** Bytes this page sent of the file; `null` for uploads tracked by id. */
  sent: number | null;
  /** The page holds the transfer paused. */
  paused?: boolean;
  entry: UploadEntry;
  /** What it adds to {@link InFlight.sums} now. */
  counted: number[] | null;
}

/**
 * A new record (not in flight yet: its entry is made as {@link InFlight.put} puts it there,
 * or, for one waiting in the backlog, as a snapshot reads it).
 */
export function newLive(
  id: string,
  filename: string | null,
  totalBytes: number | null,
  sent: number | null,
  following = false,
): Live {
  return {
    id,
    following,
    filename,
    totalBytes,
    sizeKnown: totalBytes !== null,
    progress: null,
    connection: following ? 'waiting' : 'idle',
    sent,
    entry: undefined as unknown as UploadEntry,
    counted: null,
  };
}

const zero = () => [0, 0, 0, 0, 0, 0, 0, 0];
const NONE: readonly number[] = zero();
/**
 * What an upload tracked by id adds to each sum before it has a record (see
 * `#contribution`): a size not known, pending, waiting. The manager's backlog adds this per id.
 */
export const WAITING: readonly number[] = [0, 0, 0, 1, 0, 1, 1, 0];

/**
 * The uploads in flight, with what a snapshot needs of them kept up to date as each one
 * changes, so that reading a snapshot costs O(uploads under way), not O(uploads tracked):
 * thousands of uploads waiting their turn cost nothing per event.
 *
 * - `sums`, per field, over every upload in flight: uploaded bytes, known total, known
 *   count, unknown count, uploading, pending, waiting, and bytes still to send or to
 *   process (for the ETA).
 * - the entries, in one map changed in place, and for the snapshots taken meanwhile an undo
 *   log each: the first change of an upload after a snapshot saves the entry that snapshot saw
 *   (`undefined`: none) in the newest log. A snapshot reads its own log, then the newer ones,
 *   then the map. One map write a change, whatever the number under way and however often
 *   snapshots are taken (copying a layer after each snapshot cost O(√n) a change with a
 *   snapshot per task, O(n) with one per frame: the largest cost of the manager per event).
 *   A snapshot holds its log and every newer one of its generation: once the logs of a
 *   generation have saved more entries than the map holds (plus 64), the next snapshot
 *   starts a new one on a copy of the map (O(1) a change, amortised), so a snapshot kept
 *   alive (a hidden tab's listener, a detached element) holds a bounded amount.
 * Uploads tracked by id and still waiting their turn are not here but in the manager's
 * Backlog (no record each until their turn comes).
 */
export class InFlight {
  readonly live = new Map<string, Live>();
  sums = zero();
  readonly #share: number;
  readonly #scratch = zero();
  #entries = new Map<string, UploadEntry>();
  /** The undo log of the newest snapshot of this generation, if one was taken. */
  #undo: Undo | undefined;
  /** Entries saved by the logs of this generation. */
  #saved = 0;

  /** @param share - the manager's `transferShare` */
  constructor(share: number) {
    this.#share = share;
  }

  /** Adds an upload, or takes in a change of one (its entry and sums rebuilt). */
  put(live: Live): void {
    live.entry = this.entryOf(live);
    const known = this.live.get(live.id);
    if (!known) this.live.set(live.id, live);
    else if (known !== live) return;
    this.#count(live, true);
    this.#write(live.id, live.entry);
  }

  /** Removes an upload (settled, renamed, or untracked). */
  delete(id: string): void {
    const live = this.live.get(id);
    if (!live) return;
    this.live.delete(id);
    this.#count(live, false);
    // Nothing in flight: start afresh, so nothing of the settled uploads stays here (their
    // entries as tracked and as last changed: ~300 bytes each) and the float sums never
    // accumulate rounding. New objects: snapshots handed out keep theirs.
    if (this.live.size === 0) return this.clear();
    this.#write(id, undefined);
  }

  clear(): void {
    this.live.clear();
    this.sums = zero();
    this.#entries = new Map();
    this.#undo = undefined;
    this.#saved = 0;
  }

  /** What a snapshot taken now sees of the uploads in flight. */
  capture(): Pick<SnapshotFrame, 'inFlight'> {
    if (this.#saved > this.#entries.size + 64) {
      // A new generation: snapshots of the old one keep its map, no longer written.
      this.#entries = new Map(this.#entries);
      this.#undo = undefined;
      this.#saved = 0;
    }
    let undo = this.#undo;
    // Nothing changed since the last snapshot: both read the same log.
    if (!undo || undo.saved.size > 0) {
      const newer: Undo = {saved: new Map(), next: undefined};
      if (undo) undo.next = newer;
      this.#undo = undo = newer;
    }
    const entries = this.#entries;
    const first = undo;
    return {
      inFlight: {
        get(id) {
          for (let log: Undo | undefined = first; log; log = log.next) {
            if (log.saved.has(id)) return log.saved.get(id);
          }
          return entries.get(id);
        },
      },
    };
  }

  /** The entry of an upload as it stands. */
  entryOf(live: Live): UploadEntry {
    const progress = live.progress;
    const settled = progress !== null && progress.status !== 'uploading';
    const total = live.totalBytes ?? 0;
    let percentage: number;
    if (progress?.status === 'completed') percentage = 100;
    else if (live.sent === null) percentage = progress?.progress_percentage ?? 0;
    else {
      const done = doneBytes(live.sent, progress?.uploaded_bytes ?? 0, total, this.#share);
      percentage = total > 0 ? Math.min(100, (done / total) * 100) : 0;
    }
    const entry: UploadEntry = {
      uploadId: live.id,
      progress,
      filename: live.filename,
      totalBytes: live.sizeKnown ? live.totalBytes : null,
      connection: live.connection,
      phase: settled ? 'done' : live.following ? 'processing' : 'transferring',
      transferredBytes: live.sent,
      percentage,
    };
    // Set after, not spread in: a spread builds and copies an object per event.
    if (live.paused) (entry as {paused?: boolean}).paused = true;
    return entry;
  }

  /** Sets (or with `undefined` removes) an entry, saving the old one for the newest snapshot. */
  #write(id: string, entry: UploadEntry | undefined): void {
    const saved = this.#undo?.saved;
    if (saved && !saved.has(id)) {
      saved.set(id, this.#entries.get(id));
      this.#saved++;
    }
    if (entry) this.#entries.set(id, entry);
    else this.#entries.delete(id);
  }

  /**
   * Moves `live`'s part of the sums to what it is now (to nothing once deleted). In place:
   * one array per upload, not one per event.
   */
  #count(live: Live, counting: boolean): void {
    const next = counting ? this.#contribution(live) : NONE;
    const had = live.counted;
    const sums = this.sums;
    for (let i = 0; i < 8; i++) sums[i]! += next[i]! - (had?.[i] ?? 0);
    if (!counting) live.counted = null;
    else if (had) for (let i = 0; i < 8; i++) had[i] = next[i]!;
    else live.counted = next.slice();
  }

  /** What `live` adds to each sum, written into one reused array. */
  #contribution(live: Live): number[] {
    const processed = live.progress?.uploaded_bytes ?? 0;
    const size = live.totalBytes ?? 0;
    const known = live.sizeKnown ? 1 : 0;
    const sent = live.sent;
    const c = this.#scratch;
    c[0] = known && doneBytes(sent, processed, size, this.#share);
    c[1] = known && size;
    c[2] = known;
    c[3] = 1 - known;
    c[4] = live.progress ? 1 : 0;
    c[5] = 1 - c[4]!;
    c[6] = +(live.connection === 'waiting');
    c[7] = known && Math.max(0, size - processed) + (sent === null ? 0 : Math.max(0, size - sent));
    return c;
  }
}

/** What changed after one snapshot, as it was then; `next`: the log of the snapshot after it. */
interface Undo {
  saved: Map<string, UploadEntry | undefined>;
  next: Undo | undefined;
}
