import {DestroyRef, inject, signal, type Injector, type Signal} from '@angular/core';
import {followInput} from './follow-input.js';
import {
  UploadProgressStream,
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
 * while the id is `null`), then the latest {@link UploadProgress}.
 *
 * The id may be a signal (an `input()`, say) or a function of signals: when it changes,
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
  uploadId: string | null | (() => string | null),
  options: InjectUploadProgressOptions = {},
): Signal<UploadProgress | null> {
  const {injector, ...streamOptions} = options;
  const progress = signal<UploadProgress | null>(null);
  let current: string | null | undefined;
  let stop: (() => void) | undefined;
  const connect = (id: string | null) => {
    if (id === current) return;
    current = id;
    stop?.();
    stop = undefined;
    progress.set(null);
    if (!id) return;
    const stream = new UploadProgressStream(id, streamOptions);
    const unsubscribe = stream.subscribe((value) => value && progress.set(value));
    stop = () => {
      unsubscribe();
      stream.close();
    };
  };
  (injector?.get(DestroyRef) ?? inject(DestroyRef)).onDestroy(() => connect(null));
  followInput(uploadId, connect, injector);
  return progress.asReadonly();
}
