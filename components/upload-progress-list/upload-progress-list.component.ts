import {html, LitElement, nothing, type PropertyValues, type TemplateResult} from 'lit';
import {property} from 'lit/decorators.js';
import {
  controlUpload,
  getUploadProgressManager,
  uploadAction,
  type UploadEntry,
} from '../../src/index.js';
import {announce, liveRegion} from '../shared/announcer.js';
import {formats, type Formats} from '../shared/formats.js';
import {
  ManagerController,
  uploadIdsConverter,
  type ManagerLike,
} from '../shared/manager-controller.js';
import {progressBar} from '../shared/progress-bar.js';
import {defaultStrings, type UploadProgressStrings} from '../shared/strings.js';
import {doneBytes, summarize, type UploadsSummary} from '../shared/summarize.js';
import {visibleText} from '../shared/visible-text.js';
import styles from './upload-progress-list.styles.js';

/**
 * A row's state: the server's status, `sending` while the page sends the file, or where its
 * connection stands before the first record.
 */
type RowStatus =
  'sending' | 'paused' | 'waiting' | 'connecting' | 'uploading' | 'completed' | 'failed';

/** Milestones waiting to be announced. */
interface Batch {
  uploaded: string[];
  failed: [name: string, reason: string][];
  summary: string;
}

/** Milestones reached within this long are announced as one message. */
const BATCH_MS = 1000;

/**
 * The rows of a set of uploads, inline in the page: per upload its filename, size, status in
 * words and a progress bar, and above them the overall progress. Milestones (a file completed
 * or failed, all done) are announced through one live region in the light DOM, at most one
 * message a second.
 *
 * @example
 * <upload-progress-list upload-ids="a1 b2"></upload-progress-list>
 * list.uploadIds = (await response.json()).upload_ids;
 *
 * @csspart overall - The overall section.
 * @csspart summary - "3 of 5 done", or the summary once all settled.
 * @csspart rate - Speed and time left, while known.
 * @csspart overall-bar - The overall progress bar's track.
 * @csspart overall-indicator - The overall progress bar's filled part.
 * @csspart rows - The list of rows.
 * @csspart row - One upload; also carries its status as a part: `sending`, `paused`, `waiting`, `connecting`, `uploading`, `completed` or `failed` (`::part(row failed)`).
 * @csspart icon - The status icon (decorative; the status is also in words).
 * @csspart filename - The filename, truncated with an ellipsis; the full name is its `title`.
 * @csspart size - "1.2 MB of 5 MB".
 * @csspart status - The status in words, with the error of a failed upload.
 * @csspart bar - A row's progress bar track.
 * @csspart indicator - A row's progress bar filled part.
 * @csspart action - A row's Pause, Resume or Retry button (files this page sends); also `pause`, `resume` or `retry`.
 *
 * @cssproperty --upload-progress-bar-height - Height of the bars. Default `0.5rem`.
 * @cssproperty --upload-progress-bar-color - Color of the bars' filled part. Default `#3b82f6`.
 * @cssproperty --upload-progress-track-color - Color of the bars' track. Default: the text color at 18%.
 * @cssproperty --upload-progress-radius - Corner radius of the bars. Default `999px`.
 * @cssproperty --upload-progress-success-color - Completed icon and bar. Default `#16a34a`.
 * @cssproperty --upload-progress-error-color - Failed icon and bar. Default `#dc2626`.
 * @cssproperty --upload-progress-border-color - Lines between rows. Default: the text color at 15%.
 */
export class UploadProgressList extends LitElement {
  static override styles = styles;

  /**
   * The uploads to show, in this order; setting them tracks them on the manager. `null`
   * shows every upload the manager tracks. The `upload-ids` attribute takes them whitespace
   * separated.
   */
  @property({attribute: 'upload-ids', converter: uploadIdsConverter})
  uploadIds: string[] | null = null;

  /** The manager to read from (anything with its `track`, `subscribe`, `getSnapshot`). */
  @property({attribute: false}) manager: ManagerLike = getUploadProgressManager();

  /** Texts, merged over the English defaults. */
  @property({attribute: false}) strings: Partial<UploadProgressStrings> = {};

  /** The locale for numbers and bytes. Default: the document's `lang`, else the browser's. */
  @property() locale?: string;

