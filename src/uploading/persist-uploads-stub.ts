// The script-tag build only (rollup.config.mjs, `lazy`): stands in for ./persist-uploads.ts,
// whose code sits in the sibling file upload-progress.persistence.min.js, loaded on the first
// call (`uploadFiles(files, {persist: true})`, `resumeUploads()` with something to resume, or
// the page's own call). Nothing waits for it: it only writes sessionStorage as uploads move,
// and starts from the manager's snapshot of the moment it arrives. Best effort, as storage is:
// if it cannot be loaded, nothing is remembered, and the next call tries again.
import type * as Persist from './persist-uploads.js';

let loading: Promise<typeof Persist> | undefined;

/** `persistUploads()` of the script tag: the real one once its sibling is loaded. */
export const persistUploads: typeof Persist.persistUploads = (keys, options) => {
  let stopped = false;
  let stop: (() => void) | undefined;
  (loading ??= import('./persist-uploads.js')).then(
    (module) => {
      if (!stopped) stop = module.persistUploads(keys, options);
    },
    () => {
      loading = undefined;
    },
  );
  return () => {
    stopped = true;
    stop?.();
  };
};
