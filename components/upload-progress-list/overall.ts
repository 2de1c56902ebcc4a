import {html, nothing, type TemplateResult} from 'lit-html';
import type {Formats} from '../shared/formats.js';
import {progressBar} from '../shared/progress-bar.js';
import type {UploadProgressStrings} from '../shared/strings.js';
import {settledSummary, type UploadsSummary} from '../shared/summarize.js';

/** Which rows the list shows. */
export type UploadProgressListFilter = 'all' | 'failed';

/**
 * The part above the rows, always in view: the summary, speed and time left, the overall bar,
 * the counts by status and, once something failed, the "All (N)" / "Failed (N)" filter.
 */
export function overall(
  v: UploadsSummary,
  s: UploadProgressStrings,
  f: Formats,
  rate: number | null,
  shown: UploadProgressListFilter,
  choose: (filter: UploadProgressListFilter) => void,
): TemplateResult {
  const summary = v.allSettled ? settledSummary(v, s) : s.done(v.completed + v.failed, v.total);
  const counts = (
    [
      [s.inProgress, v.total - v.completed - v.failed - v.waiting],
      [s.waiting, v.waiting],
      [s.completed, v.completed],
      [s.failed, v.failed],
    ] as const
  )
    .filter(([, n]) => n)
    .map(([word, n]) => s.count(word, n))
    .join(' · ');
  const button = (to: UploadProgressListFilter, label: string) =>
    html`<button
      part=${shown === to ? 'filter-button filter-button-active' : 'filter-button'}
      type="button"
      aria-pressed=${shown === to}
      @click=${() => choose(to)}
    >
      ${label}
    </button>`;
  return html`<div part="overall" class="overall">
    <div class="line">
      <span part="summary">${summary}</span>
      ${
        // The speed alone while the time left is unknown (uploads still wait their turn).
        !v.allSettled && rate
          ? html`<span part="rate" class="rate"
              ><span>${f.rate(rate)}</span>${
                v.etaSeconds === null
                  ? nothing
                  : html` <span>${s.eta(f.duration(v.etaSeconds))}</span>`
              }</span
            >`
          : nothing
      }
    </div>
    ${progressBar(v.overallPercentage, s.overall, s.valueText(f.percent(v.overallPercentage), summary), '', 'overall-bar overall-indicator')}
    ${
      v.total > 1 || v.failed
        ? html`<div class="line">
            <span part="counts">${counts}</span>
            ${
              v.failed || shown !== 'all'
                ? html`<div part="filter" role="group" aria-label=${s.filter}>
                    ${button('all', s.showAll(v.total))} ${button('failed', s.showFailed(v.failed))}
                  </div>`
                : nothing
            }
          </div>`
        : nothing
    }
  </div>`;
}
