// The watchdog's one timer: it never clears a timer that is not its own, and leaves none
// behind once the connections it watched are gone.
import assert from 'node:assert/strict';
import {describe, it} from 'node:test';
import {Watchdog} from '../../src/transport/watchdog.js';

/** A clock whose timer handles count from 0 (as a page's own clock may). */
function clockFromZero() {
  let now = 0;
  let next = 0;
  const timers = new Map<number, {at: number; callback: () => void}>();
  return {
    timers,
    now: () => now,
    setTimeout(callback: () => void, ms: number): unknown {
      timers.set(next, {at: now + ms, callback});
      return next++;
    },
    clearTimeout: (handle: unknown) => void timers.delete(handle as number),
    /** Moves to `at` and fires what is due. */
    to(at: number) {
      now = at;
      for (const [handle, timer] of [...timers]) {
        if (timer.at <= now) {
          timers.delete(handle);
          timer.callback();
        }
      }
    },
  };
}

describe('watchdog', () => {
  it('never clears another\'s timer: handle 0 is not taken for "none armed"', () => {
    const clock = clockFromZero();
    const mine = clock.setTimeout(() => {}, 50);
    assert.equal(mine, 0);
    const dog = new Watchdog(clock);
    const idle = {at: Infinity, stop() {}};
    dog.add(idle);
    dog.delete(idle);
    dog.add({at: 100, stop() {}});
    assert.ok(clock.timers.has(0), 'the other timer is still there');
  });

  it('no timer left when ending one connection ends the others it had counted', () => {
    const clock = clockFromZero();
    const dog = new Watchdog(clock);
    const later = {at: 20, stop: () => dog.delete(later)};
    // Ending the first ends the second too (as a shared abort may).
    const first = {
      at: 10,
      stop() {
        dog.delete(first);
        later.stop();
      },
    };
    dog.add(later);
    dog.add(first);
    clock.to(15);
    assert.equal(clock.timers.size, 0);
  });
});
