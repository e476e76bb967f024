import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { runSyncs, planSyncs } from '../../src/sync/engine/index.js';
import { createEngineWorld, csv, type EngineWorld } from './helpers/engine-world.js';
import { companiesSyncYaml } from '../../bench/lib/companies-sync-yaml.js';

const CONFIG = `
version: 1
syncs:
${companiesSyncYaml({ moreFields: ['webAddress: { column: Web, direction: autotask }'] })}
`;

const HEADER = ['Name', 'Phone', 'Web'];
const rowsOf = (n: number): string[][] =>
  Array.from({ length: n }, (_, i) => [
    `Firm ${i}`,
    `+1 555 02${String(i).padStart(2, '0')}`,
    `https://firm${i}.example`,
  ]);

describe('change detection', () => {
  let world: EngineWorld;
  beforeEach(async () => {
    world = await createEngineWorld();
  });
  afterEach(async () => {
    await world.close();
  });

  async function companyByName(name: string): Promise<Record<string, unknown>> {
    for await (const c of world.client.companies.query({
      filter: [{ op: 'eq', field: 'companyName', value: name }],
    }))
      return c;
    throw new Error(`no company ${name}`);
  }

  it("keeps Autotask's spelling of a name the key matches, so the file's spelling never renames it", async () => {
    world.file('companies.csv', csv(HEADER, [['Cascade Logistics Inc.', '+1 555 0300', '']]));
    const config = world.config(CONFIG);
    expect((await runSyncs(world.deps, config)).counts.created).toBe(1);

    // Another export spells it differently (and has a new phone): same company by its key.
    world.file('companies.csv', csv(HEADER, [['cascade logistics, inc', '+1 555 0399', '']]));
    const run = await runSyncs(world.deps, config);
    expect(run.counts).toMatchObject({ updated: 1, created: 0 });
    expect(run.syncs[0]!.outcomes[0]!.diff).toEqual({ phone: { from: '+1 555 0300', to: '+1 555 0399' } });
    expect(await companyByName('Cascade Logistics Inc.')).toMatchObject({ phone: '+1 555 0399' });

    // And it stays that way: nothing to write on the next run.
    world.emulator.resetCounters();
    expect((await runSyncs(world.deps, config)).counts).toMatchObject({ unchanged: 1, updated: 0 });
    expect(world.emulator.stats().byOperation['update'] ?? 0).toBe(0);
  });

  it('PATCHes only the changed rows, sending only the changed fields', async () => {
    const rows = rowsOf(40);
    world.file('companies.csv', csv(HEADER, rows));
    const config = world.config(CONFIG);
    expect((await runSyncs(world.deps, config)).counts.created).toBe(40);

    // 5 % of the rows change their phone.
    rows[3]![1] = '+44 20 7946 0003';
    rows[17]![1] = '+44 20 7946 0017';
    world.file('companies.csv', csv(HEADER, rows));
    world.emulator.resetCounters();
    const plan = await planSyncs(world.deps, config);
    expect(plan.counts).toMatchObject({ updated: 2, unchanged: 38, created: 0 });
    expect(plan.syncs[0]!.outcomes.map((o) => o.diff)).toEqual([
      { phone: { from: '+1 555 0203', to: '+44 20 7946 0003' } },
      { phone: { from: '+1 555 0217', to: '+44 20 7946 0017' } },
    ]);
    expect(world.emulator.stats().byOperation['update'] ?? 0).toBe(0);

    world.emulator.resetCounters();
    const run = await runSyncs(world.deps, config);
    expect(run.counts).toMatchObject({ updated: 2, unchanged: 38, created: 0, failed: 0 });
    const stats = world.emulator.stats();
    expect(stats.byOperation['update']).toBe(2);
    expect(stats.byOperation['create'] ?? 0).toBe(0);
    // Target: ≤ 1.01 × changed + 10; here 2 PATCHes + incremental read + read-back.
    expect(run.apiCalls).toBeLessThanOrEqual(Math.ceil(2 * 1.01) + 10);
    expect((await companyByName('Firm 3'))['phone']).toBe('+44 20 7946 0003');
    const ledger = world.state.queryLedger({ runId: run.runId, action: 'updated' });
    expect(ledger.map((e) => Object.keys(e.diff ?? {}))).toEqual([['phone'], ['phone']]);
    expect(ledger.map((e) => e.sourceLocation)).toEqual([
      expect.stringMatching(/companies\.csv:5$/),
      expect.stringMatching(/companies\.csv:19$/),
    ]);
  });

  it('detects edits made in Autotask and applies each field\u2019s direction; unmapped fields are never touched', async () => {
    const rows = rowsOf(10);
    world.file('companies.csv', csv(HEADER, rows));
    const config = world.config(CONFIG);
    await runSyncs(world.deps, config);

    const firm5 = await companyByName('Firm 5');
    const firm6 = await companyByName('Firm 6');
    const firm7 = await companyByName('Firm 7');
    // Someone else edits Autotask: a source-owned field, an Autotask-owned field (set and cleared), and an unmapped one.
    await world.client.companies.update({
      id: firm5['id'] as number,
      phone: '+1 999 0000',
      city: 'Springfield',
    });
    await world.client.companies.update({
      id: firm6['id'] as number,
      webAddress: 'https://changed-in-autotask.example',
    });
    await world.client.companies.update({ id: firm7['id'] as number, webAddress: null });

    world.emulator.resetCounters();
    const run = await runSyncs(world.deps, config);
    expect(run.counts).toMatchObject({ updated: 2, unchanged: 8, created: 0 });
    const diffs = world.state.queryLedger({ runId: run.runId, action: 'updated' }).map((e) => e.diff);
    expect(diffs).toEqual([
      { phone: { from: '+1 999 0000', to: '+1 555 0205' } },
      { webAddress: { from: null, to: 'https://firm7.example' } },
    ]);
    const after5 = await companyByName('Firm 5');
    expect(after5['phone']).toBe('+1 555 0205'); // the source wins
    expect(after5['city']).toBe('Springfield'); // unmapped: untouched
    expect((await companyByName('Firm 6'))['webAddress']).toBe('https://changed-in-autotask.example'); // Autotask wins
    expect((await companyByName('Firm 7'))['webAddress']).toBe('https://firm7.example'); // filled while empty
    expect(world.emulator.stats().byOperation['update']).toBe(2);
  });
});
