/**
 * Where a key pressed on row `i` of `n` moves the focus: arrows by one, Home and End to the
 * ends, Tab and Shift+Tab by one (`undefined` past either end: Tab then leaves the list as
 * usual); `'toggle'` for Enter or Space on a row with a long reason; `undefined` for any
 * other key.
 */
export function keyTarget(
  event: KeyboardEvent,
  i: number,
  n: number,
  foldable: boolean,
): number | 'toggle' | undefined {
  const key = event.key;
  const to =
    key === 'ArrowDown' || (key === 'Tab' && !event.shiftKey)
      ? i + 1
      : key === 'ArrowUp' || key === 'Tab'
        ? i - 1
        : key === 'Home'
          ? 0
          : key === 'End'
            ? n - 1
            : undefined;
  if (to !== undefined) return key === 'Tab' && (to < 0 || to >= n) ? undefined : to;
  return foldable && (key === 'Enter' || key === ' ') ? 'toggle' : undefined;
}
