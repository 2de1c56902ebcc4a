// The script-tag build only (rollup.config.mjs): stands in for src/uploading/upload-files.ts,
// whose code (and what only it needs: the multipart body, the request) sits in the sibling
// file upload-progress.uploading.min.js, loaded on the first call from beside the script.
// Pages that only follow uploads never download it.
import {UploadProgressError} from '../../src/errors.js';
import type * as UploadFiles from '../../src/uploading/upload-files.js';

let loaded: typeof UploadFiles | undefined;
let loading: Promise<typeof UploadFiles> | undefined;

/** Loads the sibling file once; a failed load is tried again on the next call. */
export function loadUploading(): Promise<typeof UploadFiles> {
  loading ??= import('../../src/uploading/upload-files.js').then(
    (module) => (loaded = module),
    (error: unknown) => {
      loading = undefined;
      throw new UploadProgressError(
        'upload-network',
        `Could not load upload-progress.uploading.min.js, which must sit beside upload-progress.min.js: ${String(error)}`,
        {uploadId: '', cause: error},
      );
    },
  );
  return loading;
}

/** Whether the sibling is there: calls are then forwarded at once. */
export const uploadingLoaded = (): boolean => loaded !== undefined;

/**
 * `uploadFiles()` of the script tag: the real one once the sibling is loaded (its task has
 * `keys` at once); before that, a promise of the same ids that starts the upload as soon as
 * the sibling arrives (without `keys`: `modal.upload()` shows the rows either way).
 */
export const uploadFiles: typeof UploadFiles.uploadFiles = (files, options) => {
  if (loaded) return loaded.uploadFiles(files, options);
  // Taken now: the caller may clear the file input once this returns.
  const list = Array.from(files as ArrayLike<Blob>);
  return loadUploading().then((m) => m.uploadFiles(list, options)) as UploadFiles.UploadTask;
};
