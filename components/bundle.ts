// The script-tag build (dist/upload-progress.min.js): defines the elements and puts every
// export of the core and the element classes on `window.UploadProgress`. In this build
// `uploadFiles` (which `modal.upload()` calls) is ./script-tag/upload-files-stub.ts (see
// rollup.config.mjs): its sending code loads on first use.
import * as core from '../src/index.js';
import * as elements from './index.js';

(globalThis as typeof globalThis & {UploadProgress: unknown}).UploadProgress = {
  ...core,
  ...elements,
};
