import {expect} from '@esm-bundle/chai';
import {
  DEFAULT_RETRY,
  MAX_TIMER,
  ReconnectPolicy,
  parseRetryAfter,
  reconnectDelay,
  resolveRetryOptions,
  type AttemptOutcome,
} from '../src/transport/retry-policy.js';

/**
 * Drives a policy as a stream would, against a server that answers `outcome` every time,
 * for `minutes` of simulated time: the start times of every attempt.
 */
function simulate(
  policy: ReconnectPolicy,
  outcome: (n: number) => AttemptOutcome,
  minutes: number,
): number[] {
  const starts: number[] = [];
  let now = 0;
  for (let n = 0; now < minutes * 60_000 && n < 100_000; n++) {
    starts.push(now);
    policy.attempted(now);
    const {lived} = outcome(n);
    now += lived;
    const delay = policy.next(now, outcome(n));
    if (delay === undefined) break;
    now += delay;
  }
  return starts;
}

/** The most attempts that started within any 60 s. */
function busiestMinute(starts: number[]): number {
  let most = 0;
  for (let i = 0, j = 0; i < starts.length; i++) {
    while (starts[i]! - starts[j]! >= 60_000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('retry policy', () => {
  it('grows exponentially from the initial delay and stops at the cap', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7].map((n) =>
      reconnectDelay(n, DEFAULT_RETRY, undefined, undefined, 0),
    );
    expect(delays).to.deep.equal([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it('jitter adds at most half, never subtracts', () => {
    for (const r of [0, 0.25, 0.5, 0.999]) {
      const d = reconnectDelay(3, DEFAULT_RETRY, undefined, undefined, r);
      expect(d).to.be.within(4000, 6000);
    }
    expect(reconnectDelay(20, DEFAULT_RETRY, undefined, undefined, 0.999)).to.be.at.most(45000);
  });

  it("a server's retry: replaces the base delay", () => {
    expect(reconnectDelay(1, DEFAULT_RETRY, 5000, undefined, 0)).to.equal(5000);
    expect(reconnectDelay(2, DEFAULT_RETRY, 5000, undefined, 0)).to.equal(10000);
    // A retry: beyond maxDelay is still honoured as asked, up to maxRetryAfter.
    expect(reconnectDelay(1, DEFAULT_RETRY, 60000, undefined, 0)).to.equal(60000);
  });

  it('holds what a server asks for within [1 s, maxRetryAfter], and no delay beyond a timer', () => {
    expect(reconnectDelay(1, DEFAULT_RETRY, 0, undefined, 0)).to.equal(1000);
    expect(reconnectDelay(1, DEFAULT_RETRY, 99_999_999_999, undefined, 0.999)).to.equal(120_000);
    expect(reconnectDelay(1, DEFAULT_RETRY, undefined, 0, 0)).to.equal(1000);
    expect(reconnectDelay(1, DEFAULT_RETRY, undefined, 99_999_999_999_000, 0)).to.equal(120_000);
    const widest = resolveRetryOptions({maxDelay: MAX_TIMER, maxRetryAfter: MAX_TIMER});
    expect(reconnectDelay(60, widest, undefined, undefined, 0.999)).to.equal(MAX_TIMER);
    expect(reconnectDelay(1, widest, Infinity, Infinity, 0.999)).to.equal(MAX_TIMER);
    expect(() => resolveRetryOptions({maxRetryAfter: MAX_TIMER + 1})).to.throw(RangeError);
  });

  it('bounds attempts in any minute whatever the server does, fresh records included', () => {
    // retry: 0 and a fresh record, then the end of the stream, again and again (and a user
    // who set no delay at all): the window still holds.
    const eager = resolveRetryOptions({initialDelay: 0, maxDelay: 0});
    const hostile = simulate(
      new ReconnectPolicy(eager, () => 0),
      () => ({contact: true, lived: 0}),
      10,
    );
    expect(busiestMinute(hostile)).to.equal(12);
    expect(hostile.length).to.be.at.most(12 * 10);
    // With the defaults, the server's retry: 0 is raised to the floor and grows.
    const policy = new ReconnectPolicy(DEFAULT_RETRY, () => 0);
    policy.serverRetry(0);
    const starts = simulate(policy, () => ({contact: true, lived: 0}), 10);
    expect(starts.slice(0, 4)).to.deep.equal([0, 1000, 3000, 7000]);
    expect(busiestMinute(starts)).to.be.at.most(12);
    // A server that keeps each stream 10 s with a record and ends it: short reconnects, but
    // never more than the bound either.
    const cutter = simulate(
      new ReconnectPolicy(eager, () => 0),
      () => ({contact: true, lived: 10_000}),
      10,
    );
    expect(busiestMinute(cutter)).to.be.at.most(12);
  });

  it('gives up only after maxAttempts attempts in a row without a record', () => {
    const policy = new ReconnectPolicy(resolveRetryOptions({maxAttempts: 3}), () => 0);
    const lost = {contact: false, lived: 0};
    expect(policy.next(0, lost)).to.equal(1000);
    expect(policy.next(0, {contact: true, lived: 0})).to.equal(2000);
    expect(policy.next(0, lost)).to.equal(4000);
    expect(policy.next(0, lost)).to.equal(8000);
    expect(policy.next(0, lost)).to.equal(undefined);
    expect(policy.failures).to.equal(3);
  });

  it('Retry-After is a floor, bounded by maxRetryAfter', () => {
    expect(reconnectDelay(1, DEFAULT_RETRY, undefined, 9000, 0)).to.equal(9000);
    expect(reconnectDelay(5, DEFAULT_RETRY, undefined, 9000, 0)).to.equal(16000);
    expect(reconnectDelay(1, DEFAULT_RETRY, undefined, 3_600_000, 0)).to.equal(120_000);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-24T10:00:00Z');
    expect(parseRetryAfter('120', now)).to.equal(120_000);
    expect(parseRetryAfter(' 0 ', now)).to.equal(0);
    expect(parseRetryAfter('Tue, 24 Nov 2026 10:00:30 GMT', now)).to.equal(30_000);
    expect(parseRetryAfter('Tue, 24 Nov 2026 09:00:00 GMT', now)).to.equal(0);
    expect(parseRetryAfter('soon', now)).to.equal(undefined);
    expect(parseRetryAfter(null, now)).to.equal(undefined);
  });

  it('rejects settings that would hammer a server or never end', () => {
    expect(() => resolveRetryOptions({initialDelay: -1})).to.throw(RangeError);
    expect(() => resolveRetryOptions({factor: 0.5})).to.throw(RangeError);
    expect(() => resolveRetryOptions({maxAttempts: Infinity})).to.throw(RangeError);
    expect(() => resolveRetryOptions({maxDelay: 2 ** 31})).to.throw(RangeError);
    expect(() => resolveRetryOptions({maxRetryAfter: Infinity})).to.throw(RangeError);
    expect(resolveRetryOptions({maxAttempts: 3, initialDelay: undefined})).to.deep.equal({
      ...DEFAULT_RETRY,
      maxAttempts: 3,
    });
  });
});
