import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { runSyncs } from '../../src/sync/engine/index.js';
import { createEngineWorld, csv, OWNER_ID, type EngineWorld } from './helpers/engine-world.js';
import { companiesSyncYaml, PROSPECTS_ONE_PHONE } from '../../bench/lib/companies-sync-yaml.js';

const CONFIG = `
version: 1
syncs:
${companiesSyncYaml(PROSPECTS_ONE_PHONE)}
`;

describe('faults and interrupted runs', () => {
  let world: EngineWorld;
  beforeEach(async () => {
    world = await createEngineWorld();
    world.file(
      'companies.csv',
      csv(
        ['Name'],
        Array.from({ length: 12 }, (_, i) => [`Fault Firm ${i}`]),
      ),
    );
  });
  afterEach(async () => {
    await world.close();
  });

  const companyNames = (): string[] =>
    [...world.emulator.tenant.tables.Companies.scan()]
      .map((r) => String(r.values['companyName']))
      .filter((n) => n.startsWith('Fault Firm'));

  it.each(['error-after-commit', 'drop-after-commit'] as const)(
    'a create that fails after Autotask committed it (%s) is found by key, not sent again',
    async (kind) => {
      world.emulator.faults.addRule({
        match: { method: 'POST', entity: 'Companies', isWrite: true },
        kind,
        times: 3,
      });
      const run = await runSyncs(world.deps, world.config(CONFIG));
      expect(run.counts).toMatchObject({ created: 12, failed: 0 });
      expect(world.emulator.stats().faults.injected[kind]).toBe(3);
      const names = companyNames();
      expect(names).toHaveLength(12);
      expect(new Set(names).size).toBe(12);
      expect(world.state.listUnresolvedIntents()).toEqual([]);
    },
  );

  it('a create refused with a 500 before anything was written fails, is held back for the settle period, then created', async () => {
    world.emulator.faults.addRule({
      match: { method: 'POST', entity: 'Companies', isWrite: true },
      kind: 'error-before',
      times: 1,
    });
    const first = await runSyncs(world.deps, world.config(CONFIG));
    expect(first.counts).toMatchObject({ created: 11, failed: 1 });
    expect(first.status).toBe('partial');
    const failed = world.state.queryLedger({ runId: first.runId, action: 'failed' });
    expect(failed[0]!.reason).toMatch(/retried on the next run/);
    expect(companyNames()).toHaveLength(11);

    // A 500 does not prove that nothing was written: within the settle period the row is held back.
    const held = await runSyncs(world.deps, world.config(CONFIG));
    expect(held.counts).toMatchObject({ created: 0, unchanged: 11, failed: 1 });
    expect(companyNames()).toHaveLength(11);

    // A run after the settle period (here: a settle period of 0) creates it.
    const second = await runSyncs(world.deps, world.config(CONFIG), { intentSettleMs: 0 });
    expect(second.counts).toMatchObject({ created: 1, unchanged: 11, failed: 0 });
    expect(new Set(companyNames()).size).toBe(12);
    expect(companyNames()).toHaveLength(12);
  });

  it('settles intents left by a crash: linked when Autotask has the record, created again when not', async () => {
    const config = world.config(CONFIG);
    // A previous process committed two intents, sent one create, and died before recording links.
    const crashed = world.state.startRun({ mode: 'run', syncNames: ['companies'], configHash: 'x' });
    world.state.recordIntent({
      runId: crashed.id,
      sync: 'companies',
      object: 'Company',
      key: 'fault firm 0',
      payloadHash: 'h',
    });
    world.state.recordIntent({
      runId: crashed.id,
      sync: 'companies',
      object: 'Company',
      key: 'fault firm 1',
      payloadHash: 'h',
    });
    const sent = await world.client.companies.create({
      companyName: 'Fault Firm 0',
      phone: '+1 555 0100',
      companyType: 3,
      ownerResourceID: OWNER_ID,
    });

    world.reopen();
    const run = await runSyncs(world.deps, config);
    expect(run.counts).toMatchObject({ created: 11, unchanged: 1, failed: 0 });
    expect(
      world.state.getLink({ sync: 'companies', object: 'Company', key: 'fault firm 0' })?.autotaskId,
    ).toBe(sent);
    expect(world.state.listUnresolvedIntents()).toEqual([]);
    expect(companyNames()).toHaveLength(12);
  });
});
