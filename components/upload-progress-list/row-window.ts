// Which of a list's rows exist in the DOM, and where. Apart from the element because it is a
// job of its own, a small virtualizer: the rows' heights (measured, carried over while an id
// stays shown), the scroll position and the height of the view, the rows rendered (those in
// view plus a margin, and the focused one), and the element of each. The element keeps what
// the rows show and the keys; this module only places them.
import {render, type TemplateResult} from 'lit-html';
import type {ReactiveController, ReactiveControllerHost} from '../shared/base-element.js';
import {RowHeights} from '../shared/row-heights.js';

/** Rows kept rendered beyond each edge of the view (px), so a quick scroll shows no gap. */
const MARGIN = 240;
/** Height of a row never measured, until one is (px). */
const ESTIMATE = 72;

/**
 * Row `i`'s template: `top` places a focused row kept rendered outside the window (else
 * `null`); `active` marks the one row Tab enters the list on.
 */
export type RowTemplate = (i: number, top: number | null, active: boolean) => TemplateResult;

/**
 * Renders only the rows of a long list that are in view (plus {@link MARGIN} each side), so a
 * frame costs the same for 10 rows or 30,000; padding stands in for the others. Rows differ
 * in height: each is measured once rendered, and again when its shape changes. The focused
 * row stays rendered, in its place, while it is scrolled away. Hooks into its host's
 * lifecycle and listens to the rows' `scroll` (bind it as `@scroll=${window}`).
 */
