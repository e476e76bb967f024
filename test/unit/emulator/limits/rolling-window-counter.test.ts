import { describe, it } from 'vitest';
import fc from 'fast-check';

import { RollingWindowCounter } from '../../../../src/emulator/limits/index.js';
import { ManualClock } from '../../../../src/shared/clock.js';

describe('RollingWindowCounter', () => {
  it('agrees with a naive list of timestamps for any sequence of events and clock moves', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 5000 })), { maxLength: 3000 }),
        (steps) => {
          const clock = new ManualClock(0);
          const counter = new RollingWindowCounter(1000, clock);
          const naive: number[] = [];
          for (const step of steps) {
            if (step === -1) {
              counter.add();
              naive.push(clock.now());
            } else {
              clock.advance(step % 700);
            }
            const expected = naive.filter((t) => t > clock.now() - 1000).length;
            if (counter.count() !== expected) return false;
          }
          return true;
        },
      ),
      { numRuns: 200 },
    );
  });
});
