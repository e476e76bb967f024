/**
 * Counts requests in flight per bucket (integration code + endpoint, §9.3) and refuses a request
 * when its bucket is full. Keys are compared case-insensitively.
 */
export class ThreadLimiter {
  private readonly inFlightByKey = new Map<string, number>();
  private total = 0;
  private peak = 0;

  /** Takes a slot in `key`'s bucket if fewer than `limit` are taken; returns its release, or null. */
  tryAcquire(key: string, limit: number): (() => void) | null {
    const k = key.toLowerCase();
    const current = this.inFlightByKey.get(k) ?? 0;
    if (current >= limit) return null;
    this.inFlightByKey.set(k, current + 1);
    this.total += 1;
    this.peak = Math.max(this.peak, current + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.inFlightByKey.get(k) ?? 1) - 1;
      if (n <= 0) this.inFlightByKey.delete(k);
      else this.inFlightByKey.set(k, n);
      this.total -= 1;
    };
  }

  /** Requests in flight over all buckets. */
  inFlight(): number {
    return this.total;
  }

  /** Highest count seen in any one bucket since the last `resetPeak()`. */
  peakPerBucket(): number {
    return this.peak;
  }

  resetPeak(): void {
    this.peak = Math.max(0, ...this.inFlightByKey.values());
  }
}
