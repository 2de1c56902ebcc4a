// Run by adapters.test.ts in a plain `node` (no tsx, whose tsconfig `paths` would map the
// package's name to its sources): loads the adapters the way Node resolves them for a user,
// through the package's `exports` to dist/, renders with React on the server, and prints
// what it saw as JSON.
import {createElement} from 'react';
import {renderToString} from 'react-dom/server';

const react = await import('upload-progress/react');
const vue = await import('upload-progress/vue');
const angular = await import('upload-progress/angular');

let requests = 0;
const fetch = async () => {
  requests++;
  throw new Error('no request may be made while rendering on the server');
};
function Page() {
  const progress = react.useUploadProgress('a', {fetch});
  const {overallPercentage, allCompleted, progressMap} = react.useMultiUploadProgress(['a', 'b'], {
    fetch,
  });
  return createElement(
    'main',
    null,
    createElement('p', null, `${progress?.status ?? 'none'} ${progressMap.size}`),
    createElement('p', null, `${overallPercentage} ${allCompleted}`),
    createElement(react.UploadProgressModal, {uploadIds: ['a', 'b'], className: 'uploads'}),
  );
}
const html = renderToString(createElement(Page));
await new Promise((resolve) => setTimeout(resolve, 20));

console.log(
  JSON.stringify({
    resolved: Object.fromEntries(
      ['react', 'vue', 'angular'].map((name) => [
        name,
        import.meta.resolve(`upload-progress/${name}`),
      ]),
    ),
    exports: {
      react: Object.keys(react).sort(),
      vue: Object.keys(vue).sort(),
      angular: Object.keys(angular).sort(),
    },
    html,
    requests,
  }),
);
