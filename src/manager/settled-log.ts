// The uploads a manager has seen settle, apart from the manager: what they cost (a small item
// each, shared by every snapshot) and how a removal keeps the snapshots handed out intact are
// this module's concern, not the tracking's. The items and their sums: settled-sums.ts.
import type {Live} from './in-flight.js';
import {
  addSettled,
  EMPTY_SUMS,
  packSettled,
  settledEntry,
  type SettledItem,
  type SettledSums,
} from './settled-sums.js';
import type {SnapshotFrame} from './snapshot-views.js';

/**
 * Uploads that completed or failed: an append-only log of small items (see
 * {@link packSettled}), an index id → position, and their {@link SettledSums}. Every snapshot
 * shares the log and reads only as far as it was when taken; removing an upload starts a new
 * generation (new log, new index), so the snapshots handed out keep theirs.
 */
export class SettledLog {
  #items: SettledItem[] = [];
  #index = new Map<string, number>();
  /** Their sums, laid out as `InFlight.sums` (then completed, failed, failed unsized). */
  sums: SettledSums = EMPTY_SUMS;
  readonly #share: number;

  /** @param share - the manager's `transferShare` */
  constructor(share: number) {
    this.#share = share;
  }

  /** Whether `id` settled (and was not removed since). */
  has(id: string): boolean {
    return this.#index.has(id);
  }

  /** Adds an upload that just settled (its entry is final). */
  add(live: Live): void {
    this.#index.set(live.id, this.#items.length);
    this.#items.push(packSettled(live.entry));
    this.sums = addSettled(this.sums, live.entry, live.sizeKnown, this.#share);
  }

  /** Keeps only the uploads `keep` passes, in a new generation (untrack, restart, closeAll). */
  filter(keep: (id: string) => boolean): void {
    const items: SettledItem[] = [];
    const index = new Map<string, number>();
    let sums = EMPTY_SUMS;
    for (const item of this.#items) {
      const entry = settledEntry(item);
      if (!keep(entry.uploadId)) continue;
      index.set(entry.uploadId, items.length);
      items.push(item);
      // An entry shows a size exactly when it is known (no log of its own: 8+ bytes each).
      sums = addSettled(sums, entry, entry.totalBytes !== null, this.#share);
    }
    this.#items = items;
    this.#index = index;
    this.sums = sums;
  }

  /** What a snapshot taken now sees of the settled uploads. */
  capture(): Pick<SnapshotFrame, 'settledIndex' | 'settled' | 'settledCount'> {
    const items = this.#items;
    return {settledIndex: this.#index, settled: items, settledCount: items.length};
  }
}
