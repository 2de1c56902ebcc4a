#!/usr/bin/env node
// `npm run size` (before size-limit's budgets): where the script tag's bytes are.
//
//   node scripts/size.mjs            # one row per part (core by folder, elements, Lit...)
//   node scripts/size.mjs --files    # and one row per module of the core and the elements
//
// Each part's figure is marginal: the script-tag code built as one file (the lazy siblings
// inlined behind their stubs, so every part counts), minified, then built again with that part's modules
// replaced by stubs that export nothing but keep their imports in use (so a part's
// dependencies stay: removing the elements does not remove Lit), and the difference taken,
// minified and gzipped. Marginal figures do not add up to the total: gzip shares strings
// across parts. The shipped files (dist/, from `npm run build`) follow, as size-limit
// measures them.
import {existsSync, readFileSync} from 'node:fs';
import {relative, sep} from 'node:path';
import {brotliCompressSync, gzipSync} from 'node:zlib';
import {transform} from 'esbuild';
import {rollup} from 'rollup';
import {lazy, scriptTagPlugins} from '../rollup.config.mjs';
import {lazySiblings} from './build/lazy-siblings.mjs';

const root = new URL('..', import.meta.url).pathname;
const rel = (id) => relative(root, id).split(sep).join('/');
const gzip = (code) => gzipSync(code, {level: 9}).length;
const brotli = (code) => brotliCompressSync(code).length;

/** The parts, in table order: a name and which modules (paths from the root) are in it. */
const parts = [
  ['core: transport', (p) => p.startsWith('src/transport/')],
  ['core: budget', (p) => p.startsWith('src/budget/')],
  ['core: stream', (p) => p.startsWith('src/stream/')],
  ['core: manager', (p) => p.startsWith('src/manager/')],
  ['core: uploading', (p) => p.startsWith('src/uploading/')],
  ['core: errors, types, clock', (p) => /^src\/[^/]+\.ts$/.test(p) && p !== 'src/index.ts'],
  [
    'elements (components/)',
    (p) =>
      p.startsWith('components/') && !p.startsWith('components/script-tag/') && !/bundle/.test(p),
  ],
  ['script-tag glue (bundle, lazy stubs)', (p) => /^components\/(bundle\.ts|script-tag\/)/.test(p)],
  ['Lit', (p) => /^node_modules\/(lit|lit-html|lit-element|@lit\/[^/]+)\//.test(p)],
  ['eventsource-parser', (p) => p.startsWith('node_modules/eventsource-parser/')],
];

/** Names a declaration binds (`export const {a, b} = …` included). */
function boundNames(node) {
  if (!node) return [];
  switch (node.type) {
    case 'Identifier':
      return [node.name];
    case 'VariableDeclaration':
      return node.declarations.flatMap((d) => boundNames(d.id));
    case 'ObjectPattern':
      return node.properties.flatMap((p) => boundNames(p.type === 'RestElement' ? p : p.value));
    case 'ArrayPattern':
      return node.elements.flatMap(boundNames);
    case 'RestElement':
      return boundNames(node.argument);
    case 'AssignmentPattern':
      return boundNames(node.left);
    default:
      return node.id ? [node.id.name] : [];
  }
}

/** The sources of the `import('…')` expressions under `node`. */
function dynamicImports(node, found = []) {
  if (!node || typeof node.type !== 'string') return found;
  if (node.type === 'ImportExpression' && node.source.type === 'Literal')
    found.push(node.source.value);
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) value.forEach((child) => dynamicImports(child, found));
    else if (value && typeof value.type === 'string') dynamicImports(value, found);
  }
  return found;
}

/** A module with the same exports (all undefined) that keeps every import it had in use. */
function stubOf(code, parse) {
  const lines = [];
  const kept = [];
  const exported = [];
  const ast = parse(code);
  for (const source of dynamicImports(ast))
    lines.push(`globalThis.$lazy = () => import(${JSON.stringify(source)});`);
  for (const node of ast.body) {
    const text = code.slice(node.start, node.end);
    if (node.type === 'ImportDeclaration') {
      lines.push(text);
      kept.push(...node.specifiers.map((s) => s.local.name));
    } else if (node.type === 'ExportAllDeclaration' || node.source) {
      lines.push(text);
    } else if (node.type === 'ExportNamedDeclaration') {
      if (node.declaration) exported.push(...boundNames(node.declaration));
      else exported.push(...node.specifiers.map((s) => s.exported.name ?? s.exported.value));
    } else if (node.type === 'ExportDefaultDeclaration') {
      lines.push('export default void 0;');
    }
  }
  exported.forEach((name, i) => lines.push(`const $${i} = void 0; export {$${i} as ${name}};`));
  if (kept.length > 0) lines.push(`globalThis.$keep = [${kept.join(', ')}];`);
  return lines.join('\n');
}

