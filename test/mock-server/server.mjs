// A thin, faithful Node version of the seed's FastAPI backend (README.md beside this
// file): a multipart upload answering `upload_ids`, and one SSE progress stream per
// upload. Plain node:http, no dependencies, so tests and the demo run it
// anywhere Node 20 runs.
//
//   node test/mock-server/server.mjs          # PORT (default 8080); MOCK='{"crlf":true}' sets switches

import http from 'node:http';
import {pathToFileURL} from 'node:url';
import {BodyError, readMultipart} from './multipart.mjs';
import {SessionStore} from './sessions.mjs';
import {streamProgress} from './sse.mjs';
import {MULTIPLEX_PATH, parseIds, streamMultiplexed} from './multiplex.mjs';
import {TUS_PATH, createTusBackend} from './tus.mjs';
import {
  DEFAULT_SWITCHES,
  SwitchError,
  parseMockField,
  parseQuerySwitches,
  validateSwitches,
  connectionSwitches,
} from './switches.mjs';

export {DEFAULT_SWITCHES} from './switches.mjs';

/** @typedef {import('./switches.mjs').Switches} Switches */
/** @typedef {import('./sessions.mjs').UploadProgress} UploadProgress */
/** @typedef {(req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>} Fallback */

/**
 * @typedef {Partial<Switches> & {
 *   port?: number,
 *   host?: string,
 *   maxUploadBytes?: number,
 *   fallback?: Fallback,
 * }} MockServerOptions
 */

/**
 * @typedef {object} RequestCounts
 * @property {number} total Every request.
 * @property {number} upload `POST /api/files/upload` requests, answered or not.
 * @property {number} progress `GET /api/files/progress/{id}` requests, whatever their answer.
 * @property {number} preflight CORS preflights.
 * @property {number} multiplex `GET /api/files/progress?ids=…` requests, whatever their answer.
 * @property {number} other Anything else (fallback, 404, 405).
 * @property {number} aborted Uploads whose client disconnected mid-body.
 */

/**
 * @typedef {object} MockServerStats
 * @property {number} openStreams Progress responses open right now.
 * @property {number} peakOpenStreams The most open at once since start or `reset()`.
 * @property {number} uploads Upload sessions created.
 * @property {number} sessions Sessions held now (not yet expired).
 * @property {RequestCounts} requests
 * @property {Record<string, number>} attempts Progress requests per upload id.
 * @property {import('./tus.mjs').TusStats} tus The tus endpoint's counters.
 */

const MIB = 1024 * 1024;
const PROGRESS_PATH = /^\/api\/files\/progress\/([^/]+)$/;
const UPLOAD_PATH = '/api/files/upload';

/**
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

/**
 * CORS as the seed configures Starlette's middleware (`allow_origins=["*"]`,
 * `allow_credentials=True`, methods and headers `*`). The origin is reflected because a
 * literal `*` is refused by browsers on credentialed requests.
 *
 * @param {http.IncomingMessage} req
 * @returns {Record<string, string>}
 */
function corsHeaders(req) {
  const origin = req.headers.origin;
  if (!origin) return {};
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    // Lets a cross-origin client honour Retry-After on 429/503.
    'access-control-expose-headers': 'Retry-After',
    vary: 'Origin',
  };
}

/**
 * @param {http.IncomingMessage} req
 * @param {http.ServerResponse} res
 */
function answerPreflight(req, res) {
  const requested = req.headers['access-control-request-headers'];
  res.writeHead(204, {
    'access-control-allow-origin': req.headers.origin ?? '*',
    'access-control-allow-credentials': 'true',
    'access-control-allow-methods': String(req.headers['access-control-request-method']),
    ...(requested ? {'access-control-allow-headers': requested} : {}),
    'access-control-max-age': '600',
    vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
  });
  res.end();
}

/** @returns {RequestCounts} */
function zeroCounts() {
  return {total: 0, upload: 0, progress: 0, preflight: 0, multiplex: 0, other: 0, aborted: 0};
}

/**
 * Starts the mock backend.
 *
 * @example
 * const server = await startMockServer({ stepMs: 10 });
 * const form = new FormData();
 * form.append('files', new File(['hello'], 'a.txt'));
 * form.append('mock', JSON.stringify({ fail: ['a.txt'] }));
 * const res = await fetch(`${server.url}/api/files/upload`, { method: 'POST', body: form });
 * await server.close();
 *
 * @param {MockServerOptions} [options] Listening options and server-wide default switches.
 */
