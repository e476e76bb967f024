/**
 * A create whose outcome is unknown (the client timed out, or the connection dropped) may still land
 * in Autotask after the run looked for it by key. Its intent stays pending for the settle period: a
 * run started before the late write lands holds the row back instead of creating it a second time,
 * and only after the settle period is a record still missing created again. Real HTTP on loopback (the
 * client's timeout), the emulator's `slow` and `drop-before` faults on the create, and an engine clock
 * the test moves forward.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createAutotaskClient } from '../../src/autotask/index.js';
import { runSyncs, type EngineDeps, type RunSummary } from '../../src/sync/engine/index.js';
import { createEngineWorld, csv, type EngineWorld } from './helpers/engine-world.js';
import { ShiftedClock } from './helpers/shifted-clock.js';
import { companiesSyncYaml, PROSPECTS_ONE_PHONE } from '../../bench/lib/companies-sync-yaml.js';

const CONFIG = `
version: 1
syncs:
${companiesSyncYaml(PROSPECTS_ONE_PHONE)}
`;

const SETTLE_MS = 60_000;
const CLIENT_TIMEOUT_MS = 250;
/** How long the emulator takes over the slow create: far longer than a run, so it lands late. */
const SLOW_CREATE_MS = 2_500;

describe('a create whose outcome is unknown', () => {
  let world: EngineWorld;
  let clock: ShiftedClock;
  let url: string;

  beforeEach(async () => {
    world = await createEngineWorld();
    url = (await world.emulator.listen({ port: 0 })).url;
    clock = new ShiftedClock();
    world.file(
      'companies.csv',
      csv(
        ['Name'],
        ['Late Firm 0', 'Late Firm 1', 'Late Firm 2'].map((n) => [n]),
      ),
    );
  });
  afterEach(async () => {
    await world.close();
  });

  /** One run as a new process would do it: fresh state store and an HTTP client with a short timeout. */
  const run = async (): Promise<RunSummary> => {
    world.reopen();
    const client = createAutotaskClient({
      metadata: { cache: world.state.metadataCache },
      username: world.emulator.credentials.userName,
      secret: world.emulator.credentials.secret,
      integrationCode: world.emulator.credentials.integrationCode,
      url,
      allowInsecureHttp: true,
      timeoutMs: CLIENT_TIMEOUT_MS,
      budget: { reconcileIntervalMs: false },
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
    });
    const deps: EngineDeps = { ...world.deps, client, clock };
    return runSyncs(deps, world.config(CONFIG), { intentSettleMs: SETTLE_MS });
  };

  const companies = (): { id: number; name: string }[] =>
    [...world.emulator.tenant.tables.Companies.scan()]
      .map((r) => ({ id: r.id, name: String(r.values['companyName']) }))
      .filter((c) => c.name.startsWith('Late Firm'));

  const failedReasons = (summary: RunSummary): string[] =>
    world.state.queryLedger({ runId: summary.runId, action: 'failed' }).map((e) => e.reason ?? '');

  it('is never created twice when it lands after the next run started; found by key once it lands', async () => {
    world.emulator.faults.addRule({
      match: { method: 'POST', entity: 'Companies', isWrite: true },
      kind: 'slow',
      delayMs: SLOW_CREATE_MS,
      times: 1,
    });
    const first = await run();
    expect(first.counts).toMatchObject({ created: 2, failed: 1 });
    expect(failedReasons(first)[0]).toMatch(/reconciled by key after .* UTC, before any retry/);
    const [pending] = world.state.listUnresolvedIntents('companies');
    expect(pending?.outcomeUnknownAt).toEqual(expect.any(Number));

    // Re-run at once: Autotask is still processing the first create.
    expect(companies()).toHaveLength(2);
    const second = await run();
    expect(second.counts).toMatchObject({ created: 0, unchanged: 2, failed: 1 });
    expect(failedReasons(second)[0]).toMatch(
      new RegExp(`earlier create of this record \\(run ${first.runId}\\) had an unknown outcome`),
    );
    expect(world.state.listUnresolvedIntents('companies')).toHaveLength(1);

    // The late create lands; the next run (past the settle period, too) finds it by key.
    await expect.poll(() => companies().length, { timeout: SLOW_CREATE_MS * 4, interval: 50 }).toBe(3);
    clock.offset = SETTLE_MS + 1_000;
    const third = await run();
    expect(third.counts).toMatchObject({ created: 0, unchanged: 3, failed: 0 });
    const all = companies();
    expect(all).toHaveLength(3);
    expect(new Set(all.map((c) => c.name)).size).toBe(3);
    expect(world.state.listUnresolvedIntents()).toEqual([]);
    const heldKey = world.state.queryLedger({ runId: first.runId, action: 'failed' })[0]?.key ?? '';
    const late = all.find((c) => c.name.toLowerCase() === heldKey);
    expect(late).toBeDefined();
    expect(world.state.getLink({ sync: 'companies', object: 'Company', key: heldKey })?.autotaskId).toBe(
      late?.id,
    );
  });

  it('is created again, exactly once, only after the settle period when it never landed', async () => {
    world.emulator.faults.addRule({
      match: { method: 'POST', entity: 'Companies', isWrite: true },
      kind: 'drop-before',
      times: 1,
    });
    const first = await run();
    expect(first.counts).toMatchObject({ created: 2, failed: 1 });

    // Within the settle period: held back, no create sent.
    clock.offset = SETTLE_MS - 5_000;
    const second = await run();
    expect(second.counts).toMatchObject({ created: 0, unchanged: 2, failed: 1 });
    expect(second.apiCalls).toBeLessThan(first.apiCalls);
    expect(companies()).toHaveLength(2);

    clock.offset = SETTLE_MS + 1_000;
    const third = await run();
    expect(third.counts).toMatchObject({ created: 1, unchanged: 2, failed: 0 });
    expect(third.status).toBe('succeeded');
    const all = companies();
    expect(all.map((c) => c.name).sort()).toEqual(['Late Firm 0', 'Late Firm 1', 'Late Firm 2']);
    expect(world.state.listUnresolvedIntents()).toEqual([]);

    const fourth = await run();
    expect(fourth.counts).toMatchObject({ created: 0, unchanged: 3, failed: 0 });
    expect(companies()).toHaveLength(3);
  });
});
