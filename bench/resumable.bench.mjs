// A large file over a link that drops every few seconds: bytes put on the link per byte of
// the file, resumable (tus, through uploadFiles() and tusTransfer() with the real
// tus-js-client) against the seed's single POST (which can only start again from zero).
//
// The link is a TCP proxy on loopback in front of the mock backend: it carries the client's
// bytes at LINK_BYTES_PER_SECOND (loopback alone would send the file before the first cut)
// and destroys every connection through it every CUT_EVERY_MS. It counts what the client
// put on the link; the server counts what it stored. Both runs share the process, the link
// and the server, one after the other: the figures are ratios, comparable with each other
// whatever the machine (a shared one here).
//
//   BENCH_FILE_MB=200 node --import tsx bench/resumable.bench.mjs
import net from 'node:net';
import {Upload} from 'tus-js-client';
import {startMockServer} from '../test/mock-server/server.mjs';
import {UploadProgressManager, uploadFiles} from '../src/index.ts';
import {tusTransfer} from '../src/tus.ts';

const MB = 1_000_000;
const FILE_BYTES = Number(process.env.BENCH_FILE_MB ?? 200) * MB;
const LINK_BYTES_PER_SECOND = Number(process.env.BENCH_LINK_MBPS ?? 20) * MB;
const CUT_EVERY_MS = Number(process.env.BENCH_CUT_MS ?? 5000);
/** The single POST gives up after this many attempts (it cannot finish on this link). */
const POST_ATTEMPTS = 4;

/** A proxy that throttles the client's bytes, counts them, and cuts every connection periodically. */
async function flakyLink(target) {
  const sockets = new Set();
  let sent = 0;
  let cuts = 0;
  let budget = 0;
  let last = performance.now();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    sockets.add(client);
    sockets.add(upstream);
    const close = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    upstream.pipe(client);
    client.on('data', (chunk) => {
      sent += chunk.length;
      upstream.write(chunk);
      // A shared token bucket: the link's bandwidth, for every connection together.
      const now = performance.now();
      budget = Math.min(budget + ((now - last) / 1000) * LINK_BYTES_PER_SECOND, 256 * 1024);
      last = now;
      budget -= chunk.length;
      if (budget < 0) {
        client.pause();
        setTimeout(() => client.resume(), (-budget / LINK_BYTES_PER_SECOND) * 1000);
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const timer = setInterval(() => {
    if (sockets.size === 0) return;
    cuts++;
    for (const socket of sockets) socket.destroy();
  }, CUT_EVERY_MS);
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    counts: () => ({sent, cuts}),
    reset: () => {
      sent = 0;
      cuts = 0;
    },
    close: () => {
      clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

const mock = await startMockServer({steps: 2, stepMs: 10, maxUploadBytes: FILE_BYTES + MB});
const link = await flakyLink(new URL(mock.url));
const file = new File([new Uint8Array(FILE_BYTES).fill(7)], 'big.bin');

try {
  console.log(
    `${FILE_BYTES / MB} MB file, link ${LINK_BYTES_PER_SECOND / MB} MB/s cut every ${CUT_EVERY_MS / 1000} s (loopback proxy), shared machine`,
  );

  // Resumable: every cut costs what was in flight, then tus goes on from the server's offset.
  link.reset();
  let started = performance.now();
  const manager = new UploadProgressManager({
    progressUrl: `${link.url}/api/files/progress/{upload_id}`,
  });
  const tus = tusTransfer({
    Upload,
    endpoint: `${link.url}/api/files/tus`,
    retry: {initialDelay: 250, maxDelay: 2000, maxAttempts: 20},
  });
  await uploadFiles([file], {manager, tus});
  const tusSeconds = (performance.now() - started) / 1000;
  const tusLink = link.counts();
  const stored = Object.values(mock.stats().tus.uploads).find((u) => u.filename === 'big.bin');
  manager.closeAll();

  // The seed's single POST: a cut loses the whole attempt.
  link.reset();
  started = performance.now();
  let attempts = 0;
  let completed = false;
  while (!completed && attempts < POST_ATTEMPTS) {
    attempts++;
    const form = new FormData();
    form.append('files', file);
    try {
      const response = await fetch(`${link.url}/api/files/upload`, {method: 'POST', body: form});
      completed = response.ok;
    } catch {
      // Cut: start again from zero.
    }
  }
  const postSeconds = (performance.now() - started) / 1000;
  const postLink = link.counts();

  const ratio = (bytes) => (bytes / FILE_BYTES).toFixed(2);
  console.log(
    `tus (resumable):  ${ratio(tusLink.sent)} x the file on the link, ${ratio(stored?.received ?? 0)} x stored by the server, completed in ${tusSeconds.toFixed(1)} s across ${tusLink.cuts} cuts`,
  );
  console.log(
    `single POST:      ${ratio(postLink.sent)} x the file on the link, ${completed ? 'completed' : `not completed after ${attempts} attempts`} in ${postSeconds.toFixed(1)} s (${postLink.cuts} cuts; each attempt restarts from byte 0)`,
  );
  console.log(
    `bytes on the link per byte delivered: tus ${ratio(tusLink.sent)}, single POST ${completed ? ratio(postLink.sent) : `> ${ratio(postLink.sent)} (never delivered)`}`,
  );
  if (stored?.processingId == null) throw new Error('the tus upload did not complete');
} finally {
  await link.close();
  await mock.close();
}
