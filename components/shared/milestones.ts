import type {UploadProgressSnapshot} from '../../src/index.js';
import {announce} from './announcer.js';
import type {UploadProgressStrings} from './strings.js';
import {settledSummary, type UploadsSummary} from './summarize.js';
import {visibleOr} from './visible-text.js';

/** Milestones reached within this long are announced as one message. */
const BATCH_MS = 1000;
/**
 * A filename or failure reason as announced: up to 150 characters (the row shows it whole;
 * three reasons of 4,000 characters made one message of 11,953), never half an emoji.
 */
const clip = (text: string): string =>
  text.length > 150 ? `${text.slice(0, 149).replace(/[\uD800-\uDBFF]$/, '')}…` : text;

/**
 * Announces what a list's uploads reach (a file completed or failed, all done) through the
 * page's live region, at most one message a second. It looks id by id only when the set of
 * ids changed or when the counts of settled uploads moved, and then at most once a batch:
 * never on every frame. It remembers the ids it shows and nothing else, so letting go of
 * uploads lets go of their memory.
 */
export class Milestones {
  /** Settled state by id as last seen ('' while in flight). */
  #seen = new Map<string, string>();
  #ids: readonly string[] | undefined;
  #settled: number | undefined;
  #wasSettled: boolean | undefined;
  #uploaded: string[] = [];
  #failed: [name: string, reason: string][] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #snapshot: UploadProgressSnapshot | undefined;
  #view: UploadsSummary | undefined;
  #s!: UploadProgressStrings;

  /** Ids remembered (for tests: bounded by what is shown). */
  get size(): number {
    return this.#seen.size;
  }

  /** Takes the element's latest state; cheap unless the ids or the settled count moved. */
  update(snapshot: UploadProgressSnapshot, view: UploadsSummary, s: UploadProgressStrings): void {
    this.#snapshot = snapshot;
    this.#view = view;
    this.#s = s;
    if (view.ids !== this.#ids) {
      this.#ids = view.ids;
      this.#look();
      this.#wasSettled = view.total ? view.allSettled : undefined;
    }
    const settled = view.completed + view.failed;
    if (settled !== this.#settled) {
      this.#settled = settled;
      this.#timer ??= setTimeout(() => this.flush(), BATCH_MS);
    }
  }

  /** Announces what was collected (at once: the element is leaving). */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const v = this.#view;
    if (!v) return;
    this.#look();
    const s = this.#s;
    // allSettled is false while nothing is shown.
    const summary = v.allSettled && this.#wasSettled === false ? settledSummary(v, s) : '';
    this.#wasSettled = v.total ? v.allSettled : undefined;
    const uploaded = this.#uploaded;
    const failed = this.#failed;
    this.#uploaded = [];
    this.#failed = [];
    const failures =
      failed.length > 3 ? [] : failed.map(([name, reason]) => s.fileFailed(name, reason));
    // Many at once: the batch's counts, then how far the whole is ("120 uploaded, 6 failed.
    // 6,990 of 10,000 done"), so they never read as the final summary.
    const parts = summary
      ? [...failures, summary]
      : uploaded.length + failed.length > 3
        ? [s.counts(uploaded.length, failed.length), s.done(v.completed + v.failed, v.total)]
        : [...uploaded.map((name) => s.fileUploaded(name)), ...failures];
    announce(parts.join('. '));
  }

  /** Collects uploads that settled since last seen; forgets ids no longer shown. */
  #look(): void {
    const seen = new Map<string, string>();
    const snapshot = this.#snapshot!;
    // Nothing settled (a new batch opening): no id needs a look.
    const none = !(this.#view!.completed + this.#view!.failed);
    for (const id of this.#ids!) {
      // The record alone: an entry is built on first read (10,000 ids still waiting cost
      // ~10,000 entries and 24 ms in the task that shows the rows); only a milestone needs one.
      const progress = none ? undefined : snapshot.progressMap.get(id);
      const state = progress && progress.status !== 'uploading' ? progress.status : '';
      seen.set(id, state);
      if (this.#seen.get(id) !== '' || !state) continue;
      const name = clip(visibleOr(snapshot.uploads.get(id)!.filename, id));
      if (state === 'completed') this.#uploaded.push(name);
      else this.#failed.push([name, clip(visibleOr(progress!.error, this.#s.unknownError))]);
    }
    this.#seen = seen;
  }
}
