import {html, nothing, type TemplateResult} from 'lit-html';
import {BaseElement, type PropertyValues} from '../shared/base-element.js';
import {
  getUploadProgressManager,
  type UploadEntry,
  type UploadProgressSnapshot,
} from '../../src/index.js';
import {liveRegion} from '../shared/announcer.js';
import {formats, warmFormats} from '../shared/formats.js';
import {
  ManagerController,
  idsOf,
  uploadIdsConverter,
  type ManagerLike,
  type UploadIds,
} from '../shared/manager-controller.js';
import {Milestones} from '../shared/milestones.js';
import {defaultStrings, type UploadProgressStrings} from '../shared/strings.js';
import {Summarizer, type UploadsSummary} from '../shared/summarize.js';
import {keyTarget} from './keys.js';
import {overall, type UploadProgressListFilter} from './overall.js';
import {row, rowExtras, type RowContext} from './row.js';
import {RowWindow} from './row-window.js';
import styles from './upload-progress-list.styles.js';

export type {UploadProgressListFilter};

/** The position of the row `node` is in (0-based), or -1. */
const rowAt = (node: EventTarget | null): number =>
  Number((node as HTMLElement).closest('[aria-posinset]')?.getAttribute('aria-posinset')) - 1;

/**
 * The rows of a set of uploads, inline in the page: per upload its filename, size, status in
 * words and a progress bar; above them, always in view, the overall progress, the counts by
 * status and a "Failed (N)" filter. Milestones (a file completed or failed, all done) are
 * announced through one live region in the light DOM, at most one message a second.
 *
 * Only the rows in view (plus a small margin) exist in the DOM, whatever the number of
 * uploads; each carries `aria-posinset`/`aria-setsize`. Arrow keys, Page Up/Down, Home, End
 * and Tab move the focus through every upload, rendering it as needed; a focused row stays
 * rendered while it is scrolled away. The rows scroll inside the element, up to
 * `--upload-progress-list-height`.
 *
 * @example
 * <upload-progress-list upload-ids="a1 b2"></upload-progress-list>
 * list.uploadIds = (await response.json()).upload_ids;
 *
 * @csspart overall - The overall section (stays in view while the rows scroll).
 * @csspart summary - "3 of 5 done", or the summary once all settled.
 * @csspart rate - Speed and time left, while known.
 * @csspart overall-bar - The overall progress bar's track.
 * @csspart overall-indicator - The overall progress bar's filled part.
 * @csspart counts - The counts by status ("In progress 12 · Completed 40 · Failed 3").
 * @csspart filter - The group of filter buttons, shown while some upload failed.
 * @csspart filter-button - Each filter button; the one in effect also has the part `filter-button-active`.
 * @csspart rows - The scrolling area of the rows.
 * @csspart row - One upload; also carries its status as a part: `sending`, `paused`, `waiting`, `connecting`, `uploading`, `completed` or `failed` (`::part(row failed)`).
 * @csspart icon - The status icon (decorative; the status is also in words).
 * @csspart filename - The filename, truncated with an ellipsis; the full name is its `title`.
 * @csspart size - "1.2 MB of 5 MB".
 * @csspart status - The status in words, with the error of a failed upload (long ones clamped to 3 lines).
 * @csspart more - The "Read more" / "Read less" button of a long failure reason.
 * @csspart action - A row's Pause, Resume or Retry button (files this page sends; Enter on the row presses it); also `pause`, `resume` or `retry`.
 * @csspart bar - A row's progress bar track.
 * @csspart indicator - A row's progress bar filled part.
 *
 * @cssproperty --upload-progress-list-height - Most the rows take before they scroll. Default `24rem` (`none` in the modal, which sizes to the screen).
 * @cssproperty --upload-progress-bar-height - Height of the bars. Default `0.5rem`.
 * @cssproperty --upload-progress-bar-color - Color of the bars' filled part. Default `#3b82f6`.
 * @cssproperty --upload-progress-track-color - Color of the bars' track. Default: the text color at 18%.
 * @cssproperty --upload-progress-radius - Corner radius of the bars. Default `999px`.
 * @cssproperty --upload-progress-success-color - Completed icon and bar. Default `#16a34a`.
 * @cssproperty --upload-progress-error-color - Failed icon and bar. Default `#dc2626`.
 * @cssproperty --upload-progress-border-color - Lines between rows, filter button borders. Default: the text color at 15%.
 * @cssproperty --upload-progress-filter-background - The filter button in effect. Default: the text color at 12%.
 * @cssproperty --upload-progress-filter-radius - Corner radius of the filter buttons. Default `999px`.
 */
