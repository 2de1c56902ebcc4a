import type {UploadEntry} from '../types.js';

/**
 * What a snapshot sees of the backlog: the entry of an upload that was in it then, made on
 * the first read (`has` makes none: the elements ask it of every id).
 */
export interface BacklogView {
  get(id: string): UploadEntry | undefined;
  has(id: string): boolean;
}

/**
 * Uploads tracked by a plain id that have no in-flight record yet: `track()` of 10,000 ids
 * puts each here (one map entry, no object), and the manager makes an id's record only when
 * its turn to be followed comes. Until then it is `waiting`, with an entry made the first
 * time it is read.
 *
 * Append-only within a generation, as the manager's other logs: a snapshot reads the ids
 * that were here when it was taken, taken since or not (newer snapshots find those in the
 * manager's records first). Removing one (an untrack) starts a new generation, and so does
 * taking the last.
 */
export class Backlog {
  #index = new Map<string, number>();
  /** Entries made (sparse; kept, so that every read gets the same object). */
  #entries: UploadEntry[] = [];
  /** Positions taken (given a record) or removed. */
  #gone: boolean[] = [];
  /** Uploads still here. */
  pending = 0;

  /** Whether `id` is still here (tracked, not yet given a record). */
  has(id: string): boolean {
    const i = this.#index.get(id);
    return i !== undefined && !this.#gone[i];
  }

  /** Adds an upload (not tracked already: the caller checks). */
  add(id: string): void {
    this.#index.set(id, this.#index.size);
    this.pending++;
  }

  /** Takes `id` out (its record is being made); false when it is not here. */
  take(id: string): boolean {
    if (!this.has(id)) return false;
    this.#gone[this.#index.get(id)!] = true;
    // The last one taken: nothing is kept (snapshots hold their generation).
    if (!--this.pending) this.clear();
    return true;
  }

  /** Forgets `id` (untracked): a new generation without it and without those taken. */
  remove(id: string): void {
    if (!this.#index.has(id)) return;
    const [index, entries, gone] = [this.#index, this.#entries, this.#gone];
    gone[index.get(id)!] = true;
    this.clear();
    for (const [kept, i] of index) {
      if (gone[i]) continue;
      this.#entries[this.#index.size] = entries[i]!;
      this.add(kept);
    }
  }

  clear(): void {
    this.#index = new Map();
    this.#entries = [];
    this.#gone = [];
    this.pending = 0;
  }

  /**
   * What a snapshot taken now sees: the uploads here now, as they were tracked (`waiting`:
   * `make` builds that entry, as the manager's records do).
   */
  capture(make: (id: string) => UploadEntry): BacklogView {
    const [index, entries, count] = [this.#index, this.#entries, this.#index.size];
    const at = (id: string) => {
      const i = index.get(id);
      return i === undefined || i >= count ? undefined : i;
    };
    return {
      has: (id) => at(id) !== undefined,
      get: (id) => {
        const i = at(id);
        return i === undefined ? undefined : (entries[i] ??= make(id));
      },
    };
  }
}
