// The mock backend's tus 1.0 endpoint (README.md beside this file): @tus/server with
// @tus/file-store writing into a temporary folder, so a test talks to a real tus server.
// When a file's last byte lands, its processing starts as for a multipart upload, and the
// response that completes the upload (the last PATCH, or any HEAD after it) names the
// processing id in an `Upload-Progress-Id` header: the contract of docs/uploading.md.
//
// Switches, per upload, in its tus metadata `mock` (JSON): the multipart switches for its
// processing (`fail`, `steps`, `stepMs`…) and `cutAt`: fractions of the file (0..1) at which
// the server destroys the connection of the PATCH carrying that byte, once each.
//
// Counters (stats().tus): every byte the server received, per upload and in all, with the
// server's clock, so tests measure rates and resends at the server.

import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Transform, pipeline} from 'node:stream';
import {Server} from '@tus/server';
import {FileStore} from '@tus/file-store';
import {SwitchError, parseMockField} from './switches.mjs';

/** The tus creation endpoint (uploads live under it). */
export const TUS_PATH = '/api/files/tus';
/** The response header that names the processing id. */
export const PROCESSING_ID_HEADER = 'Upload-Progress-Id';

/**
 * @typedef {object} TusUploadStats
 * @property {string} filename
 * @property {number} size
 * @property {number} received Bytes received for it, over every request (resends count twice).
 * @property {number} patches PATCH requests for it.
 * @property {number} cuts Connections the server cut for it.
 * @property {string | null} processingId Set once every byte arrived.
 * @property {boolean} terminated Deleted by the client (tus termination).
 */

/**
 * @typedef {object} TusStats
 * @property {number} now The server's clock (`performance.now()`), for rates.
 * @property {number} received Bytes received over every tus upload.
 * @property {number} created
 * @property {number} completed
 * @property {number} terminated
 * @property {Record<string, TusUploadStats>} uploads By tus id.
 */

/**
 * @param {{
 *   store: import('./sessions.mjs').SessionStore,
 *   switches: () => import('./switches.mjs').Switches,
 * }} context The session store processing goes to, and the server's default switches.
 */
export function createTusBackend({store, switches}) {
  /** Made at the first tus request: most mock servers of a test run never see one. */
  let directory = '';
  /** @type {Map<string, TusUploadStats & {cutAt: number[], mock: object}>} */
  let uploads = new Map();
  let received = 0;
  let counts = {created: 0, completed: 0, terminated: 0};
  /** The PATCH in flight per tus id, to cut. @type {Map<string, import('node:http').IncomingMessage>} */
  const inFlight = new Map();

  class CountingStore extends FileStore {
    /** The folder exists already (made synchronously above): no mkdir left running at close. */
    checkOrCreateDirectory() {}

    /**
     * @param {import('node:stream').Readable} readable
     * @param {string} id
     * @param {number} offset
     */
    write(readable, id, offset) {
      const upload = uploads.get(id);
      let at = offset;
      const counting = new Transform({
        transform(chunk, _, callback) {
          received += chunk.length;
          const before = at;
          at += chunk.length;
          if (upload) {
            upload.received += chunk.length;
            const cut = upload.cutAt.findIndex(
              (fraction) => before < fraction * upload.size && fraction * upload.size <= at,
            );
            if (cut >= 0) {
              upload.cutAt.splice(cut, 1);
              upload.cuts++;
              callback(null, chunk);
              inFlight.get(id)?.socket.destroy();
              return;
            }
          }
          callback(null, chunk);
        },
      });
      pipeline(readable, counting, () => undefined);
      return super.write(counting, id, offset);
    }
  }

  const make = () =>
    new Server({
      path: TUS_PATH,
      datastore: new CountingStore({
        directory: (directory = mkdtempSync(join(tmpdir(), 'upload-progress-tus-'))),
      }),
      relativeLocation: true,
      exposedHeaders: [PROCESSING_ID_HEADER],
      async onUploadCreate(_req, upload) {
        const metadata = upload.metadata ?? {};
        /** @type {object} */
        let mock = {};
        if (metadata.mock) {
          try {
            mock = JSON.parse(metadata.mock);
          } catch {
            throw {status_code: 400, body: 'Invalid "mock" metadata: not JSON\n'};
          }
        }
        const {cutAt = [], ...processing} = /** @type {{cutAt?: number[]}} */ (mock);
        try {
          parseMockField(JSON.stringify(processing));
        } catch (error) {
          if (!(error instanceof SwitchError)) throw error;
          throw {status_code: 400, body: `Invalid "mock" metadata: ${error.message}\n`};
        }
        counts.created++;
        uploads.set(upload.id, {
          filename: metadata.filename ?? 'file',
          size: upload.size ?? 0,
          received: 0,
          patches: 0,
          cuts: 0,
          processingId: null,
          terminated: false,
          cutAt: Array.isArray(cutAt) ? cutAt.filter((n) => typeof n === 'number') : [],
          mock: processing,
        });
        return {};
      },
      async onUploadFinish(_req, upload) {
        return {headers: {[PROCESSING_ID_HEADER]: startProcessing(upload.id, upload.size ?? 0)}};
      },
    });
  /** @type {Server | undefined} */
  let tus;
  const server = () => {
    if (tus) return tus;
    tus = make();
    tus.on('POST_TERMINATE', (_req, _res, id) => {
      counts.terminated++;
      const upload = uploads.get(id);
      if (upload) upload.terminated = true;
    });
    return tus;
  };

  /**
   * Once per upload: its processing session, as for a multipart upload.
   * @param {string} id
   * @param {number} size
   */
  function startProcessing(id, size) {
    const upload = uploads.get(id);
    if (upload?.processingId) return upload.processingId;
    const session = store.create(upload?.filename ?? 'file', size, {
      ...switches(),
      ...parseMockField(JSON.stringify(upload?.mock ?? {})),
    });
    counts.completed++;
    if (upload) upload.processingId = session.progress.upload_id;
    store.process(session);
    return session.progress.upload_id;
  }

  return {
    /**
     * @param {import('node:http').IncomingMessage} req
     * @param {import('node:http').ServerResponse} res
     * @param {string} path
     */
    async handle(req, res, path) {
      const id = path.slice(TUS_PATH.length + 1);
      const upload = uploads.get(id);
      // A client that lost the last PATCH's answer asks with HEAD: it gets the id too.
      if (req.method === 'HEAD' && upload?.processingId) {
        res.setHeader(PROCESSING_ID_HEADER, upload.processingId);
      }
      if (req.method === 'PATCH' && upload) {
        upload.patches++;
        inFlight.set(id, req);
        res.once('close', () => {
          if (inFlight.get(id) === req) inFlight.delete(id);
        });
      }
      await server().handle(req, res);
    },
    /** @returns {TusStats} */
    stats() {
      return {
        now: performance.now(),
        received,
        ...counts,
        uploads: Object.fromEntries(
          [...uploads].map(([id, {cutAt: _cutAt, mock: _mock, ...rest}]) => [id, rest]),
        ),
      };
    },
    reset() {
      received = 0;
      counts = {created: 0, completed: 0, terminated: 0};
    },
    close() {
      for (const req of inFlight.values()) req.socket.destroy();
      if (directory) rmSync(directory, {recursive: true, force: true});
    },
  };
}
