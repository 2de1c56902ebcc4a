import {css} from '../shared/base-element.js';
import {progressBarStyles} from '../shared/progress-bar.js';

export default [
  progressBarStyles,
  css`
    :host {
      display: block;
    }
    :host([hidden]) {
      display: none;
    }
  `,
];
