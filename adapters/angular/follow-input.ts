import {effect, untracked, type Injector} from '@angular/core';

/**
 * Applies an input now, or, when it is a getter (a signal, say), every time it changes.
 * `apply` runs untracked: only the input is a dependency, and it may write signals (which
 * effects may not do in Angular 17).
 */
export function followInput<T>(
  input: T | (() => T),
  apply: (value: T) => void,
  injector: Injector | undefined,
): void {
  if (typeof input !== 'function') {
    apply(input);
    return;
  }
  const read = input as () => T;
  effect(
    () => {
      const value = read();
      untracked(() => apply(value));
    },
    {injector},
  );
}
