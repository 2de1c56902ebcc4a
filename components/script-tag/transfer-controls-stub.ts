// The script-tag build only (rollup.config.mjs): stands in for
// src/uploading/transfer-controls.ts, which rides in the uploading sibling with the sending
// code. Only that code registers files that can be paused, resumed or retried, so until it is
// there no key has an action, as with the real module: these answer `false` and `null`, and
// forward to the real one once ./upload-files-stub.ts has loaded it.
import type * as Controls from '../../src/uploading/transfer-controls.js';

/** What the sibling brings (it registers the files; this file needs only these). */
type Real = Pick<typeof Controls, 'controlUpload' | 'uploadAction' | 'taskControls'>;

let real: Real | undefined;

/** Called by ./upload-files-stub.ts once the sibling is there. */
export const controlsLoaded = (module: Real): void => {
  real = module;
};

/** `controlUpload()` of the script tag (see src/uploading/transfer-controls.ts). */
export const controlUpload: typeof Controls.controlUpload = (key, action) =>
  real?.controlUpload(key, action) ?? false;

/** `uploadAction()` of the script tag (see src/uploading/transfer-controls.ts). */
export const uploadAction: typeof Controls.uploadAction = (key) => real?.uploadAction(key) ?? null;

/** `taskControls()` of the script tag: the real ones once the sibling is there. */
export const taskControls: typeof Controls.taskControls = (keys, resumable) => {
  const act = (action: 'pause' | 'resume' | 'retry') => (key?: string) =>
    real?.taskControls(keys, resumable)[action](key) ?? false;
  return {
    pause: act('pause'),
    resume: act('resume'),
    retry: act('retry'),
    throttle(rate, key) {
      if (!resumable) throw new TypeError('throttle() needs the tus option.');
      real?.taskControls(keys, resumable).throttle(rate, key);
    },
  };
};
