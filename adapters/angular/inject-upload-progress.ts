import {DestroyRef, inject, signal, type Injector, type Signal} from '@angular/core';
import {followInput} from './follow-input.js';
import {onServer} from './on-server.js';
import {
  UploadProgressStream,
  type TrackedUpload,
  type UploadProgress,
  type UploadProgressStreamOptions,
} from '../../src/index.js';

/** Options of {@link injectUploadProgress}. */
export interface InjectUploadProgressOptions extends UploadProgressStreamOptions {
  /** To call it outside an injection context (a constructor or a field initializer). */
  injector?: Injector;
}

/**
 * The live progress of one upload, as a signal: `null` until its first record arrives (and
 * while the upload is `null`), then the latest {@link UploadProgress}. Takes an id, or
 * `{upload_id, filename, total_bytes}` (what `manager.track()` takes). On the server it
 * connects nothing.
 *
 * The upload may be a signal (an `input()`, say) or a function of signals: when it changes,
 * the old stream closes and a new one opens. Everything closes when the injector's
 * `DestroyRef` is destroyed (the component, directive or service that called it).
 *
 * @example
 * export class UploadRow {
 *   readonly uploadId = input.required<string>();
 *   readonly progress = injectUploadProgress(this.uploadId);
 * }
 */
export function injectUploadProgress(
  upload: TrackedUpload | null | (() => TrackedUpload | null),
  options: InjectUploadProgressOptions = {},
): Signal<UploadProgress | null> {
  const {injector, ...streamOptions} = options;
  const progress = signal<UploadProgress | null>(null);
  let current: string | null | undefined;
  let stop: (() => void) | undefined;
  const connect = (value: TrackedUpload | null) => {
    const id = typeof value === 'string' ? value : (value?.upload_id ?? null);
    // Only a new id reconnects: an equal object, or the same id, keeps the stream.
    if (id === current) return;
    current = id;
    stop?.();
    stop = undefined;
    progress.set(null);
    if (!id) return;
    const known = typeof value === 'object' && value ? value : undefined;
    const stream = new UploadProgressStream(id, {
      ...streamOptions,
      known: streamOptions.known ?? known,
    });
    const unsubscribe = stream.subscribe((record) => record && progress.set(record));
    stop = () => {
      unsubscribe();
      stream.close();
    };
  };
  (injector?.get(DestroyRef) ?? inject(DestroyRef)).onDestroy(() => connect(null));
  if (!onServer(injector)) followInput(upload, connect, injector);
  return progress.asReadonly();
}
