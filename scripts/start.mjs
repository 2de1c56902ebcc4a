#!/usr/bin/env node
// `npm start`: installs the npm dependencies if a fresh clone lacks them, builds, then serves
// the demo and the mock backend on one origin (demo/serve.mjs; PORT and HOST as it reads).
import {spawnSync} from 'node:child_process';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {ensureDependencies} from './setup.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

if (!ensureDependencies()) {
  console.error('[start] could not install the npm dependencies (see above)');
  process.exit(1);
}
const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], {
  cwd: root,
  stdio: 'inherit',
});
if (build.status !== 0) process.exit(build.status ?? 1);
await import('../demo/serve.mjs');
