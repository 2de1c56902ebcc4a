import {getCurrentInstance, onMounted} from 'vue';

/**
 * Runs `start` on the client only. In a component it waits for `onMounted`, which never
 * runs on the server (`renderToString` would otherwise open connections nothing closes)
 * and keeps the first client render equal to the server's, for hydration. Outside a
 * component (an `effectScope`) there is nothing to mount: it starts at once.
 */
export function onClient(start: () => void): void {
  if (getCurrentInstance()) onMounted(start);
  else start();
}
