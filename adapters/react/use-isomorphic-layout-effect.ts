import {useEffect, useLayoutEffect} from 'react';

/**
 * `useLayoutEffect` in the browser, `useEffect` on the server: neither runs there, but React
 * 18 warns "useLayoutEffect does nothing on the server" at every server render of the
 * former. `typeof document` reads nothing of the page; it only asks whether there is one.
 */
export const useIsomorphicLayoutEffect =
  typeof document === 'undefined' ? useEffect : useLayoutEffect;
