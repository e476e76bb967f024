/**
 * A measuring probe for the throughput scenario: wraps this process's global `fetch` (which the
 * product's client uses by default) and records, per Autotask endpoint, when each request started and
 * ended. Nothing is changed in the requests. `stop()` restores the original `fetch`.
 */
export interface EndpointTimeline {
  /** Requests to this endpoint (reads and writes). */
  requests: number;
  /** POST/PATCH/PUT that were not queries (creates and updates). */
  writes: number;
  /** From the first write's start to the last write's end, in ms (0 when no writes). */
  writeSpanMs: number;
  /** Sum of every write's duration, in ms: divided by `writeSpanMs` it is the mean writes in flight. */
  writeBusyMs: number;
  /** From the first request's start to the last request's end, in ms. */
  spanMs: number;
}

interface Entry {
  requests: number;
  writes: number;
  first: number;
  last: number;
  firstWrite: number;
  lastWrite: number;
  writeBusy: number;
}

/** `Companies` from `.../ATServicesRest/V1.0/Companies/query`; `Contacts` from `/Companies/5/Contacts`. */
export function endpointOf(url: string): string {
  const path = new URL(url).pathname.split('/').filter(Boolean);
  const v = path.findIndex((p) => /^v1\.0$/i.test(p));
  const rest = v >= 0 ? path.slice(v + 1) : path;
  if (rest.length >= 3 && /^\d+$/.test(rest[1] ?? '')) return rest[2] ?? 'unknown';
  return rest[0] ?? 'unknown';
}

export function startCallTimeline(): { stop(): Record<string, EndpointTimeline> } {
  const original = globalThis.fetch;
  const entries = new Map<string, Entry>();
  let stopped = false;
  globalThis.fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const isWrite = method !== 'GET' && !/\/query(\/|$|\?)/i.test(new URL(url).pathname);
    const start = performance.now();
    try {
      return await original(input, init);
    } finally {
      const end = performance.now();
      const name = endpointOf(url);
      let e = entries.get(name);
      if (!e) {
        e = {
          requests: 0,
          writes: 0,
          first: start,
          last: end,
          firstWrite: Infinity,
          lastWrite: 0,
          writeBusy: 0,
        };
        entries.set(name, e);
      }
      e.requests++;
      e.first = Math.min(e.first, start);
      e.last = Math.max(e.last, end);
      if (isWrite) {
        e.writes++;
        e.firstWrite = Math.min(e.firstWrite, start);
        e.lastWrite = Math.max(e.lastWrite, end);
        e.writeBusy += end - start;
      }
    }
  };
  return {
    stop() {
      if (!stopped) globalThis.fetch = original;
      stopped = true;
      const out: Record<string, EndpointTimeline> = {};
      for (const [name, e] of entries)
        out[name] = {
          requests: e.requests,
          writes: e.writes,
          writeSpanMs: e.writes ? e.lastWrite - e.firstWrite : 0,
          writeBusyMs: e.writeBusy,
          spanMs: e.last - e.first,
        };
      return out;
    },
  };
}
