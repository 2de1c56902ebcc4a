// Angular 21: the injectors, with names and sizes.
import {signal, type Injector} from '@angular/core';
import {
  injectMultiUploadProgress,
  injectUploadProgress,
  type TrackedUpload,
} from 'upload-progress/angular';

export function follow(injector: Injector) {
  const uploads = signal<TrackedUpload[]>([{upload_id: 'a', filename: 'a.zip', total_bytes: 1}]);
  const many = injectMultiUploadProgress(uploads, {injector});
  const one = injectUploadProgress(() => uploads()[0] ?? null, {injector});
  const percent: number = many.overallPercentage();
  return `${percent} ${one()?.status ?? 'waiting'}`;
}
