// One "tab" of the SDK as a plain page uses it (the built script-tag bundle), for the tests
// and the bench that open several pages of one browser context against the mock backend:
// pages of one context share Chromium's six sockets per host, as real tabs do.

import {createReadStream} from 'node:fs';

const BUNDLE = new URL('../../dist/upload-progress.min.js', import.meta.url).pathname;

const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>tab</title></head>
<body><script src="/dist/upload-progress.min.js"></script>
<script>
  let manager;
  window.tab = {
    problems: [],
    sawWaiting: false,
    async upload(files, mock) {
      const form = new FormData();
      for (const [name, size] of files) form.append('files', new File([new Uint8Array(size)], name));
      form.append('path', 'tabs');
      form.append('mock', JSON.stringify(mock));
      const response = await fetch('/api/files/upload', {method: 'POST', body: form});
      if (!response.ok) throw new Error('upload answered ' + response.status);
      return (await response.json()).upload_ids;
    },
    follow(ids, options) {
      manager = new UploadProgress.UploadProgressManager(options);
      const budget = UploadProgress.getSharedConnectionBudget();
      manager.subscribe((s) => {
        if (s.waiting > 0) tab.sawWaiting = true;
        // A row says Connecting or Open only while its stream holds a slot.
        let busy = 0;
        for (const entry of s.uploads.values()) {
          if (entry.connection === 'connecting' || entry.connection === 'open') busy++;
        }
        const held = budget.active(location.origin);
        if (!options?.multiplexUrl && busy > held) tab.problems.push(busy + ' busy rows, ' + held + ' slots');
      });
      manager.track(ids);
    },
    settledAt: null,
    whenSettled() {
      return new Promise((resolve) => {
        manager.subscribe((s) => {
          if (s.allSettled) resolve(performance.now());
        });
      });
    },
    snapshot() {
      const s = manager.getSnapshot();
      return {
        allSettled: s.allSettled,
        waiting: s.waiting,
        pending: s.pending,
        statuses: Object.fromEntries([...s.uploads].map(([id, e]) => [id, e.progress?.status ?? null])),
      };
    },
    /** The page's own request: whether its uploads were still in flight when it completed. */
    async ownRequest() {
      const response = await fetch('/small.txt', {cache: 'no-store'});
      await response.text();
      return !manager.getSnapshot().allSettled;
    },
  };
</script></body></html>`;

/**
 * The mock server's `fallback`: the page at `/`, the bundle, and a 3-byte `/small.txt`.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
export function serveTabPage(req, res) {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  if (path === '/') {
    res.writeHead(200, {'content-type': 'text/html; charset=utf-8'}).end(PAGE);
  } else if (/^\/dist\/upload-progress(\.\w+)?\.min\.js$/.test(path)) {
    // The script and its siblings (the multiplexed batch is loaded on first use).
    res.writeHead(200, {'content-type': 'text/javascript', 'cache-control': 'no-store'});
    createReadStream(new URL(`../..${path}`, import.meta.url).pathname).pipe(res);
  } else if (path === '/small.txt') {
    res.writeHead(200, {'content-type': 'text/plain', 'cache-control': 'no-store'}).end('ok\n');
  } else {
    res.writeHead(404).end();
  }
}

export const BUNDLE_PATH = BUNDLE;