export class RowWindow implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #template: RowTemplate;
  /** The ids shown, by position (set by reshape()). */
  #shown!: readonly string[];
  /** Made by reshape(), which the host's first update runs. */
  #heights!: RowHeights;
  /** Rows never measured are sized by a guess, not by the mean of measured ones. */
  #guess!: boolean;
  /** Measured heights by id, for the ids shown only. */
  #measured = new Map<string, number>();
  /** Ids whose long failure reason is unfolded: part of a row's shape. */
  #open!: ReadonlySet<string>;
  #top = 0;
  #viewport = 600;
  #width = 0;
  /** The positions rendered (set by place() before any update reads it). */
  #window!: number[];
  /** The focused row when it is rendered outside the window, else -1. */
  #pinned!: number;
  /** The row Tab enters on: the focused one, else the first in view. */
  #entry!: number;
  #items: HTMLElement | null | undefined;
  /** The element of each rendered row, by id. */
  #els = new Map<string, HTMLElement>();
  #observed: HTMLElement | undefined;
  // Updated in the next task: from inside the observer, it would resize what it observes.
  #resize = new ResizeObserver(([entry]) => {
    const {width, height} = entry!.contentRect;
    // Another width wraps text differently: every row is measured again.
    if (width !== this.#width) this.#width = width;
    else if (!height || height === this.#viewport) return;
    this.#viewport = height || this.#viewport;
    setTimeout(() => this.#host.requestUpdate());
  });

  constructor(host: ReactiveControllerHost, template: RowTemplate) {
    this.#host = host;
    this.#template = template;
    host.addController(this);
  }

  /** Entries kept for ids (the host's `_retained`). */
  get size(): number {
    return this.#measured.size + this.#els.size;
  }

  hostDisconnected(): void {
    this.#resize.disconnect();
    // Observed again once connected: a list moved in the page follows its new height.
    this.#observed = undefined;
  }

  /** A new set of rows: heights carried over for ids still shown, the rest dropped. */
  reshape(shown: readonly string[]): void {
    const measured = new Map<string, number>();
    this.#guess = !this.#measured.size;
    const mean = this.#measured.size
      ? [...this.#measured.values()].reduce((a, b) => a + b) / this.#measured.size
      : ESTIMATE;
    const heights = shown.map((id) => {
      const height = this.#measured.get(id);
      if (height === undefined) return mean;
      measured.set(id, height);
      return height;
    });
    this.#shown = shown;
    this.#measured = measured;
    this.#heights = new RowHeights(heights);
  }

  /**
   * Chooses the rows to render, keeping row `active` (the focused one, or -1); returns the
   * padding standing in for the others.
   */
  place(active: number): string {
    const h = this.#heights;
    const n = h.length;
    const first = h.at(this.#top - MARGIN);
    const last = h.at(this.#top + this.#viewport + MARGIN);
    const window: number[] = [];
    // The focused row stays rendered outside the window, placed where it belongs.
    this.#pinned = active < first || active > last ? active : -1;
    this.#entry = active >= 0 ? active : h.at(this.#top);
    if (active >= 0 && active < first) window.push(active);
    for (let i = Math.max(first, 0); i <= last; i++) window.push(i);
    if (active > last) window.push(active);
    this.#window = n ? window : [];
    return `padding-block:${h.offset(first)}px ${h.offset(n) - h.offset(last + 1)}px`;
  }

  /**
   * After the host rendered: puts the rows place() chose into `items` (the host's `.items`,
   * `null` when it shows no rows), then measures them. `open`: ids unfolded.
   */
  update(items: HTMLElement | null, open: ReadonlySet<string>): void {
    this.#open = open;
    if (items !== this.#items) {
      this.#items = items;
      this.#els = new Map();
    }
    if (!items) return;
    this.#renderRows(items);
    const rows = items.parentElement!;
    if (rows !== this.#observed) this.#resize.observe((this.#observed = rows));
    // A new set's first rows are measured in the next task, not in this one: reading a
    // height lays the page out (10-20 ms the first time, on top of this update's own work,
    // with 10,000 ids). Their heights are the rows' own meanwhile; only the space standing in
    // for the rows not rendered is a guess.
    if (this.#guess) setTimeout(() => this.#items === items && this.#measure(rows));
    else this.#measure(rows);
  }

  /** The rows' `scroll` (an event listener object: lit-html calls `handleEvent`). */
  handleEvent(event: Event): void {
    this.#top = (event.currentTarget as HTMLElement).scrollTop;
    this.#host.requestUpdate();
  }

  /** Scrolls row `i` into view, renders it and focuses it. */
  async focus(i: number): Promise<void> {
    const rows = this.#items?.parentElement;
    if (!rows || i < 0) return;
    const y = this.#heights.offset(i);
    // The view's height as laid out now: the observer's figure comes with the next frame (a
    // page without frames yet, or in the background, still has the 600 px guess).
    const bottom = y + this.#heights.get(i) - (rows.clientHeight || this.#viewport);
    if (y < this.#top) rows.scrollTop = y;
    else if (bottom > this.#top) rows.scrollTop = bottom;
    this.#top = rows.scrollTop;
    this.#host.requestUpdate();
    await this.#host.updateComplete;
    (this.#els.get(this.#shown[i]!)?.firstElementChild as HTMLElement | null)?.focus({
      preventScroll: true,
    });
  }

  #measure(rows: HTMLElement): void {
    // Measure the rows that are new or changed shape (status, unfolded): a forced layout
    // per frame was the largest cost of the element. A row above the view that changed
    // height moves the view by as much, so what the user reads stays put.
    let shift = 0;
    let changed = false;
    for (const i of this.#window) {
      const id = this.#shown[i]!;
      const el = this.#els.get(id)! as HTMLElement & {_shape?: string};
      const row = el.firstElementChild as HTMLElement;
      const shape = row.part.value + this.#open.has(id) + this.#width;
      if (el._shape === shape && this.#measured.has(id)) continue;
      const height = row.offsetHeight;
      // Not laid out (the list left the page, or is hidden): measured once it is. A height
      // of 0 would make every row 0 high, and the next render build all of them.
      if (!height) continue;
      el._shape = shape;
      const before = this.#heights.get(i);
      if (this.#heights.set(i, height)) {
        changed = true;
        if (this.#heights.offset(i) < this.#top) shift += height - before;
      }
      this.#measured.set(id, height);
    }
    // The first rows measured replace the guess for all the others.
    if (this.#guess && changed) this.reshape(this.#shown);
    if (shift) rows.scrollTop = this.#top = this.#top + shift;
    // Once more with the heights measured, before the frame is painted (not from inside
    // this update, so its `updateComplete` settles first).
    if (changed) queueMicrotask(() => this.#host.requestUpdate());
  }

  /**
   * Puts the rows of the window into `items`, one element per upload kept while it stays in
   * the window: rows are added and removed at the edges, never moved, so a focused row keeps
   * its focus and an unchanged row costs nothing.
   */
  #renderRows(items: HTMLElement): void {
    const els = new Map<string, HTMLElement>();
    for (const i of this.#window) {
      const id = this.#shown[i]!;
      const el = this.#els.get(id) ?? document.createElement('div');
      render(
        this.#template(i, i === this.#pinned ? this.#heights.offset(i) : null, i === this.#entry),
        el,
      );
      els.set(id, el);
    }
    for (const [id, el] of this.#els) if (els.get(id) !== el) el.remove();
    let at = items.firstChild;
    for (const el of els.values()) {
      if (el === at) at = at.nextSibling;
      else items.insertBefore(el, at);
    }
    this.#els = els;
  }
}
