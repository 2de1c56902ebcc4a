// The script-tag file for resumable uploads (dist/upload-progress.tus.min.js): tus-js-client
// and tusTransfer() in one classic script, loaded after upload-progress.min.js, so pages that
// never send resumably do not download it. It adds `tusTransfer` (with tus-js-client's
// `Upload` already given) to `window.UploadProgress`.
import {Upload} from 'tus-js-client';
import {tusTransfer, type TusTransferOptions} from './tus-transfer.js';

const page = globalThis as typeof globalThis & {UploadProgress?: Record<string, unknown>};
page.UploadProgress = Object.assign(page.UploadProgress ?? {}, {
  tusTransfer: (options: Partial<TusTransferOptions> = {}) => tusTransfer({Upload, ...options}),
});
