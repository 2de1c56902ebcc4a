export {useUploadProgress} from './use-upload-progress.js';
export {useMultiUploadProgress} from './use-multi-upload-progress.js';
export type {MultiUploadProgress, MultiUploadProgressOptions} from './use-multi-upload-progress.js';
export {UploadProgressModal} from './upload-progress-modal.js';
export type {UploadProgressModalProps} from './upload-progress-modal.js';
export type {TrackedUpload} from '../../src/index.js';
