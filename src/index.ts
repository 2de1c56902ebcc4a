export {UploadProgressStream} from './stream/upload-progress-stream.js';
export type {
  UploadProgressStreamEventMap,
  UploadProgressStreamOptions,
} from './stream/upload-progress-stream.js';
export {
  UploadProgressManager,
  getUploadProgressManager,
} from './manager/upload-progress-manager.js';
export type {UploadProgressManagerOptions} from './manager/upload-progress-manager.js';
export {uploadFiles} from './uploading/upload-files.js';
export type {UploadFilesOptions, UploadTask} from './uploading/upload-files.js';
export {controlUpload, uploadAction} from './uploading/transfer-controls.js';
export type {UploadAction} from './uploading/transfer-controls.js';
export {persistUploads, resumeUploads} from './uploading/upload-persistence.js';
export type {PersistOptions, ResumeOptions, UploadStorage} from './uploading/upload-persistence.js';
export type {
  ResumableFailure,
  ResumableJob,
  ResumableRun,
  ResumableTransfer,
} from './uploading/resumable.js';
export {UploadProgressError} from './errors.js';
export type {UploadProgressErrorKind, UploadProgressErrorDetails} from './errors.js';
export {ConnectionBudget, getSharedConnectionBudget} from './budget/connection-budget.js';
export type {ConnectionTicket} from './budget/connection-budget.js';
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
export type {AdvancedOptions} from './stream/resolve-options.js';
