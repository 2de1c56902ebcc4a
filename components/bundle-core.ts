// The core-only script-tag build (dist/upload-progress.core.min.js): every export of the core
// on `window.UploadProgress`, no elements and no Lit. For pages whose Content-Security-Policy
// requires Trusted Types without allowing Lit's `lit-html` policy: there the full bundle
// cannot load, and this one still follows uploads (docs/core.md, "Hostile servers").
import * as core from '../src/index.js';

(globalThis as typeof globalThis & {UploadProgress: unknown}).UploadProgress = {...core};
