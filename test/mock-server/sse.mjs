// One progress stream: `text/event-stream` written as the seed's FastAPI endpoint does
// (`event: progress`, one JSON `data:` line, blank line), with switches for what other
// servers and proxies do. Format: https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation

import {isTerminal} from './sessions.mjs';

/** @typedef {import('./switches.mjs').Switches} Switches */
/** @typedef {import('./sessions.mjs').Session} Session */
/** @typedef {import('./sessions.mjs').SessionStore} SessionStore */
/** @typedef {import('./sessions.mjs').UploadProgress} UploadProgress */

/**
 * @param {UploadProgress} progress
 * @param {boolean} nullFields
 */
function toWire(progress, nullFields) {
  if (nullFields) return progress;
  /** @type {Partial<UploadProgress>} */
  const out = {};
  for (const [key, value] of Object.entries(progress)) {
    if (value !== null) Object.assign(out, {[key]: value});
  }
  return out;
}

/**
 * @param {string | string[] | undefined} header
 * @returns {number | undefined}
 */
function parseLastEventId(header) {
  const text = Array.isArray(header) ? header[0] : header;
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  return Number(text.trim());
}

/**
 * @typedef {object} StreamOptions
 * @property {import('node:http').IncomingMessage} req
 * @property {import('node:http').ServerResponse} res
 * @property {Record<string, string>} headers Extra response headers (CORS).
 * @property {Session} session
 * @property {SessionStore} store
 * @property {Switches} switches This connection's switches.
 */

/**
 * Streams one session's progress: the current state first, then every change, and ends
 * after a terminal message.
 *
 * @param {StreamOptions} options
 * @returns {{end(): void}} `end()` closes the stream from the server's side.
 */
export function streamProgress({req, res, headers, session, store, switches}) {
  const eol = switches.crlf ? '\r\n' : '\n';
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let heartbeat;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let cut;
  /** @type {() => void} */
  let unsubscribe = () => {};

  const cleanUp = () => {
    clearInterval(heartbeat);
    clearTimeout(cut);
    unsubscribe();
  };
  const end = () => {
    cleanUp();
    if (!res.writableEnded) res.end();
  };
  res.on('close', cleanUp);

  res.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    // Tells nginx-style proxies not to buffer the stream.
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  req.socket.setNoDelay(true);

  /** @param {string} text */
  const write = (text) => {
    if (!res.writableEnded && !res.destroyed) res.write(text);
  };
  /**
   * @param {UploadProgress} progress
   * @param {number} version
   */
  const send = (progress, version) => {
    let block = '';
    if (switches.ids) block += `id: ${version}${eol}`;
    if (!switches.unnamedEvents) block += `event: progress${eol}`;
    block += `data: ${JSON.stringify(toWire(progress, switches.nullFields))}${eol}${eol}`;
    write(block);
    if (isTerminal(progress.status)) end();
  };

  if (switches.retryMs > 0) write(`retry: ${Math.round(switches.retryMs)}${eol}${eol}`);

  // With ids, a client that reconnects with the id of the state it already has resumes
  // after it; an older (or unknown) id gets the current state. A finished upload always
  // gets its terminal message, so a client can never miss how it ended.
  const lastEventId = switches.ids ? parseLastEventId(req.headers['last-event-id']) : undefined;
  const upToDate = lastEventId === session.version && !isTerminal(session.progress.status);
  if (!upToDate) send(session.progress, session.version);
  if (res.writableEnded) return {end};

  unsubscribe = store.subscribe(session, send);
  if (switches.heartbeatMs > 0) {
    heartbeat = setInterval(() => write(`: ping${eol}${eol}`), switches.heartbeatMs);
  }
  if (switches.cutAfterMs > 0) {
    cut = setTimeout(() => {
      if (switches.cutHard) {
        cleanUp();
        res.destroy();
      } else {
        end();
      }
    }, switches.cutAfterMs);
  }
  return {end};
}
