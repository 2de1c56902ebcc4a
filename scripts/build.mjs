#!/usr/bin/env node
// `npm run build`: a clean dist/ from rollup (JS), tsc (.d.ts) and the custom-elements manifest.
// Stops at the first failing step with a non-zero exit code.
import {spawnSync} from 'node:child_process';
import {existsSync, rmSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

function step(title, command, args) {
  console.log(`\n[build] ${title}: ${[command.replace(root + '/', ''), ...args].join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, {cwd: root, stdio: 'inherit'});
  if (result.error) fail(`${title} could not start: ${result.error.message}`);
  if (result.status !== 0) fail(`${title} failed (exit ${result.status ?? result.signal})`);
  console.log(`[build] ${title} done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function fail(message) {
  console.error(`\n[build] FAILED: ${message}`);
  process.exit(1);
}

rmSync(join(root, 'dist'), {recursive: true, force: true});

step('bundle', bin('rollup'), ['-c']);
// tus-js-client's dependencies are CommonJS, which esbuild bundles as they are.
step('tus script-tag file', bin('esbuild'), [
  'src/uploading/tus-script-tag.ts',
  '--bundle',
  '--minify',
  '--format=iife',
  '--platform=browser',
  '--target=es2022',
  '--sourcemap',
  '--log-level=warning',
  '--outfile=dist/upload-progress.tus.min.js',
]);
step('declarations', bin('tsc'), ['-p', 'tsconfig.build.json']);
step('custom elements manifest', bin('cem'), [
  'analyze',
  '--litelement',
  '--globs',
  'components/**/*.ts',
  '--exclude',
  'components/**/*.test.ts',
  'components/bundle.ts',
]);

const expected = [
  'dist/index.js',
  'dist/src/index.d.ts',
  'dist/components/index.js',
  'dist/components/index.d.ts',
  ...['react', 'vue', 'angular'].flatMap((name) => [
    `dist/adapters/${name}/index.js`,
    `dist/adapters/${name}/index.d.ts`,
  ]),
  'dist/upload-progress.min.js',
  'dist/upload-progress.min.js.LICENSE.txt',
  // Loaded by the script on first use (rollup.config.mjs, `lazy`).
  'dist/upload-progress.uploading.min.js',
  'dist/upload-progress.multiplexed.min.js',
  'dist/upload-progress.server-message.min.js',
  'dist/tus.js',
  'dist/upload-progress.tus.min.js',
  'custom-elements.json',
];
const missing = expected.filter((file) => !existsSync(join(root, file)));
if (missing.length > 0) fail(`missing after the build: ${missing.join(', ')}`);
console.log(`\n[build] ok: ${expected.join(', ')}`);
