// Run by ssr.test.ts in a plain `node` (through the package's exports to dist/, as a server
// renderer loads it), or bundled with React 18 aliased in. `node ssr-render.mjs <what>`:
//   imports  import every entry point
//   react    render a page with every React export through react-dom/server
//   vue      render a page with every Vue export through vue/server-renderer
// Prints one JSON line: {html, fetches, warnings, resources}. Anything the
// render opened (a fetch, a timer, a socket) shows in `fetches` or in `resources`, the
// handles still alive once the render is over, which would keep a server process running.

const warnings = [];
for (const level of ['warn', 'error']) {
  console[level] = (...args) => warnings.push(args.map(String).join(' '));
}
let fetches = 0;
globalThis.fetch = async () => {
  fetches++;
  throw new Error('no request may be made on the server');
};
// A server has no window nor document: code that reads them throws a ReferenceError here.
if ('window' in globalThis || 'document' in globalThis) throw new Error('not a server');

const what = process.argv[2];
const uploads = [
  {upload_id: 'a', filename: 'a.zip', total_bytes: 1000},
  {upload_id: 'b', filename: 'b.zip', total_bytes: 2000},
];
let html = '';

if (what === 'imports') {
  await import('upload-progress');
  await import('upload-progress/components');
  await import('upload-progress/react');
  await import('upload-progress/vue');
  await import('upload-progress/angular');
} else if (what === 'react') {
  const {createElement, StrictMode, version} = await import('react');
  const {renderToString} = await import('react-dom/server');
  const {UploadProgressModal, useMultiUploadProgress, useUploadProgress} =
    await import('upload-progress/react');
  function Page() {
    const one = useUploadProgress(uploads[0]);
    const {overallPercentage, progressMap, manager} = useMultiUploadProgress(uploads);
    return createElement(
      'main',
      null,
      createElement('p', null, `${one?.status ?? 'none'} ${progressMap.size} ${overallPercentage}`),
      createElement(UploadProgressModal, {uploadIds: uploads, manager, className: 'uploads'}),
    );
  }
  html = `${version} ${renderToString(createElement(StrictMode, null, createElement(Page)))}`;
} else if (what === 'vue') {
  const {createSSRApp, defineComponent, h, ref, version} = await import('vue');
  const {renderToString} = await import('vue/server-renderer');
  const {useMultiUploadProgress, useUploadProgress} = await import('upload-progress/vue');
  const Page = defineComponent({
    setup() {
      const list = ref(uploads);
      const one = useUploadProgress('a');
      const {overallPercentage, progressMap} = useMultiUploadProgress(list);
      return () =>
        h(
          'p',
          `${one.value?.status ?? 'none'} ${progressMap.value.size} ${overallPercentage.value}`,
        );
    },
  });
  html = `${version} ${await renderToString(createSSRApp(Page))}`;
} else {
  throw new Error(`unknown: ${what}`);
}

// Whatever the render scheduled (a microtask, a timer at 0) has had its turn.
await new Promise((resolve) => setImmediate(resolve));
const resources = process.getActiveResourcesInfo().filter((kind) => kind !== 'TTYWrap');
process.stdout.write(`${JSON.stringify({html, fetches, warnings, resources})}\n`);
