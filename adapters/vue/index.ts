export {useUploadProgress} from './use-upload-progress.js';
export {useMultiUploadProgress} from './use-multi-upload-progress.js';
export type {MultiUploadProgress, MultiUploadProgressOptions} from './use-multi-upload-progress.js';
export type {TrackedUpload} from '../../src/index.js';
export type {} from './global-components.js';
