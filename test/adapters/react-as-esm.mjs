// A web-test-runner plugin that serves React (CommonJS only) to the browser as ES modules,
// as a bundler would: one esbuild bundle of every React entry (so there is one React), and
// per entry a small module naming its exports (found by loading it in a Node child), since ES
// modules need static export names that `module.exports = require(...)` does not give.
// (@rollup/plugin-commonjs through @web/dev-server-rollup cannot: its named exports rely on
// Rollup's `syntheticNamedExports`, which only exists while bundling.)
import {execFileSync} from 'node:child_process';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
const specifiers = [
  'react',
  'react-dom',
  'react-dom/client',
  'react/jsx-runtime',
  'react/jsx-dev-runtime',
];
const prefix = '/__react-as-esm__/';
const identifier = /^[A-Za-z_$][\w$]*$/;

/** @type {Promise<string> | undefined} */
let bundle;
/** @type {string[][] | undefined} */
let exportNames;

/** Each entry's export names, from a child process (React's console patching upsets wtr's). */
function namesOf(index) {
  exportNames ??= JSON.parse(
    execFileSync(
      process.execPath,
      [
        '--input-type=commonjs',
        '-e',
        `console.log(JSON.stringify(${JSON.stringify(specifiers)}.map((id) => Object.keys(require(id)))))`,
      ],
      {cwd: here, encoding: 'utf8'},
    ),
  );
  return exportNames[index];
}

function bundleOnce() {
  bundle ??= build({
    stdin: {
      contents: specifiers
        .map((id, i) => `export * as m${i} from ${JSON.stringify(id)};`)
        .join('\n'),
      resolveDir: here,
    },
    bundle: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    define: {'process.env.NODE_ENV': '"development"'},
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0].text);
  return bundle;
}

function entryModule(index) {
  const names = namesOf(index).filter((name) => name !== 'default' && identifier.test(name));
  return [
    `import {m${index} as m} from '${prefix}bundle.js';`,
    'export default m.default;',
    `export const {${names.join(', ')}} = m;`,
  ].join('\n');
}

/** @type {import('@web/dev-server-core').Plugin} */
export const reactAsEsm = {
  name: 'react-as-esm',
  resolveImport({source}) {
    const index = specifiers.indexOf(source);
    return index === -1 ? undefined : `${prefix}${index}.js`;
  },
  async serve(context) {
    if (!context.path.startsWith(prefix)) return undefined;
    const name = context.path.slice(prefix.length, -'.js'.length);
    const body = name === 'bundle' ? await bundleOnce() : entryModule(Number(name));
    return {body, type: 'js'};
  },
};
