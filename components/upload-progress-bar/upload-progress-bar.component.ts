import {BaseElement} from '../shared/base-element.js';
import {progressBar} from '../shared/progress-bar.js';
import styles from './upload-progress-bar.styles.js';

/**
 * One accessible progress bar, usable alone: `role="progressbar"` with an integer
 * `aria-valuenow` (floored, so it says 100 only at 100), min 0, max 100, and your label as
 * its accessible name.
 *
 * @example
 * <upload-progress-bar value="45" label="report.pdf" valuetext="45%, processing"></upload-progress-bar>
 *
 * @csspart base - The track; carries `role="progressbar"` and the ARIA values.
 * @csspart indicator - The filled part.
 *
 * @cssproperty --upload-progress-bar-height - Height of the bar. Default `0.5rem`.
 * @cssproperty --upload-progress-bar-color - Color of the filled part. Default `#3b82f6`.
 * @cssproperty --upload-progress-track-color - Color of the track. Default: the text color at 18%.
 * @cssproperty --upload-progress-radius - Corner radius. Default `999px`.
 */
export class UploadProgressBar extends BaseElement {
  static override styles = styles;

  static override properties = {
    value: {type: Number},
    label: {},
    valuetext: {},
    indeterminate: {type: Boolean, reflect: true},
  };

  /** Progress, 0..100; out-of-range values are clamped and NaN counts as 0. */
  value = 0;

  /** The accessible name, for example the filename. Never the percentage. */
  label = '';

  /** Optional `aria-valuetext`, the value in words ("45%, processing"). */
  valuetext = '';

  /** Progress unknown: no `aria-valuenow`, a moving indicator (a still one under reduced motion). */
  indeterminate = false;

  override render() {
    return progressBar(this.indeterminate ? null : this.value, this.label, this.valuetext);
  }
}
