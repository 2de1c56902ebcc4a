import {UploadProgressBar} from './upload-progress-bar.component.js';
import {warmFormatsWhenIdle} from '../shared/formats.js';

export * from './upload-progress-bar.component.js';
export default UploadProgressBar;

if (!customElements.get('upload-progress-bar')) {
  warmFormatsWhenIdle();
  customElements.define('upload-progress-bar', UploadProgressBar);
}

declare global {
  interface HTMLElementTagNameMap {
    'upload-progress-bar': UploadProgressBar;
  }
}
