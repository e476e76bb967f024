import type { Clock } from '../../shared/clock.js';

/**
 * Counts events over a rolling time window (exact to the millisecond). Events at the same
 * millisecond share one entry, so memory stays bounded by the number of distinct milliseconds in the
 * window however many events arrive.
 */
export class RollingWindowCounter {
  private readonly times: number[] = [];
  private readonly counts: number[] = [];
  private head = 0;
  private total = 0;

  /**
   * @param windowMs length of the window; an event at time t counts while now < t + windowMs.
   * @param clock time source.
   */
  constructor(
    private readonly windowMs: number,
    private readonly clock: Clock,
  ) {}

  /** Records one event now. */
  add(): void {
    const now = this.clock.now();
    const last = this.times.length - 1;
    if (last >= this.head && this.times[last] === now) {
      this.counts[last] = (this.counts[last] ?? 0) + 1;
    } else {
      this.times.push(now);
      this.counts.push(1);
    }
    this.total += 1;
  }

  /** Events in the window ending now. */
  count(): number {
    this.expire();
    return this.total;
  }

  clear(): void {
    this.times.length = 0;
    this.counts.length = 0;
    this.head = 0;
    this.total = 0;
  }

  private expire(): void {
    const cutoff = this.clock.now() - this.windowMs;
    while (this.head < this.times.length && (this.times[this.head] ?? Infinity) <= cutoff) {
      this.total -= this.counts[this.head] ?? 0;
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.counts.splice(0, this.head);
      this.head = 0;
    }
  }
}
