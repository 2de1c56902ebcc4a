// The rows' Pause/Resume/Retry buttons (the script tag loads them with the sending code).
import './row-action.js';
import {define} from '../shared/base-element.js';
import {UploadProgressList} from './upload-progress-list.component.js';
import {warmFormatsWhenIdle} from '../shared/formats.js';

export * from './upload-progress-list.component.js';
export default UploadProgressList;

define('upload-progress-list', UploadProgressList);
warmFormatsWhenIdle();

declare global {
  interface HTMLElementTagNameMap {
    'upload-progress-list': UploadProgressList;
  }
}
