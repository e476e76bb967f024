/**
 * Concurrency lanes: at most `concurrency` requests in flight per Autotask entity endpoint (Autotask
 * allows 3 per integration code + endpoint and answers the 4th with a thread-limit error). One
 * p-queue per endpoint; a request that touches two endpoints (a Contact written through
 * `/Companies/{id}/Contacts`) holds a slot in both, taken in name order so lanes cannot deadlock.
 */
import PQueue from 'p-queue';

export interface EndpointLanes {
  /** Runs `task` once a slot is free in every lane of `keys` (no lanes when `keys` is empty). */
  run<T>(keys: readonly string[], task: () => Promise<T>): Promise<T>;
  /** Requests in flight in a lane. */
  inFlight(key: string): number;
}

export function createEndpointLanes(options: {
  /**
   * Requests in flight per lane.
   * @default 3
   */
  concurrency?: number;
}): EndpointLanes {
  const concurrency = options.concurrency ?? 3;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`threadsPerEntity must be a positive integer; got ${concurrency}`);
  }
  const queues = new Map<string, PQueue>();
  const queue = (key: string): PQueue => {
    const k = key.toLowerCase();
    let q = queues.get(k);
    if (!q) {
      q = new PQueue({ concurrency });
      queues.set(k, q);
    }
    return q;
  };
  const run = <T>(keys: readonly string[], task: () => Promise<T>): Promise<T> => {
    const sorted = [...new Set(keys.map((k) => k.toLowerCase()))].sort();
    const nest = (i: number): Promise<T> => {
      const key = sorted[i];
      if (key === undefined) return task();
      return queue(key).add(() => nest(i + 1));
    };
    return nest(0);
  };
  return { run, inFlight: (key) => queues.get(key.toLowerCase())?.pending ?? 0 };
}
