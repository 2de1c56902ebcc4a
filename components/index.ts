export {UploadProgressBar} from './upload-progress-bar/upload-progress-bar.js';
export {UploadProgressList} from './upload-progress-list/upload-progress-list.js';
export {UploadProgressModal} from './upload-progress-modal/upload-progress-modal.js';
export type {
  UploadProgressModalCloseDetail,
  UploadProgressModalCloseReason,
  UploadProgressModalEventMap,
} from './upload-progress-modal/upload-progress-modal.js';
export {defaultStrings} from './shared/strings.js';
export type {UploadProgressStrings} from './shared/strings.js';
export type {ManagerLike, UploadIds} from './shared/manager-controller.js';
export type {UploadProgressListFilter} from './upload-progress-list/upload-progress-list.js';
