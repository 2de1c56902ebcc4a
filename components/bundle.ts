// Placeholder entry for the script-tag build; the lead will replace it.
import * as core from '../src/index.js';
import '../components/index.js';

(globalThis as typeof globalThis & {UploadProgress: unknown}).UploadProgress = {...core};
