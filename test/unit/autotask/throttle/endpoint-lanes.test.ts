import { describe, expect, it } from 'vitest';

import { createEndpointLanes } from '../../../../src/autotask/throttle/endpoint-lanes.js';

/** A task that stays in flight until released, recording the peak in-flight count per lane. */
function gate() {
  const releases: (() => void)[] = [];
  const inFlight = new Map<string, number>();
  const peak = new Map<string, number>();
  const task = (lanes: string[]) => () =>
    new Promise<void>((resolve) => {
      for (const l of lanes) {
        inFlight.set(l, (inFlight.get(l) ?? 0) + 1);
        peak.set(l, Math.max(peak.get(l) ?? 0, inFlight.get(l)!));
      }
      releases.push(() => {
        for (const l of lanes) inFlight.set(l, inFlight.get(l)! - 1);
        resolve();
      });
    });
  return { releases, peak, task };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('endpoint lanes', () => {
  it('keeps at most 3 requests in flight per endpoint, and endpoints independent', async () => {
    const lanes = createEndpointLanes({ concurrency: 3 });
    const g = gate();
    const all = [
      ...Array.from({ length: 7 }, () => lanes.run(['Companies'], g.task(['Companies']))),
      ...Array.from({ length: 4 }, () => lanes.run(['Opportunities'], g.task(['Opportunities']))),
    ];
    await tick();
    expect(lanes.inFlight('Companies')).toBe(3);
    expect(lanes.inFlight('companies')).toBe(3); // names are case-insensitive, like Autotask's
    expect(lanes.inFlight('Opportunities')).toBe(3);
    while (g.releases.length > 0) {
      g.releases.shift()!();
      await tick();
    }
    await Promise.all(all);
    expect(g.peak.get('Companies')).toBe(3);
    expect(g.peak.get('Opportunities')).toBe(3);
  });

  it('holds a slot in both lanes for a child route, without deadlock', async () => {
    const lanes = createEndpointLanes({ concurrency: 2 });
    const g = gate();
    const all = [
      ...Array.from({ length: 3 }, () =>
        lanes.run(['Contacts', 'Companies'], g.task(['Companies', 'Contacts'])),
      ),
      ...Array.from({ length: 3 }, () => lanes.run(['Companies'], g.task(['Companies']))),
    ];
    await tick();
    expect(lanes.inFlight('Companies')).toBe(2);
    while (g.releases.length > 0) {
      g.releases.shift()!();
      await tick();
    }
    await Promise.all(all);
    expect(g.peak.get('Companies')).toBe(2);
    expect(g.peak.get('Contacts')).toBe(2);
  });

  it('runs lane-less requests at once and passes results and errors through', async () => {
    const lanes = createEndpointLanes({});
    await expect(lanes.run([], () => Promise.resolve(42))).resolves.toBe(42);
    await expect(lanes.run(['X'], () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });

  it('rejects a nonsense concurrency', () => {
    expect(() => createEndpointLanes({ concurrency: 0 })).toThrow(/threadsPerEntity/);
  });
});
