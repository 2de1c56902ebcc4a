import {css} from 'lit';
import {progressBarStyles} from '../shared/progress-bar.js';

// Rows out of view skip layout and paint (content-visibility): a thousand rows stay cheap.
export default [
  progressBarStyles,
  css`
    :host {
      display: block;
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
    .rows {
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .row {
      display: grid;
      grid-template-columns: auto minmax(0, 1fr) auto;
      align-items: center;
      gap: 0.25rem 0.5rem;
      padding-block: 0.625rem;
      border-block-start: 1px solid var(--_line);
      content-visibility: auto;
      contain-intrinsic-size: auto 4.5rem;
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
    .icon {
      inline-size: 1.25em;
      text-align: center;
      font-weight: 700;
    }
    .icon::before {
      content: '\\2022';
    }
    [data-status='sending'] .icon::before,
    [data-status='uploading'] .icon::before {
      content: '\\2191';
    }
    [data-status='completed'] .icon {
      color: var(--_ok);
    }
    [data-status='completed'] .icon::before {
      content: '\\2713';
    }
    [data-status='completed'] .indicator {
      background: var(--upload-progress-bar-color, var(--_ok));
    }
    [data-status='failed'] .icon {
      color: var(--_error);
    }
    [data-status='failed'] .icon::before {
      content: '\\2715';
    }
    [data-status='failed'] .indicator {
      background: var(--_error);
    }
    [data-status='failed'] .status {
      font-weight: 600;
    }
    @media (forced-colors: active) {
      [data-status='failed'] .indicator {
        background: Mark;
      }
    }
    .action {
      grid-column: 1 / -1;
      justify-self: start;
      font: inherit;
      font-size: 0.875em;
      padding: 0.125rem 0.625rem;
      border: 1px solid currentColor;
      border-radius: 999px;
      background: none;
      color: inherit;
      cursor: pointer;
    }
  `,
];
