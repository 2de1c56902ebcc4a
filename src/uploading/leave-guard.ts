// The `beforeunload` guard: leaving the page while files still have bytes to send asks first.
// Only upload-files.ts uses it, so the script tag loads it late with the sending code.

/** Files with bytes still to send, across tasks: while any, leaving the page asks first. */
let unsent = 0;
const askFirst = (event: Event) => {
  event.preventDefault();
  // Older browsers ask only when returnValue is set.
  (event as BeforeUnloadEvent).returnValue = '';
};
/** Counts files starting (`+1`) or ending (`-1`) a transfer, across tasks. */
export function sending(delta: number): void {
  const before = unsent;
  unsent += delta;
  const g = globalThis as unknown as Partial<
    Pick<Window, 'addEventListener' | 'removeEventListener'>
  >;
  if (typeof g.addEventListener !== 'function') return;
  if (!before && unsent) g.addEventListener('beforeunload', askFirst);
  else if (before && !unsent) g.removeEventListener!('beforeunload', askFirst);
}
