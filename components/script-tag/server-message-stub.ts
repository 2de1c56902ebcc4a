// The script-tag build only (rollup.config.mjs): stands in for src/transport/server-message.ts,
// which reads the server's own words from a refused progress request (a failure path), from
// the sibling file upload-progress.server-message.min.js. Loaded on the first such answer; the
// failure waits for it as it waits for the body. If it cannot be loaded, the reason is given
// without the server's words (the HTTP status is still in it).
import type * as ServerMessage from '../../src/transport/server-message.js';

let loading: Promise<typeof ServerMessage> | undefined;

/** `readServerMessage()` of the script tag: the real one once its sibling is loaded. */
export const readServerMessage: typeof ServerMessage.readServerMessage = (response, timeoutMs) =>
  (loading ??= import('../../src/transport/server-message.js')).then(
    (module) => module.readServerMessage(response, timeoutMs),
    () => {
      loading = undefined; // tried again on the next failure
      void response.body?.cancel().catch(() => undefined);
      return undefined;
    },
  );
