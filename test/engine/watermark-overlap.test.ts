/**
 * The key index's incremental read starts at the newest change timestamp Autotask reported (no
 * overlap by default): it asks for `changeField gte watermark`, and the watermark is always a server
 * timestamp, never this machine's clock, so a record another integration writes in the same second
 * (committed after our read) is still read by the next run and matched, not created twice.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ManualClock } from '../../src/shared/clock.js';
import { runSyncs } from '../../src/sync/engine/index.js';
import { createEngineWorld, csv, OWNER_ID, type EngineWorld } from './helpers/engine-world.js';
import { companiesSyncYaml } from '../../bench/lib/companies-sync-yaml.js';

const CONFIG = `
version: 1
syncs:
${companiesSyncYaml()}
`;

describe('key index watermark', () => {
  let world: EngineWorld;
  let autotaskTime: ManualClock;
  beforeEach(async () => {
    autotaskTime = new ManualClock(Date.UTC(2026, 10, 27, 12, 0, 0));
    world = await createEngineWorld({ clock: autotaskTime });
  });
  afterEach(async () => {
    await world.close();
  });

  it('reads from the watermark itself, so a same-second write by another integration is matched', async () => {
    world.file('companies.csv', csv(['Name', 'Phone'], [['Acme', '+1 555 0101']]));
    const config = world.config(CONFIG);
    expect((await runSyncs(world.deps, config)).counts.created).toBe(1);
    const cursor = world.state.getIndexCursor('Company');
    expect(cursor?.value).toBeDefined();

    // Another integration creates Globex in the same second as our last write.
    const globex = await world.client.companies.create({
      companyName: 'Globex',
      companyType: 1,
      ownerResourceID: OWNER_ID,
      phone: '+1 555 0100',
    });
    world.file(
      'companies.csv',
      csv(
        ['Name', 'Phone'],
        [
          ['Acme', '+1 555 0101'],
          ['Globex', '+1 555 0100'],
        ],
      ),
    );
    const second = await runSyncs(world.deps, config);
    expect(second.counts).toMatchObject({ created: 0, unchanged: 2 });
    expect(world.state.getLink({ sync: 'companies', object: 'Company', key: 'globex' })?.autotaskId).toBe(
      globex,
    );
    // Same second: the watermark did not move, and Globex was read all the same.
    expect(world.state.getIndexCursor('Company')?.value).toBe(cursor?.value);
  });
});