  #s: UploadProgressStrings = defaultStrings;
  #f!: Formats;
  #view!: UploadsSummary;
  #rate: number | null = null;
  /**
   * Rendered rows by entry (with the position they were rendered at, part of their ids): an
   * entry that did not change since the last frame costs nothing.
   */
  #rows = new WeakMap<UploadEntry, [number, TemplateResult]>();
  /** Settled state by id as last seen ('' while in flight), to notice milestones. */
  #seen = new Map<string, string>();
  #wasSettled: boolean | undefined;
  #batch: Batch | undefined;
  #batchTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    new ManagerController(this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    liveRegion();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#flush();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const ids = this.uploadIds;
    if (changed.has('uploadIds')) {
      this.#seen.clear();
      this.#wasSettled = undefined;
      this.#rows = new WeakMap();
    }
    if ((changed.has('uploadIds') || changed.has('manager')) && ids?.length)
      this.manager.track(ids);
    if (changed.has('strings') || changed.has('locale') || !this.#f) {
      this.#s = {...defaultStrings, ...this.strings};
      this.#f = formats(this.locale || document.documentElement.lang || undefined);
      this.#rows = new WeakMap();
    }
    const snapshot = this.manager.getSnapshot();
    this.#rate = snapshot.bytesPerSecond;
    this.#view = summarize(snapshot, ids && [...new Set(ids)]);
    this.#milestones();
  }

  override render() {
    const v = this.#view;
    if (!v.total) return nothing;
    const s = this.#s;
    const f = this.#f;
    const summary = v.settled
      ? v.failed
        ? s.counts(v.completed, v.failed)
        : s.allUploaded(v.total)
      : s.done(v.completed + v.failed, v.total);
    const rate = this.#rate;
    const percent = f.percent(v.percent);
    return html`<div part="overall" class="overall">
        <div class="line">
          <span part="summary">${summary}</span>
          ${
            !v.settled && rate
              ? html`<span part="rate" class="rate"
                  ><span>${f.rate(rate)}</span>
                  <span>${s.eta(f.duration(v.remainingBytes / rate))}</span></span
                >`
              : nothing
          }
        </div>
        ${progressBar(v.percent, s.overall, s.valueText(percent, summary), '', 'overall-bar overall-indicator')}
      </div>
      <ul part="rows" class="rows" role="list">
        ${v.ids.map((id, i) => this.#row(id, v.entries[i], i))}
      </ul>`;
  }

  #row(id: string, entry: UploadEntry | undefined, i: number): TemplateResult {
    const cached = entry && this.#rows.get(entry);
    if (cached?.[0] === i) return cached[1];
    const s = this.#s;
    const f = this.#f;
    const progress = entry?.progress;
    const status: RowStatus =
      progress?.status ??
      (entry?.phase === 'transferring'
        ? entry.paused
          ? 'paused'
          : 'sending'
        : !entry || entry.connection === 'waiting' || entry.connection === 'idle'
          ? 'waiting'
          : 'connecting');
    // A file this page sent: one figure across sending and processing, so it never goes back.
    const value =
      status === 'completed' ? 100 : (entry?.percentage ?? progress?.progress_percentage ?? 0);
    const percent = f.percent(value);
    const word = s[status === 'uploading' ? 'processing' : status];
    const line =
      status === 'uploading' || status === 'sending' || status === 'paused'
        ? s.statusPercent(word, percent)
        : status === 'failed'
          ? s.statusReason(word, visibleText(progress?.error || s.unknownError))
          : word;
    const name = visibleText(entry?.filename || id);
    const size = entry?.totalBytes ?? null;
    const statusId = `status-${i}`;
    // Pause, resume or retry a file this page sends (see controlUpload()).
    const key = entry?.uploadId;
    const action = key && (entry.phase !== 'done' || status === 'failed') && uploadAction(key);
    const row = html`<li part="row ${status}" class="row" data-status=${status}>
      <span part="icon" class="icon" aria-hidden="true"></span>
      <span part="filename" class="name" title=${name}><bdi>${name}</bdi></span>
      <span part="size" class="size"
        >${size === null ? nothing : s.size(f.bytes(doneBytes(entry!)), f.bytes(size))}</span
      >
      ${progressBar(
        value,
        name,
        s.valueText(percent, word),
        status === 'failed' ? statusId : '',
        'bar indicator',
      )}
      <span part="status" class="status" id=${statusId}>${line}</span>
      ${
        action
          ? html`<button
              part="action ${action}"
              class="action"
              type="button"
              aria-label=${s.action(s[action], name)}
              @click=${() => controlUpload(key, action)}
            >
              ${s[action]}
            </button>`
          : nothing
      }
    </li>`;
    if (entry) this.#rows.set(entry, [i, row]);
    return row;
  }

  /** Collects files that just settled, and the moment all did, into the next announcement. */
  #milestones(): void {
    const v = this.#view;
    const s = this.#s;
    v.ids.forEach((id, i) => {
      const progress = v.entries[i]?.progress;
      const state = progress && progress.status !== 'uploading' ? progress.status : '';
      const before = this.#seen.get(id);
      if (before === state) return;
      this.#seen.set(id, state);
      if (before !== '') return;
      const name = visibleText(v.entries[i]!.filename || id);
      const batch = this.#open();
      if (state === 'completed') batch.uploaded.push(name);
      else batch.failed.push([name, visibleText(progress!.error || s.unknownError)]);
    });
    if (v.total && v.settled && this.#wasSettled === false) {
      this.#open().summary = v.failed ? s.counts(v.completed, v.failed) : s.allUploaded(v.total);
    }
    this.#wasSettled = v.total ? v.settled : undefined;
  }

  #open(): Batch {
    this.#batchTimer ??= setTimeout(() => this.#flush(), BATCH_MS);
    return (this.#batch ??= {uploaded: [], failed: [], summary: ''});
  }

  #flush(): void {
    clearTimeout(this.#batchTimer);
    this.#batchTimer = undefined;
    const batch = this.#batch;
    this.#batch = undefined;
    if (!batch) return;
    const s = this.#s;
    const {uploaded, failed, summary} = batch;
    const failures =
      failed.length > 3 ? [] : failed.map(([name, reason]) => s.fileFailed(name, reason));
    const parts = summary
      ? [...failures, summary]
      : uploaded.length + failed.length > 3
        ? [s.counts(uploaded.length, failed.length)]
        : [...uploaded.map((name) => s.fileUploaded(name)), ...failures];
    announce(parts.join('. '));
  }
}
