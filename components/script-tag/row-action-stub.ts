// The script-tag build only (rollup.config.mjs): stands in for
// components/upload-progress-list/row-action.ts, which rides in the uploading sibling
// (./uploading.ts): rows show no action button until the sending code that makes one is there.
export {};
