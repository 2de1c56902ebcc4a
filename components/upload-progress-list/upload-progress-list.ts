// The rows' Pause/Resume/Retry buttons (the script tag loads them with the sending code).
import './row-action.js';
import {UploadProgressList} from './upload-progress-list.component.js';
import {warmFormatsWhenIdle} from '../shared/formats.js';

export * from './upload-progress-list.component.js';
export default UploadProgressList;

// Server rendering has no registry: the classes load, nothing is defined.
if (globalThis.customElements && !customElements.get('upload-progress-list')) {
  warmFormatsWhenIdle();
  customElements.define('upload-progress-list', UploadProgressList);
}

declare global {
  interface HTMLElementTagNameMap {
    'upload-progress-list': UploadProgressList;
  }
}
