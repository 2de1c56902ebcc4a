import {css} from '../shared/base-element.js';
import {progressBarStyles} from '../shared/progress-bar.js';

// Only the rows in view exist (see the component): the rows scroll inside, the overall
// section above them stays in view.
export default [
  progressBarStyles,
  css`
    :host {
      display: flex;
      flex-direction: column;
      min-block-size: 0;
      --_ok: var(--upload-progress-success-color, #16a34a);
      --_error: var(--upload-progress-error-color, #dc2626);
      --_line: var(
        --upload-progress-border-color,
        color-mix(in srgb, currentColor 15%, transparent)
      );
    }
    :host([hidden]) {
      display: none;
    }
    .overall {
      display: grid;
      gap: 0.375rem;
      padding-block-end: 0.75rem;
    }
    .line {
      display: flex;
      flex-wrap: wrap;
      justify-content: space-between;
      gap: 0.25rem 1rem;
      font-size: 0.875em;
    }
    .rate {
      display: flex;
      gap: 0.75rem;
      font-variant-numeric: tabular-nums;
    }
    /* Targets of 24 px at least (WCAG 2.2 target size; they were 18 px), 44 px for a finger. */
    button {
      min-block-size: 24px;
      padding: 0 0.5em;
      border: 1px solid var(--_line);
      border-radius: var(--upload-progress-filter-radius, 999px);
      background: none;
      color: inherit;
      font: inherit;
      cursor: pointer;
    }
    @media (pointer: coarse) {
      button {
        min-block-size: 44px;
      }
    }
    [aria-pressed='true'] {
      background: var(
        --upload-progress-filter-background,
        color-mix(in srgb, currentColor 12%, transparent)
      );
      font-weight: 600;
    }
    .rows {
      flex: auto;
      min-block-size: 0;
      max-block-size: var(--upload-progress-list-height, 24rem);
      overflow: auto;
      overflow-anchor: none;
      overscroll-behavior: contain;
    }
    .items {
      position: relative;
    }
    .row {
      display: grid;
      grid-template-columns: auto minmax(0, 1fr) auto;
      align-items: center;
      gap: 0.25rem 0.5rem;
      padding-block: 0.625rem;
      border-block-start: 1px solid var(--_line);
      contain: content;
    }
    .row:focus-visible {
      outline: 2px solid;
      outline-offset: -2px;
    }
    .more,
    .action {
      grid-column: 1 / -1;
      justify-self: start;
    }
    .more {
      border: 0;
      text-decoration: underline;
    }
    /* Rows move by whole updates: a transition restarted on every update of every row cost
       a frame more (style and compositor commit) than rendering the rows did. */
    .row .indicator {
      transition: none;
    }
    .name {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      font-weight: 500;
    }
    .size {
      font-size: 0.8125em;
      white-space: nowrap;
      font-variant-numeric: tabular-nums;
    }
    .bar,
    .status {
      grid-column: 1 / -1;
    }
    .status {
      font-size: 0.875em;
      overflow-wrap: anywhere;
    }
    .clamp {
      display: -webkit-box;
      -webkit-box-orient: vertical;
      -webkit-line-clamp: 3;
      overflow: hidden;
    }
    .icon {
      inline-size: 1.25em;
      text-align: center;
      font-weight: 700;
    }
    .icon::before {
      content: '\\2022';
    }
    [part~='sending'] .icon::before,
    [part~='uploading'] .icon::before {
      content: '\\2191';
    }
    [part~='completed'] .icon {
      color: var(--_ok);
    }
    [part~='completed'] .icon::before {
      content: '\\2713';
    }
    [part~='completed'] .indicator {
      background: var(--upload-progress-bar-color, var(--_ok));
    }
    [part~='failed'] .icon {
      color: var(--_error);
    }
    [part~='failed'] .icon::before {
      content: '\\2715';
    }
    [part~='failed'] .indicator {
      background: var(--_error);
    }
    [part~='failed'] .status {
      font-weight: 600;
    }
    @media (forced-colors: active) {
      [part~='failed'] .indicator {
        background: Mark;
      }
    }
  `,
];
