// The script-tag build only (rollup.config.mjs): stands in for src/uploading/upload-files.ts,
// whose code (and what only it needs: the multipart body, the request, the rows' action
// buttons) sits in the sibling file upload-progress.uploading.min.js (./uploading.ts), loaded
// on the first call from beside the script.
// Pages that only follow uploads never download it.
import {UploadProgressError} from '../../src/errors.js';
import {getUploadProgressManager} from '../../src/manager/upload-progress-manager.js';
import {claimResumed, HANDED} from '../../src/uploading/upload-persistence.js';
import {controlsLoaded, taskControls} from './transfer-controls-stub.js';
import type * as UploadFiles from './uploading.js';

let loaded: typeof UploadFiles | undefined;
let loading: Promise<typeof UploadFiles> | undefined;

/** Loads the sibling file once; a failed load is tried again on the next call. */
function load(): Promise<typeof UploadFiles> {
  loading ??= import('./uploading.js').then(
    (module) => {
      controlsLoaded(module);
      return (loaded = module);
    },
    (error: unknown) => {
      loading = undefined;
      throw new UploadProgressError(
        'upload-network',
        `Could not load upload-progress.uploading.min.js (beside this script): ${String(error)}`,
        {uploadId: '', cause: error},
      );
    },
  );
  return loading;
}

/**
 * `uploadFiles()` of the script tag. Once the sibling is there, the real one. Before, the
 * same promise with the same `keys` at once: the files are checked and tracked here, so rows
 * show them from the call (at 0 % until the sending code arrives), and the real one, once
 * loaded, sends them under these keys (handed over in its `HANDED` option, see
 * src/uploading/upload-persistence.ts). test/node/e2e-script-tag.test.ts proves the hand-over
 * through the built script, so a change to how uploadFiles() tracks its files shows there.
 */
export const uploadFiles: typeof UploadFiles.uploadFiles = (files, options = {}) => {
  if (loaded) return loaded.uploadFiles(files, options);
  // Taken now: the caller may clear the file input once this returns.
  const list = Array.from(files as ArrayLike<Blob>);
  list.forEach((file, i) => {
    if (!(file instanceof Blob)) {
      throw new TypeError(
        `uploadFiles() takes files (File or Blob); item ${i} is ${String(file)}.`,
      );
    }
  });
  const manager = options.manager ?? getUploadProgressManager();
  // A resumable file a reload interrupted goes on in its row (see resumeUploads()): claimed
  // here, as the real one would, before its row is handed over.
  const resumed = list.map(
    (file) => options.tus && claimResumed(options.tus.fingerprint(file), manager),
  );
  const fresh = manager.trackTransfers(
    list
      .filter((_, i) => !resumed[i])
      .map((file) => ({
        filename: typeof File === 'function' && file instanceof File ? file.name : 'blob',
        total_bytes: file.size,
      })),
  );
  const handles = resumed.map((handle) => handle || fresh.shift()!);
  const task = load()
    .then((module) =>
      module.uploadFiles(list, {...options, manager, [HANDED]: handles} as typeof options),
    )
    .catch((error: unknown) => {
      // A bad option, or no sending code: the rows say why instead of waiting forever.
      for (const handle of handles) handle.fail(String((error as Error)?.message ?? error));
      throw error;
    });
  const keys = Object.freeze(handles.map((handle) => handle.key));
  // Pause, resume, retry and throttle act on the keys once the sending code has them.
  return Object.assign(task, {keys}, taskControls(keys, !!options.tus));
};
