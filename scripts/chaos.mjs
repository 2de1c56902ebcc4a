#!/usr/bin/env node
// `npm run chaos`: the chaos and soak suite in full (test/chaos/chaos.mjs), printed as a table.
//
//   npm run chaos                                  # 5 rounds x 200 uploads (1,000 in one page)
//   npm run chaos -- --rounds 3 --uploads 50       # smaller
//   npm run chaos -- --minutes 5                   # soak: rounds until 5 minutes have passed
//   npm run chaos -- --seed 7                      # another draw of faults
//
// Exits 1 if any upload ended in a wrong state or a check at rest failed.
import {parseArgs} from 'node:util';
import {formatReport, runChaos} from '../test/chaos/chaos.mjs';

const {values} = parseArgs({
  options: {
    rounds: {type: 'string', default: '5'},
    uploads: {type: 'string', default: '200'},
    minutes: {type: 'string', default: '0'},
    seed: {type: 'string', default: '1'},
  },
});

const report = await runChaos({
  rounds: Number(values.rounds),
  uploadsPerRound: Number(values.uploads),
  minMinutes: Number(values.minutes),
  seed: Number(values.seed),
  heapSnapshots: true,
  log: (line) => console.log(line),
});
console.log('');
console.log(formatReport(report));
const atRest = report.rounds.every((r) => r.openAtRest === 0 && r.timers <= report.timersBaseline);
const ok =
  report.right === report.uploads && report.wrong.length === 0 && report.clientPeak <= 4 && atRest;
process.exit(ok ? 0 : 1);
