import {UploadProgressBar} from './upload-progress-bar.component.js';

export * from './upload-progress-bar.component.js';
export default UploadProgressBar;

// Server rendering has no registry: the classes load, nothing is defined.
if (globalThis.customElements && !customElements.get('upload-progress-bar')) {
  customElements.define('upload-progress-bar', UploadProgressBar);
}

declare global {
  interface HTMLElementTagNameMap {
    'upload-progress-bar': UploadProgressBar;
  }
}
