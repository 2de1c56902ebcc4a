import {LitElement} from 'lit';
import {property} from 'lit/decorators.js';
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
export class UploadProgressBar extends LitElement {
  static override styles = styles;

  /** Progress, 0..100; out-of-range values are clamped and NaN counts as 0. */
  @property({type: Number}) value = 0;

  /** The accessible name, for example the filename. Never the percentage. */
  @property() label = '';

  /** Optional `aria-valuetext`, the value in words ("45%, processing"). */
  @property() valuetext = '';

  /** Progress unknown: no `aria-valuenow`, a moving indicator (a still one under reduced motion). */
  @property({type: Boolean, reflect: true}) indeterminate = false;

  override render() {
    return progressBar(this.indeterminate ? null : this.value, this.label, this.valuetext);
  }
}
