import {css} from 'lit';
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
