export {injectUploadProgress} from './inject-upload-progress.js';
export type {InjectUploadProgressOptions} from './inject-upload-progress.js';
export {injectMultiUploadProgress} from './inject-multi-upload-progress.js';
export type {
  InjectMultiUploadProgressOptions,
  MultiUploadProgress,
} from './inject-multi-upload-progress.js';
export type {TrackedUpload} from '../../src/index.js';
