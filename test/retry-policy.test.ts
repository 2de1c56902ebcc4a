import {expect} from '@esm-bundle/chai';
import {
  DEFAULT_RETRY,
  parseRetryAfter,
  reconnectDelay,
  resolveRetryOptions,
} from '../src/transport/retry-policy.js';

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
    // A retry: beyond the cap is still honoured as asked.
    expect(reconnectDelay(1, DEFAULT_RETRY, 60000, undefined, 0)).to.equal(60000);
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
    expect(resolveRetryOptions({maxAttempts: 3, initialDelay: undefined})).to.deep.equal({
      ...DEFAULT_RETRY,
      maxAttempts: 3,
    });
  });
});
