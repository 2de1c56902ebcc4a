// `npm start`: the mock backend and the demo page on one origin, so the page's fetch
// and the progress streams need no CORS and the script tag loads the real build.
//
//   PORT=8080 node demo/serve.mjs      (PORT=0 picks a free port; HOST=0.0.0.0 to try it from a phone)

import {createReadStream} from 'node:fs';
import {stat} from 'node:fs/promises';
import {extname, join, resolve, sep} from 'node:path';
import {fileURLToPath} from 'node:url';
import {startMockServer} from '../test/mock-server/server.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEMO_DIR = join(ROOT, 'demo');
const DIST_DIR = join(ROOT, 'dist');

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

const BUILD_HINT = 'run `npm run build` first (`npm start` does it for you)';

/** Demo pacing: slow enough to watch, quick enough not to bore. */
const DEMO_SWITCHES = {steps: 12, stepMs: 250, bytesPerSecond: 1024 * 1024};

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {string} message
 */
function sendText(res, status, message) {
  res.writeHead(status, {'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store'});
  res.end(`${message}\n`);
}

/**
 * Joins a URL path under a folder, refusing anything that climbs out of it.
 * @param {string} base
 * @param {string} relative
 */
function inside(base, relative) {
  const full = resolve(base, `.${sep}${relative}`);
  return full === base || full.startsWith(base + sep) ? full : undefined;
}

/** @param {string} file */
async function isFile(file) {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * Serves `/` (demo/index.html), `/demo/*` and `/dist/*`.
 *
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
async function serveStatic(req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    sendText(res, 405, 'Method Not Allowed');
    return;
  }
  let path;
  try {
    path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
  } catch {
    sendText(res, 400, 'Bad path');
    return;
  }

  /** @type {string | undefined} */
  let file;
  if (path === '/' || path === '/index.html') {
    file = join(DEMO_DIR, 'index.html');
  } else if (path.startsWith('/demo/')) {
    file = inside(DEMO_DIR, path.slice('/demo/'.length));
  } else if (path.startsWith('/dist/')) {
    file = inside(DIST_DIR, path.slice('/dist/'.length));
    if (file && !(await isFile(file))) {
      const missing = (await stat(DIST_DIR).catch(() => null)) === null;
      sendText(
        res,
        404,
        missing ? `dist/ is missing: ${BUILD_HINT}.` : `${path} is not in dist/: ${BUILD_HINT}.`,
      );
      return;
    }
  } else if (path === '/favicon.ico') {
    res.writeHead(204);
    res.end();
    return;
  }

  if (!file || !(await isFile(file))) {
    sendText(res, 404, `Not found: ${path}`);
    return;
  }
  const {size} = await stat(file);
  res.writeHead(200, {
    'content-type':
      CONTENT_TYPES[/** @type {keyof typeof CONTENT_TYPES} */ (extname(file))] ??
      'application/octet-stream',
    'content-length': String(size),
    // The demo is for trying changes: always fetch the latest build.
    'cache-control': 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file).pipe(res);
}

const host = process.env.HOST ?? '127.0.0.1';
const server = await startMockServer({
  ...DEMO_SWITCHES,
  // Many uploads in one stream (docs/core.md): the page's manager uses it.
  multiplex: true,
  host,
  port: Number(process.env.PORT ?? 8080),
  fallback: serveStatic,
});

if (!(await isFile(join(DIST_DIR, 'upload-progress.min.js')))) {
  console.warn(`dist/upload-progress.min.js is missing: ${BUILD_HINT}.`);
}
const shown = host === '0.0.0.0' || host === '::' ? `http://127.0.0.1:${server.port}` : server.url;
console.log(`Demo: ${shown}/`);
console.log('Press Ctrl+C to stop.');

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