/** The one-file script tag, its modules' code (for stubs), with `stubbed` modules stubbed. */
async function build(stubbed = new Set(), sources = new Map(), cache = undefined) {
  const stubs = {
    name: 'size-stubs',
    load(id) {
      return stubbed.has(id) ? stubOf(sources.get(id), (code) => this.parse(code)) : null;
    },
  };
  // Only the lazy modules' redirection to their stubs; the siblings stay in the one file.
  const {resolveId} = lazySiblings({lazy, prefix: 'upload-progress'});
  const bundle = await rollup({
    input: 'components/bundle.ts',
    cache,
    onwarn: () => {},
    plugins: [stubs, {name: 'lazy-stubs', resolveId}, ...scriptTagPlugins()],
  });
  const {output} = await bundle.generate({format: 'iife', inlineDynamicImports: true});
  if (sources.size === 0) {
    for (const module of bundle.cache.modules) sources.set(module.id, module.code);
  }
  await bundle.close();
  const {code} = await transform(output[0].code, {
    minify: true,
    target: 'es2022',
    legalComments: 'none',
  });
  return {code, ids: Object.keys(output[0].modules), cache: bundle.cache};
}

const started = Date.now();
const sources = new Map();
const full = await build(new Set(), sources);
const ids = full.ids.filter((id) => !id.startsWith('\0'));
const rows = [];
const measure = async (name, members) => {
  if (members.length === 0) return;
  const {code} = await build(new Set(members), sources, full.cache);
  rows.push({
    name,
    files: members.length,
    min: full.code.length - code.length,
    gzip: gzip(full.code) - gzip(code),
  });
};
const detail = process.argv.includes('--files');
for (const [name, test] of parts) {
  const members = ids.filter((id) => test(rel(id)));
  await measure(name, members);
  if (detail && !name.startsWith('Lit') && !name.startsWith('eventsource')) {
    for (const id of members) await measure(`  ${rel(id)}`, [id]);
  }
}

const pad = (value, width) => String(value).padStart(width);
const width = Math.max(40, ...rows.map((row) => row.name.length));
const kb = (bytes) => `${(bytes / 1000).toFixed(2)} kB`;
console.log(
  "\nWhere the script tag's bytes are (marginal: built without the part, minified, gzip -9):\n",
);
console.log(`${'part'.padEnd(width)} ${pad('files', 5)} ${pad('min', 8)} ${pad('min+gzip', 9)}`);
for (const row of rows) {
  console.log(
    `${row.name.padEnd(width)} ${pad(row.files, 5)} ${pad(row.min, 8)} ${pad(row.gzip, 9)}`,
  );
}
console.log(
  `${'all of it in one file (esbuild-minified)'.padEnd(width)} ${pad(ids.length, 5)} ${pad(full.code.length, 8)} ${pad(gzip(full.code), 9)}`,
);

const shipped = [
  'dist/upload-progress.min.js',
  ...lazy.map(({name}) => `dist/upload-progress.${name}.min.js`),
];
console.log('\nShipped (dist/, esbuild then terser): min, min+gzip, min+brotli');
const fileWidth = Math.max(width, ...shipped.map((file) => file.length));
for (const file of shipped) {
  if (!existsSync(new URL(file, new URL('..', import.meta.url)))) {
    console.log(`${file.padEnd(fileWidth)} missing: run npm run build`);
    continue;
  }
  const code = readFileSync(new URL(file, new URL('..', import.meta.url)));
  const note = file.endsWith('upload-progress.min.js')
    ? '  (the <script> tag)'
    : '  (on first use)';
  console.log(
    `${file.padEnd(fileWidth)} ${pad(code.length, 8)} ${pad(gzip(code), 7)} ${pad(brotli(code), 7)}  ${kb(gzip(code))}${note}`,
  );
}
console.log(`\n(${((Date.now() - started) / 1000).toFixed(1)} s)`);