export class UploadProgressList extends BaseElement {
  static override styles = styles;

  static override properties = {
    uploadIds: {attribute: 'upload-ids', converter: uploadIdsConverter},
    manager: {attribute: false},
    strings: {attribute: false},
    locale: {},
    filter: {reflect: true},
  };

  /**
   * The uploads to show, in this order; setting them tracks them on the manager. Takes what
   * `manager.track()` takes: ids, or `{upload_id, filename, total_bytes}` objects (the rows
   * show the names before the first record). `null` shows every upload the manager tracks.
   * The `upload-ids` attribute takes ids, whitespace separated.
   */
  uploadIds: UploadIds = null;

  /** The manager to read from (anything with its `track`, `subscribe`, `getSnapshot`). */
  manager: ManagerLike = getUploadProgressManager();

  /** Texts, merged over the English defaults. */
  strings: Partial<UploadProgressStrings> = {};

  /** The locale for numbers and bytes. Default: the document's `lang`, else the browser's. */
  locale?: string;

  /** `failed` shows only the failed uploads (the "Failed (N)" button sets it). */
  filter: UploadProgressListFilter = 'all';

  #c!: RowContext;
  #ids: readonly string[] | null = null;
  #summarizer = new Summarizer();
  #milestones = new Milestones();
  #snapshot!: UploadProgressSnapshot;
  #view!: UploadsSummary;
  /** The rows shown: every id, or the failed ones. */
  #shown: readonly string[] = [];
  #failedCount: number | undefined;
  #failedOf: readonly string[] | undefined;
  /** Ids whose long failure reason is unfolded (shown ids only). */
  #open = new Set<string>();
  /**
   * Rendered rows by entry, with what else they depend on: an unchanged row costs nothing.
   * Made anew when the ids, the strings or the locale change (the first update too).
   */
  #rows!: WeakMap<UploadEntry, [string, TemplateResult]>;
  /** The row Tab enters on and arrows move from (roving focus), by id and by position. */
  #active: string | undefined;
  #activeAt = -1;
  #refocus: boolean | undefined;
  /** The rows in the DOM: those in view, each in its place (the first update reshapes it). */
  #window = new RowWindow(this, (i, top, active) => this.#row(i, top, active));

  constructor() {
    super();
    new ManagerController(this);
  }

