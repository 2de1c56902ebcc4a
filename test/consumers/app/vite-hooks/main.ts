// Only the hooks: the bundle must not carry the elements (package.json `sideEffects`).
import {useMultiUploadProgress} from 'upload-progress/react';

console.log(useMultiUploadProgress.name);
