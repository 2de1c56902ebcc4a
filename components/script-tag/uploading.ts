// The script-tag build only (rollup.config.mjs): what the sibling file
// upload-progress.uploading.min.js holds, loaded by ./upload-files-stub.ts on the first
// uploadFiles() call: the sending code, and the rows' Pause/Resume/Retry buttons, which only
// files sent by that code can have (the rest of the script gets ./row-action-stub.ts).
import '../upload-progress-list/row-action.js';

export {uploadFiles} from '../../src/uploading/upload-files.js';
export {controlUpload, uploadAction, taskControls} from '../../src/uploading/transfer-controls.js';
