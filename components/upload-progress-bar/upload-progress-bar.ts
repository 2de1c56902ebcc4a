import {define} from '../shared/base-element.js';
import {UploadProgressBar} from './upload-progress-bar.component.js';

export * from './upload-progress-bar.component.js';
export default UploadProgressBar;

define('upload-progress-bar', UploadProgressBar);

declare global {
  interface HTMLElementTagNameMap {
    'upload-progress-bar': UploadProgressBar;
  }
}
