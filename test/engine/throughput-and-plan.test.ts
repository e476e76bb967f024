import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { planSyncs, runSyncs } from '../../src/sync/engine/index.js';
import { createEngineWorld, csv, OWNER_ID, type EngineWorld } from './helpers/engine-world.js';
import { companiesSyncYaml, PROSPECTS_ONE_PHONE } from '../../bench/lib/companies-sync-yaml.js';

const CONFIG = `
version: 1
syncs:
${companiesSyncYaml(PROSPECTS_ONE_PHONE)}
  - name: opportunities
    object: Opportunity
    source: { type: csv, path: opportunities.csv }
    fields:
      title: Title
      projectedCloseDate: { value: '2026-12-31T00:00:00Z' }
      startDate: { value: '2026-12-01T00:00:00Z' }
      companyID: { column: Company, ref: Company }
      ownerResourceID: { value: ${OWNER_ID} }
      status: { default: Active }
      stage: { default: Qualified }
      probability: { default: 50 }
      amount: { default: 0 }
      cost: { default: 0 }
      useQuoteTotals: { default: true }
`;

describe('throughput within the thread limit, and the plan’s cost estimate', () => {
  let world: EngineWorld;
  beforeEach(async () => {
    // Every call takes a little time, as over a real network.
    world = await createEngineWorld({ latency: { baseMs: 15 } });
    world.file(
      'companies.csv',
      csv(
        ['Name'],
        Array.from({ length: 30 }, (_, i) => [`Lane Co ${i}`]),
      ),
    );
    world.file(
      'opportunities.csv',
      csv(
        ['Title', 'Company'],
        Array.from({ length: 60 }, (_, i) => [`Deal ${i}`, `Lane Co ${i % 30}`]),
      ),
    );
  });
  afterEach(async () => {
    await world.close();
  });

  it('plans the cost and time first, then runs companies and opportunities side by side, never above 3 in flight per endpoint', async () => {
    const config = world.config(CONFIG);
    const plan = await planSyncs(world.deps, config);
    expect(plan.counts).toMatchObject({ created: 90 });
    // 90 creates + the reads a run repeats + read-backs of what it writes.
    expect(plan.estimatedCalls).toBeGreaterThanOrEqual(90);
    expect(plan.estimatedCalls).toBeLessThanOrEqual(90 + 12);
    expect(plan.budgetLeft).toBeGreaterThan(0);
    expect(plan.etaMs).toBeGreaterThan(0);
    expect(world.emulator.stats().byOperation['create'] ?? 0).toBe(0);

    world.emulator.resetCounters();
    const run = await runSyncs(world.deps, config);
    expect(run.counts.created).toBe(90);
    expect(run.apiCalls).toBeLessThanOrEqual(plan.estimatedCalls);
    const limits = world.emulator.stats().limits;
    expect(limits.peakInFlightPerBucket).toBe(3);
    expect(limits.rejectedThread).toBe(0);
    // Opportunities of companies already created started while other companies were still being
    // created. (Contacts are written through /Companies/{id}/Contacts, so the client gives them
    // the Companies lane too: they overlap less.)
    const created = (entity: 'Companies' | 'Opportunities'): number[] =>
      [...world.emulator.tenant.tables[entity].scan()]
        .filter((r) => r.id !== 0)
        .map((r) => Date.parse(String(r.values['createDate'])));
    expect(Math.min(...created('Opportunities'))).toBeLessThan(Math.max(...created('Companies')));
  });

  it("keeps in a plan's ledger only the rows to act on; creates are counted and sampled in the report", async () => {
    // One opportunity names a company nobody has: invalid.
    world.file(
      'opportunities.csv',
      csv(
        ['Title', 'Company'],
        [
          ...Array.from({ length: 60 }, (_, i) => [`Deal ${i}`, `Lane Co ${i % 30}`]),
          ['Stray', 'Nobody Inc'],
        ],
      ),
    );
    const config = world.config(CONFIG);
    const plan = await planSyncs(world.deps, config, { maxDiffsInReport: 5 });
    expect(plan.counts).toMatchObject({ created: 90, invalid: 1 });
    // The report samples the first creates of each sync, with what they would send.
    const companies = plan.syncs.find((s) => s.name === 'companies')!;
    expect(companies.outcomes).toHaveLength(5);
    expect(companies.outcomes[0]!.diff).toMatchObject({ companyName: { from: null, to: 'Lane Co 0' } });
    // The ledger has the invalid row, not one row per record the run would create.
    const ledger = world.state.queryLedger({ runId: plan.runId });
    expect(ledger.map((e) => e.action)).toEqual(['invalid']);
    expect(world.state.countLedger(plan.runId).created).toBe(0);

    // A run keeps every row.
    const run = await runSyncs(world.deps, config);
    expect(world.state.countLedger(run.runId)).toMatchObject({ created: 90, invalid: 1 });
  });
});
