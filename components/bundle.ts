// The script-tag build (dist/upload-progress.min.js): defines the elements and puts every
// export of the core and the element classes on `window.UploadProgress`. In this build
// `uploadFiles` is ./script-tag/upload-files-stub.ts (see rollup.config.mjs), so the sending
// code loads on first use; `modal.upload()` waits for it the first time too.
import * as core from '../src/index.js';
import * as elements from './index.js';
import {loadUploading, uploadingLoaded} from './script-tag/upload-files-stub.js';

const {upload} = elements.UploadProgressModal.prototype;
elements.UploadProgressModal.prototype.upload = function (
  this: elements.UploadProgressModal,
  files,
  options,
) {
  if (uploadingLoaded()) return upload.call(this, files, options);
  const list = Array.from(files as ArrayLike<Blob>);
  return loadUploading().then(() => upload.call(this, list, options)) as ReturnType<typeof upload>;
};

(globalThis as typeof globalThis & {UploadProgress: unknown}).UploadProgress = {
  ...core,
  ...elements,
};
