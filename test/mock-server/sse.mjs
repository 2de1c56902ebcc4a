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
 * A numeric `Last-Event-ID` header (the mock's ids are sequence numbers), else undefined.
 * @param {string | string[] | undefined} header
 * @returns {number | undefined}
 */
export function parseLastEventId(header) {
  const text = Array.isArray(header) ? header[0] : header;
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  return Number(text.trim());
}

/**
 * Answers 200 with an event stream's headers, sent at once and unbuffered.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {Record<string, string>} headers Extra response headers (CORS).
 */
export function openEventStream(req, res, headers) {
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
}

/**
 * @typedef {object} StreamOptions
 * @property {import('node:http').IncomingMessage} req
 * @property {import('node:http').ServerResponse} res
 * @property {Record<string, string>} headers Extra response headers (CORS).
 * @property {Session} session
 * @property {SessionStore} store
 * @property {Switches} switches This connection's switches.
 * @property {number} attempt Which progress request for this upload this is (1-based).
 */

/**
 * Streams one session's progress: the current state first, then every change, and ends
 * after a terminal message.
 *
 * @param {StreamOptions} options
 * @returns {{end(): void}} `end()` closes the stream from the server's side.
 */
export function streamProgress({req, res, headers, session, store, switches, attempt}) {
  const eol = switches.crlf ? '\r\n' : '\n';
  /** @type {ReturnType<typeof setInterval> | undefined} */
  let heartbeat;
  /** @type {ReturnType<typeof setTimeout>[]} */
  const timers = [];
  /** @type {() => void} */
  let unsubscribe = () => {};
  // A proxy gone idle: nothing more is written, the connection stays open.
  let stalled = false;
  // Heartbeats only, for a while: progress is held back (the latest one is kept).
  /** @type {[UploadProgress, number] | null | undefined} */
  let held = switches.silentFirstMs > 0 ? null : undefined;
  let sent = 0;
  // Byte-at-a-time writing: what is still to go, and whether the stream ends after it.
  /** @type {Buffer[]} */
  const drip = [];
  let dripping = false;
  let endAfterDrip = false;

  const cleanUp = () => {
    clearInterval(heartbeat);
    for (const timer of timers) clearTimeout(timer);
    unsubscribe();
  };
  const end = () => {
    if (dripping) {
      endAfterDrip = true;
      return;
    }
    cleanUp();
    if (!res.writableEnded) res.end();
  };
  res.on('close', cleanUp);
  /** @param {() => void} fn @param {number} ms */
  const later = (fn, ms) => timers.push(setTimeout(fn, ms));

  openEventStream(req, res, headers);

  const pump = () => {
    const next = drip.shift();
    if (next === undefined || res.writableEnded || res.destroyed) {
      dripping = false;
      if (endAfterDrip) end();
      return;
    }
    res.write(next);
    later(pump, switches.dripMs);
  };
  /** @param {string} text */
  const write = (text) => {
    if (stalled || res.writableEnded || res.destroyed) return;
    if (switches.dripMs > 0) {
      for (const byte of Buffer.from(text)) drip.push(Buffer.from([byte]));
      if (!dripping) {
        dripping = true;
        pump();
      }
    } else {
      res.write(text);
    }
  };
  /**
   * @param {UploadProgress} progress
   * @param {number} version
   */
  const send = (progress, version) => {
    if (stalled) return;
    if (held !== undefined) {
      held = [progress, version];
      return;
    }
    let data = JSON.stringify(toWire(progress, switches.nullFields));
    if (switches.absurdNumbers && !isTerminal(progress.status)) {
      // Numbers no JSON encoder would write, but a parser still reads (1e999 is Infinity).
      data = data
        .replace(/"progress_percentage":[^,}]+/, '"progress_percentage":1e999')
        .replace(/"uploaded_bytes":[^,}]+/, '"uploaded_bytes":-42');
    }
    let block = '';
    if (switches.ids) block += `id: ${version}${eol}`;
    if (!switches.unnamedEvents) block += `event: progress${eol}`;
    block += `data: ${data}${eol}${eol}`;
    sent++;
    if (switches.malformedEvery > 0 && sent % switches.malformedEvery === 0) {
      block += `event: progress${eol}data: {"upload_id": ${JSON.stringify(progress.upload_id)}, "status": "upl${eol}${eol}`;
    }
    write(block);
    if (isTerminal(progress.status)) end();
  };

  if (switches.retryMs > 0) write(`retry: ${Math.round(switches.retryMs)}${eol}${eol}`);
  if (switches.oversizedFirstBytes > 0 && attempt === 1) {
    write(`event: progress${eol}data: ${'x'.repeat(switches.oversizedFirstBytes)}${eol}${eol}`);
  }
  if (held !== undefined) {
    later(() => {
      const pending = held;
      held = undefined;
      if (pending) send(...pending);
    }, switches.silentFirstMs);
  }

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
    later(() => {
      if (switches.cutHard) {
        cleanUp();
        res.destroy();
      } else {
        dripping = false;
        end();
      }
    }, switches.cutAfterMs);
  }
  if (switches.stallAfterMs > 0) {
    later(() => {
      stalled = true;
      clearInterval(heartbeat);
    }, switches.stallAfterMs);
  }
  return {end};
}
