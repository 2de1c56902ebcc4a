// The optional endpoint for many uploads in one stream (CONTRACT.md, "Many uploads in one
// stream"): `GET /api/files/progress?ids=<id>,<id>,…`. Off unless the server's `multiplex`
// option (or the request's `multiplex=1` query) turns it on, so clients are tested against
// servers with and without it; off, it answers 404 as the seed's FastAPI app does.
//
// `id:` fields are one store-wide change counter (each session remembers the counter at its
// last change), so `Last-Event-ID` means "every change up to there" for any set of ids: a
// client resuming with fewer ids (the settled ones dropped) is served correctly.

import {isTerminal} from './sessions.mjs';
import {openEventStream, parseLastEventId} from './sse.mjs';

/** @typedef {import('./sessions.mjs').SessionStore} SessionStore */
/** @typedef {import('./sessions.mjs').Session} Session */
/** @typedef {import('./sessions.mjs').UploadProgress} UploadProgress */

export const MULTIPLEX_PATH = '/api/files/progress';

/**
 * The ids of a multiplexed request, read from the raw query (each id URL-encoded, the list
 * comma-separated: decoding the whole value first would split ids that contain a comma).
 *
 * @param {string} rawUrl `req.url`
 * @returns {string[] | null} null when there is no `ids` parameter
 */
export function parseIds(rawUrl) {
  const query = rawUrl.split('?')[1] ?? '';
  const param = query.split('&').find((part) => part.startsWith('ids='));
  if (param === undefined) return null;
  const ids = [];
  for (const raw of param.slice(4).split(',')) {
    if (raw === '') continue;
    try {
      ids.push(decodeURIComponent(raw));
    } catch {
      ids.push(raw);
    }
  }
  return [...new Set(ids)];
}

/**
 * @typedef {object} MultiplexOptions
 * @property {import('node:http').IncomingMessage} req
 * @property {import('node:http').ServerResponse} res
 * @property {Record<string, string>} headers Extra response headers (CORS).
 * @property {string[]} ids
 * @property {SessionStore} store
 * @property {{crlf: boolean, heartbeatMs: number, cutAfterMs: number, cutHard: boolean, eventIds: boolean}} switches
 */

/**
 * Streams the progress of many uploads: for each id its current state (or one
 * `event: missing`), then every change, each record naming its `upload_id`; ends once every
 * id is terminal or missing. With `Last-Event-ID`, only what changed since is sent (and the
 * terminal record of a finished upload, always).
 *
 * @param {MultiplexOptions} options
 * @returns {{end(): void}}
 */
export function streamMultiplexed({req, res, headers, ids, store, switches}) {
  const eol = switches.crlf ? '\r\n' : '\n';
  /** @type {(() => void)[]} */
  const cleanups = [];
  const cleanUp = () => {
    for (const fn of cleanups.splice(0)) fn();
  };
  const end = () => {
    cleanUp();
    if (!res.writableEnded) res.end();
  };
  res.on('close', cleanUp);

  openEventStream(req, res, headers);

  /** @param {string} text */
  const write = (text) => {
    if (!res.writableEnded && !res.destroyed) res.write(text);
  };
  /** Ids still to end. */
  const open = new Set();
  /** @param {UploadProgress} progress @param {number} seq */
  const send = (progress, seq) => {
    const id = switches.eventIds ? `id: ${seq}${eol}` : '';
    write(`${id}event: progress${eol}data: ${JSON.stringify(progress)}${eol}${eol}`);
    if (isTerminal(progress.status)) {
      open.delete(progress.upload_id);
      if (open.size === 0) end();
    }
  };

  const since = switches.eventIds ? parseLastEventId(req.headers['last-event-id']) : undefined;
  /** @type {Session[]} */
  const first = [];
  for (const id of ids) {
    const session = store.get(id);
    if (!session) {
      const data = JSON.stringify({upload_id: id, detail: 'Upload not found'});
      write(`event: missing${eol}data: ${data}${eol}${eol}`);
      continue;
    }
    open.add(id);
    if (since === undefined || session.seq > since || isTerminal(session.progress.status)) {
      first.push(session);
    }
  }
  // In change order, so the last id the client saw covers everything before it.
  first.sort((a, b) => a.seq - b.seq);
  for (const session of [...open].map((id) => store.get(id))) {
    if (session && !isTerminal(session.progress.status)) {
      cleanups.push(store.subscribe(session, (progress) => send(progress, session.seq)));
    }
  }
  if (open.size === 0) {
    end();
    return {end};
  }
  for (const session of first) send(session.progress, session.seq);
  if (res.writableEnded) return {end};

  if (switches.heartbeatMs > 0) {
    const timer = setInterval(() => write(`: ping${eol}${eol}`), switches.heartbeatMs);
    cleanups.push(() => clearInterval(timer));
  }
  if (switches.cutAfterMs > 0) {
    const timer = setTimeout(() => {
      if (switches.cutHard) {
        cleanUp();
        res.destroy();
      } else end();
    }, switches.cutAfterMs);
    cleanups.push(() => clearTimeout(timer));
  }
  return {end};
}
