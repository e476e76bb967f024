/**
 * A clock ahead of the system clock by `offset` ms, for the settle-period tests: the emulator keeps
 * real time while the engine is told that a minute has passed. Sleeps are real.
 */
import { systemClock, type Clock } from '../../../src/shared/clock.js';

/** The system clock moved forward by `offset` ms (the emulator keeps real time). */
export class ShiftedClock implements Clock {
  /** How far ahead of the system clock, ms. @default 0 */
  offset = 0;
  now(): number {
    return Date.now() + this.offset;
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return systemClock.sleep(ms, signal);
  }
}