  /** Entries kept for ids (tests check they follow what is shown). @internal */
  get _retained(): number {
    return this.#milestones.size + this.#window.size + this.#open.size + this.#shown.length;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    liveRegion();
    warmFormats(this.locale);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#milestones.flush();
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('uploadIds')) {
      this.#ids = idsOf(this.uploadIds);
      this.#rows = new WeakMap();
    }
    if ((changed.has('uploadIds') || changed.has('manager')) && this.uploadIds?.length)
      this.manager.track(this.uploadIds);
    if (changed.has('strings') || changed.has('locale') || !this.#c) {
      this.#c = {
        s: {...defaultStrings, ...this.strings},
        f: formats(this.locale),
      };
      this.#rows = new WeakMap();
    }
    const snapshot = (this.#snapshot = this.manager.getSnapshot());
    const v = (this.#view = this.#summarizer.view(snapshot, this.#ids));
    this.#milestones.update(snapshot, v, this.#c.s);
    let shown = v.ids;
    if (this.filter === 'failed') {
      // Failed is final: the list changes only when the count or the ids do (the same ids
      // array means the same total).
      shown =
        this.#failedCount === v.failed && this.#failedOf === v.ids && this.#shown !== v.ids
          ? this.#shown
          : v.ids.filter((id) => snapshot.uploads.get(id)?.progress?.status === 'failed');
      this.#failedCount = v.failed;
      this.#failedOf = v.ids;
    }
    if (shown !== this.#shown) this.#reshape(shown);
  }

  /** A new set of rows: state carried over for ids still shown, the rest dropped. */
  #reshape(shown: readonly string[]): void {
    const focused = (this.renderRoot as ShadowRoot).activeElement?.closest('.rows');
    this.#shown = shown;
    this.#open = new Set(shown.filter((id) => this.#open.has(id)));
    this.#window.reshape(shown);
    const at = this.#active === undefined ? -1 : shown.indexOf(this.#active);
    if (at < 0 && this.#active !== undefined) {
      // The focused upload left the rows: the one now in its place takes the focus.
      const next = Math.min(this.#activeAt, shown.length - 1);
      this.#active = shown[next];
      this.#activeAt = next;
      this.#refocus = !!focused;
    } else {
      this.#activeAt = at;
    }
  }

  override render() {
    const v = this.#view;
    if (!v.total) return nothing;
    const {s, f} = this.#c;
    return html`${overall(v, s, f, this.#snapshot.bytesPerSecond, this.filter, (to) => (this.filter = to))}
      <div
        part="rows"
        class="rows"
        @scroll=${this.#window}
        @keydown=${this.#onKey}
        @click=${this.#onClick}
        @focusin=${this.#onFocus}
      >
        <div role="list" class="items" style=${this.#window.place(this.#activeAt)}></div>
      </div>`;
  }

  /** Row `i`'s template, unless its upload and what else it shows are unchanged. */
  #row(i: number, top: number | null, active: boolean): TemplateResult {
    const id = this.#shown[i]!;
    const entry = this.#snapshot.uploads.get(id);
    const open = this.#open.has(id);
    const size = this.#shown.length;
    const key = `${i} ${size} ${active} ${open} ${top}`;
    const cached = entry && this.#rows.get(entry);
    if (cached?.[0] === key) return cached[1];
    const template = row(id, entry, i, size, this.#c, active, open, top);
    if (entry) this.#rows.set(entry, [key, template]);
    return template;
  }

  protected override updated(): void {
    this.#window.update(this.renderRoot.querySelector('.items'), this.#open);
    if (this.#refocus) {
      this.#refocus = false;
      void this.#window.focus(this.#activeAt);
    }
  }

  // Event handlers are methods: Lit calls them with the element as `this`.
  #onFocus(event: FocusEvent): void {
    const i = rowAt(event.target);
    if (i < 0) return;
    this.#activeAt = i;
    this.#active = this.#shown[i];
  }

  #onClick(event: Event): void {
    const target = event.target as HTMLElement;
    const i = rowAt(target);
    if (i < 0) return;
    if (target.closest('.more')) this.#toggle(i);
    rowExtras.press?.(event, this.#shown[i]!, false);
  }

  #toggle(i: number): void {
    const id = this.#shown[i]!;
    if (!this.#open.delete(id)) this.#open.add(id);
    this.requestUpdate();
  }

  #onKey(event: KeyboardEvent): void {
    const target = event.target as HTMLElement;
    // Keys act on a focused row, not on its buttons.
    const i = Number(target.getAttribute('aria-posinset')) - 1;
    if (i < 0) return;
    const n = this.#shown.length;
    // Enter presses the row's Pause, Resume or Retry button; Space too, unless it has a long
    // reason to open.
    const more = !!target.querySelector('.more');
    if (rowExtras.press?.(event, this.#shown[i]!, more)) return;
    const to = keyTarget(event, i, n, more);
    if (to === undefined) return;
    event.preventDefault();
    if (to === 'toggle') return this.#toggle(i);
    // The roving focus moves there: that row scrolled into view, rendered and focused.
    this.#activeAt = Math.max(0, Math.min(n - 1, to));
    this.#active = this.#shown[this.#activeAt];
    void this.#window.focus(this.#activeAt);
  }
}
