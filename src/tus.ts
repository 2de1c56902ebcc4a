// `upload-progress/tus`: resumable uploads over tus 1.0 (tus-js-client is an optional peer
// dependency). Apart from the core entry so that pages which never send resumably carry none
// of it.
export {DEFAULT_TUS_ENDPOINT, PROCESSING_ID_HEADER, tusTransfer} from './uploading/tus-transfer.js';
export type {
  TusPreviousUpload,
  TusTransferOptions,
  TusUpload,
  TusUploadClass,
} from './uploading/tus-transfer.js';
export type {
  ResumableFailure,
  ResumableJob,
  ResumableRun,
  ResumableTransfer,
} from './uploading/resumable.js';