export async function startMockServer(options = {}) {
  const {
    port = 0,
    host = '127.0.0.1',
    maxUploadBytes = 100 * MIB,
    fallback,
    multiplex = false,
    ...switchOptions
  } = options;
  let multiplexOn = multiplex;
  /** @type {Switches} */
  let defaults = {...DEFAULT_SWITCHES, ...validateSwitches(switchOptions)};
  const store = new SessionStore();
  const tus = createTusBackend({store, switches: () => defaults});
  /** @type {Set<{end(): void}>} */
  const streams = new Set();
  let counts = zeroCounts();
  /** @type {Map<string, number>} */
  let attempts = new Map();
  let openStreams = 0;
  let peakOpenStreams = 0;

  /**
   * @param {http.IncomingMessage} req
   * @param {http.ServerResponse} res
   */
  async function handleUpload(req, res) {
    counts.upload++;
    const cors = corsHeaders(req);
    if (!/^multipart\/form-data\b/i.test(req.headers['content-type'] ?? '')) {
      sendJson(
        res,
        415,
        {
          detail:
            'Content-Type must be multipart/form-data with fields "files" (repeated) and "path"',
        },
        cors,
      );
      return;
    }
    /** @type {FormData} */
    let form;
    try {
      form = await readMultipart(req, maxUploadBytes);
    } catch (error) {
      if (!(error instanceof BodyError)) throw error;
      if (error.kind === 'aborted') {
        counts.aborted++;
        return;
      }
      const status = error.kind === 'too-large' ? 413 : 400;
      sendJson(res, status, {detail: error.message}, {...cors, connection: 'close'});
      return;
    }

    let switches = defaults;
    const mock = form.get('mock');
    if (typeof mock === 'string') {
      try {
        switches = {...defaults, ...parseMockField(mock)};
      } catch (error) {
        if (!(error instanceof SwitchError)) throw error;
        sendJson(res, 400, {detail: `Invalid "mock" field: ${error.message}`}, cors);
        return;
      }
    }
    const files = /** @type {File[]} */ (
      form.getAll('files').filter((entry) => typeof entry !== 'string')
    );
    if (files.length === 0) {
      sendJson(res, 400, {detail: 'No files uploaded'}, cors);
      return;
    }
    const sessions = files.map((file) => store.create(file.name, file.size, switches));
    sendJson(
      res,
      200,
      {
        message: 'Files uploaded',
        uploaded: sessions.length,
        upload_ids: sessions.map((session) => session.progress.upload_id),
      },
      cors,
    );
    for (const session of sessions) store.process(session);
  }

  /**
   * @param {http.IncomingMessage} req
   * @param {http.ServerResponse} res
   * @param {string} rawId
   * @param {URLSearchParams} query
   */
  function handleProgress(req, res, rawId, query) {
    counts.progress++;
    const cors = corsHeaders(req);
    let id;
    try {
      id = decodeURIComponent(rawId);
    } catch {
      id = rawId;
    }
    const session = store.get(id);
    if (!session) {
      sendJson(res, 404, {detail: 'Upload not found'}, cors);
      return;
    }
    session.attempts++;
    attempts.set(id, (attempts.get(id) ?? 0) + 1);

    const injected = session.switches.statusOnAttempt[String(session.attempts)];
    if (injected !== undefined && injected !== 200) {
      const retryAfter = session.switches.retryAfter;
      const headers =
        (injected === 429 || injected === 503) && retryAfter !== null
          ? {...cors, 'retry-after': String(retryAfter)}
          : cors;
      sendJson(res, injected, {detail: http.STATUS_CODES[injected] ?? 'Injected error'}, headers);
      return;
    }

    /** @type {Switches} */
    let switches;
    try {
      switches = connectionSwitches({...session.switches, ...parseQuerySwitches(query)});
    } catch (error) {
      if (!(error instanceof SwitchError)) throw error;
      sendJson(res, 400, {detail: `Invalid query switch: ${error.message}`}, cors);
      return;
    }

    openStreams++;
    peakOpenStreams = Math.max(peakOpenStreams, openStreams);
    const stream = streamProgress({
      req,
      res,
      headers: cors,
      session,
      store,
      switches,
      attempt: session.attempts,
    });
    streams.add(stream);
    res.once('close', () => {
      openStreams--;
      streams.delete(stream);
    });
  }

  /**
   * Many uploads in one stream (multiplex.mjs): on with the `multiplex` option, or per
   * request with `multiplex=1` in the query (`multiplex=0` turns it off).
   *
   * @param {http.IncomingMessage} req
   * @param {http.ServerResponse} res
   * @param {URLSearchParams} query
   */
  function handleMultiplex(req, res, query) {
    counts.multiplex++;
    const cors = corsHeaders(req);
    const on = query.has('multiplex')
      ? /^(1|true|)$/.test(query.get('multiplex') ?? '')
      : multiplexOn;
    if (!on) return sendJson(res, 404, {detail: 'Not Found'}, cors);
    const ids = parseIds(req.url ?? '');
    if (!ids || ids.length === 0) {
      return sendJson(res, 400, {detail: 'List the upload ids: ?ids=<id>,<id>'}, cors);
    }
    const flag = (/** @type {string} */ name) => /^(1|true|)$/.test(query.get(name) ?? 'x');
    openStreams++;
    peakOpenStreams = Math.max(peakOpenStreams, openStreams);
    const stream = streamMultiplexed({
      req,
      res,
      headers: cors,
      ids,
      store,
      switches: {
        crlf: flag('crlf') || defaults.crlf,
        heartbeatMs: Number(query.get('heartbeatMs') ?? defaults.heartbeatMs) || 0,
        cutAfterMs: Number(query.get('cutAfterMs') ?? 0) || 0,
        cutHard: flag('cutHard'),
        eventIds: query.get('eventIds') !== '0',
      },
    });
    streams.add(stream);
    res.once('close', () => {
      openStreams--;
      streams.delete(stream);
    });
  }

  /**
   * @param {http.IncomingMessage} req
   * @param {http.ServerResponse} res
   */
  async function handle(req, res) {
    counts.total++;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      counts.preflight++;
      answerPreflight(req, res);
      return;
    }
    if (path === TUS_PATH || path.startsWith(`${TUS_PATH}/`)) return tus.handle(req, res, path);
    if (path === UPLOAD_PATH) {
      if (req.method === 'POST') return handleUpload(req, res);
      counts.other++;
      sendJson(res, 405, {detail: 'Method Not Allowed'}, {...corsHeaders(req), allow: 'POST'});
      return;
    }
    if (path === MULTIPLEX_PATH && req.method === 'GET') {
      return handleMultiplex(req, res, url.searchParams);
    }
    const match = PROGRESS_PATH.exec(path);
    if (match?.[1]) {
      if (req.method === 'GET') return handleProgress(req, res, match[1], url.searchParams);
      counts.other++;
      sendJson(res, 405, {detail: 'Method Not Allowed'}, {...corsHeaders(req), allow: 'GET'});
      return;
    }
    counts.other++;
    if (fallback && !path.startsWith('/api/')) return fallback(req, res);
    sendJson(res, 404, {detail: 'Not Found'}, corsHeaders(req));
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error) => {
      console.error('mock server:', error);
      if (!res.headersSent) sendJson(res, 500, {detail: 'Internal Server Error'});
      else res.destroy();
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(undefined);
    });
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;

  /** @type {Promise<void> | undefined} */
  let closing;

  return {
    /** `http://127.0.0.1:PORT`, no trailing slash. */
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`,
    port: actualPort,
    /** The underlying node:http server. */
    server,

    /**
     * Ends every open progress stream, stops all processing and closes the server.
     * Idempotent.
     * @returns {Promise<void>}
     */
    close() {
      closing ??= new Promise((resolve) => {
        for (const stream of streams) stream.end();
        store.clear();
        tus.close();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },

    /** @returns {MockServerStats} */
    stats() {
      return {
        openStreams,
        peakOpenStreams,
        uploads: store.created,
        sessions: store.size,
        requests: {...counts},
        attempts: Object.fromEntries(attempts),
        tus: tus.stats(),
      };
    },

    /** Zeroes the counters (the peak restarts from the streams open now). Sessions and streams are kept. */
    reset() {
      counts = zeroCounts();
      attempts = new Map();
      peakOpenStreams = openStreams;
      store.resetCount();
      tus.reset();
    },

    /**
     * Changes server-wide default switches for uploads made from now on, and turns the
     * multiplexed endpoint on or off.
     * @param {Partial<Switches> & {multiplex?: boolean}} switches
     */
    configure({multiplex, ...switches}) {
      if (multiplex !== undefined) multiplexOn = Boolean(multiplex);
      defaults = {...defaults, ...validateSwitches(switches)};
    },

    /**
     * The current state of an upload, or null once unknown or expired.
     * @param {string} uploadId
     * @returns {UploadProgress | null}
     */
    getProgress(uploadId) {
      return store.get(uploadId)?.progress ?? null;
    },
  };
}

/** @typedef {Awaited<ReturnType<typeof startMockServer>>} MockServer */

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const mock = process.env.MOCK ? JSON.parse(process.env.MOCK) : {};
  const server = await startMockServer({...mock, port: Number(process.env.PORT ?? 8080)});
  console.log(`Mock upload server: ${server.url}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
