// The short version of `npm run chaos` (test/chaos/chaos.mjs): two rounds of uploads under
// random faults, through the built script-tag bundle in headless Chromium, against the mock
// backend. Each assertion is a promise users rely on.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {formatReport, runChaos} from '../chaos/chaos.mjs';

describe('chaos (short)', () => {
  it('every upload ends in its true state, the budget holds, nothing is left behind', async () => {
    const report = await runChaos({rounds: 2, uploadsPerRound: 30, seed: 11});
    const table = formatReport(report);
    assert.deepEqual(report.wrong, [], table);
    assert.equal(report.right, report.uploads, table);
    assert.equal(report.shownFailedButSucceeded, 0, table);
    // The budget is the page's promise: at most 4 progress connections held at once. (The
    // server may count one more for a moment: a stream the page dropped, say on an idle
    // timeout, stays in its count until it sees the socket close.)
    assert.ok(report.clientPeak <= 4, `page peak ${report.clientPeak}`);
    for (const round of report.rounds) {
      assert.equal(round.openAtRest, 0, 'no stream left open on the server');
      assert.ok(round.timers <= report.timersBaseline, `timers left: ${round.timers}`);
    }
    assert.equal(report.hostileMarkupRendered, false);
    assert.equal(report.nonFiniteOverall, false);
    // Every kind of fault was really injected.
    for (const [kind, {uploads}] of Object.entries(report.faults))
      assert.ok(uploads > 0, `${kind} injected`);
  });
});
