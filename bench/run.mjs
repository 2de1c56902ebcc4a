#!/usr/bin/env node
// `npm run bench`: runs every bench/*.bench.mjs with Node (tsx loaded, gc exposed), one after
// another, in name order.
// Exits non-zero if any of them does.
import {spawnSync} from 'node:child_process';
import {readdirSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const dir = dirname(fileURLToPath(import.meta.url));
const benches = readdirSync(dir)
  .filter((name) => name.endsWith('.bench.mjs'))
  .sort();

if (benches.length === 0) {
  console.log('bench: no bench/*.bench.mjs found, nothing to run');
  process.exit(0);
}

let failed = 0;
for (const name of benches) {
  console.log(`\n=== bench/${name} ===`);
  // tsx lets benchmarks import the TypeScript sources; --expose-gc lets them measure heap.
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(dir, name)], {
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    failed += 1;
    console.error(`bench/${name} failed (exit ${result.status ?? result.signal})`);
  }
}
process.exit(failed > 0 ? 1 : 0);
