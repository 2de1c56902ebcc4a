import '../upload-progress-list/upload-progress-list.js';
import {define} from '../shared/base-element.js';
import {UploadProgressModal} from './upload-progress-modal.component.js';

export * from './upload-progress-modal.component.js';
export default UploadProgressModal;

define('upload-progress-modal', UploadProgressModal);

declare global {
  interface HTMLElementTagNameMap {
    'upload-progress-modal': UploadProgressModal;
  }
}
