import {UploadProgressList} from './upload-progress-list.component.js';
import {warmFormatsWhenIdle} from '../shared/formats.js';

export * from './upload-progress-list.component.js';
export default UploadProgressList;

if (!customElements.get('upload-progress-list')) {
  warmFormatsWhenIdle();
  customElements.define('upload-progress-list', UploadProgressList);
}

declare global {
  interface HTMLElementTagNameMap {
    'upload-progress-list': UploadProgressList;
  }
}
