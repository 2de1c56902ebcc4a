/**
 * Where a key pressed on row `i` of `n` moves the focus: arrows by one, Page Down and Page Up
 * by ten (one to two views of the list at its default height), Home and End to the ends,
 * Tab and Shift+Tab by one (`undefined` past either end: Tab then leaves the list as usual);
 * `'toggle'` for Enter or Space on a row with a long reason; `undefined` for any other key.
 */
export function keyTarget(
  event: KeyboardEvent,
  i: number,
  n: number,
  foldable: boolean,
): number | 'toggle' | undefined {
  const key = event.key;
  // No prototype: a key is never read as an inherited name.
  const to = {
    __proto__: null,
    ArrowDown: i + 1,
    ArrowUp: i - 1,
    PageDown: i + 10,
    PageUp: i - 10,
    Home: 0,
    End: n - 1,
    Tab: event.shiftKey ? i - 1 : i + 1,
  }[key] as number | undefined;
  if (to !== undefined) return key === 'Tab' && (to < 0 || to >= n) ? undefined : to;
  return foldable && (key === 'Enter' || key === ' ') ? 'toggle' : undefined;
}
