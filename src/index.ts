export {UploadProgressStream} from './upload-progress-stream.js';
export type {
  UploadProgressStreamEventMap,
  UploadProgressStreamOptions,
} from './upload-progress-stream.js';
export {UploadProgressManager, getUploadProgressManager} from './upload-progress-manager.js';
export type {UploadProgressManagerOptions} from './upload-progress-manager.js';
export {uploadFiles} from './upload-files.js';
export type {UploadFilesOptions, UploadTask} from './upload-files.js';
export {persistUploads, resumeUploads} from './upload-persistence.js';
export type {PersistOptions, ResumeOptions, UploadStorage} from './upload-persistence.js';
export {UploadProgressError} from './errors.js';
export type {UploadProgressErrorKind, UploadProgressErrorDetails} from './errors.js';
export {ConnectionBudget, getSharedConnectionBudget} from './connection-budget.js';
export type {ConnectionTicket} from './connection-budget.js';
export {ConnectionState} from './types.js';
export type {
  UploadStatus,
  UploadProgress,
  ProgressOptions,
  RetryOptions,
  HeadersOption,
  UploadEntry,
  UploadPhase,
  UploadProgressSnapshot,
  TrackedUpload,
  TransferHandle,
  TransferredFile,
} from './types.js';
export type {Clock} from './clock.js';
export type {AdvancedOptions} from './resolve-options.js';
