import {html, nothing, type TemplateResult} from 'lit-html';
import {css} from './base-element.js';

/** 0..100; NaN and other junk become 0. */
export const clamp = (value: number): number => Math.min(100, Math.max(0, Number(value) || 0));

/**
 * One progress bar: the template behind `<upload-progress-bar>` and the rows of the list,
 * so there is one implementation of the ARIA. `aria-valuenow` is an integer and floored,
 * so a bar never says 100 before it is. The fill is scaled with `transform`, never resized:
 * a thousand moving bars then cost the compositor, not layout.
 *
 * @param value 0..100, or `null` for indeterminate
 * @param label the accessible name (a filename, never the percentage)
 * @param parts the `part` names of the track and of the indicator
 */
export function progressBar(
  value: number | null,
  label: string,
  valueText = '',
  describedBy = '',
  parts = 'base indicator',
): TemplateResult {
  const [base, indicator] = parts.split(' ');
  const v = value === null ? null : clamp(value);
  return html`<div
    part=${base!}
    class="bar"
    role="progressbar"
    aria-label=${label || nothing}
    aria-valuemin="0"
    aria-valuemax="100"
    aria-valuenow=${v === null ? nothing : Math.floor(v)}
    aria-valuetext=${valueText || nothing}
    aria-describedby=${describedBy || nothing}
  >
    <div
      part=${indicator!}
      class="indicator"
      .style=${v === null ? '' : `transform:scaleX(${v / 100})`}
    ></div>
  </div>`;
}

/** Styles of {@link progressBar}. */
export const progressBarStyles = css`
  .bar {
    box-sizing: border-box;
    block-size: var(--upload-progress-bar-height, 0.5rem);
    border-radius: var(--upload-progress-radius, 999px);
    background: var(
      --upload-progress-track-color,
      color-mix(in srgb, currentColor 18%, transparent)
    );
    overflow: hidden;
  }
  .indicator {
    block-size: 100%;
    background: var(--upload-progress-bar-color, #3b82f6);
    transform-origin: left;
    transition: transform 0.2s ease-out;
  }
  .indicator:dir(rtl) {
    transform-origin: right;
  }
  .bar:not([aria-valuenow]) .indicator {
    inline-size: 40%;
    border-radius: inherit;
    animation: upload-progress-indeterminate 1.5s linear infinite;
  }
  @keyframes upload-progress-indeterminate {
    from {
      transform: translateX(-100%);
    }
    to {
      transform: translateX(250%);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .indicator {
      transition: none;
    }
    .bar:not([aria-valuenow]) .indicator {
      animation: none;
      inline-size: 100%;
      opacity: 0.4;
    }
  }
  @media (forced-colors: active) {
    .bar {
      border: 1px solid CanvasText;
    }
    .indicator {
      forced-color-adjust: none;
      background: Highlight;
    }
  }
`;
