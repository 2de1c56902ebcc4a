import '../upload-progress-list/upload-progress-list.js';
import {UploadProgressModal} from './upload-progress-modal.component.js';

export * from './upload-progress-modal.component.js';
export default UploadProgressModal;

// Server rendering has no registry: the classes load, nothing is defined.
if (globalThis.customElements && !customElements.get('upload-progress-modal')) {
  customElements.define('upload-progress-modal', UploadProgressModal);
}

declare global {
  interface HTMLElementTagNameMap {
    'upload-progress-modal': UploadProgressModal;
  }
}
