/**
 * `run --watch` with a two-way sync: ten passes of the watch loop, with an edit on the table before
 * pass 3 and one in Autotask before pass 6. Each edit crosses over once; every other pass writes
 * nothing and makes one change-detection query (no echo of the sync's own writes).
 */
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { runWatchLoop } from '../../../src/cli/watch-loop.js';
import { ExitCode } from '../../../src/cli/exit-codes.js';
import { ManualClock, systemClock } from '../../../src/shared/clock.js';
import { silentLogger } from '../../../src/shared/logger.js';
import { runTwoWaySyncs, twoWayExitCode } from '../../../src/sync/two-way/index.js';
import { createEngineWorld, OWNER_ID, type EngineWorld } from '../helpers/engine-world.js';
import { querySqlite } from '../helpers/two-way-support.js';

let world: EngineWorld;

beforeEach(async () => {
  world = await createEngineWorld();
  const db = new Database(join(world.dir, 'crm.sqlite'));
  db.exec(`CREATE TABLE companies (id INTEGER PRIMARY KEY, name TEXT, phone TEXT, updated_at INTEGER)`);
  db.prepare('INSERT INTO companies (name, phone, updated_at) VALUES (?, ?, ?)').run(
    'Watched Co',
    '+1 555 0600',
    Date.now() - 60_000,
  );
  db.close();
});
afterEach(async () => {
  await world.close();
});

describe('two-way under the watch loop', () => {
  it('keeps both sides in step over 10 passes without echoes', async () => {
    const config = world.config(`
version: 1
twoWay:
  - name: watched
    object: Company
    table: { type: sqlite, path: crm.sqlite, table: companies, key: id, updatedAt: updated_at }
    rule: most-recent
    autotaskDefaults: { companyType: 1, ownerResourceID: ${OWNER_ID} }
    fields:
      companyName: name
      phone: phone
`);
    const sql = (statement: string, ...params: unknown[]): unknown[] =>
      querySqlite(join(world.dir, 'crm.sqlite'), statement, ...params);
    const perPass: { writes: number; calls: number; sqlWrites: number }[] = [];
    let companyId = 0;
    const controller = new AbortController();
    const result = await runWatchLoop({
      clock: new ManualClock(),
      signal: controller.signal,
      intervalMs: 60_000,
      maxPasses: 10,
      runPass: async (pass) => {
        if (pass === 3)
          sql(
            "UPDATE companies SET phone = '+1 555 0633', updated_at = ? WHERE name = 'Watched Co'",
            Date.now(),
          );
        if (pass === 6) await world.client.companies.update({ id: companyId, phone: '+1 555 0666' });
        world.emulator.resetCounters();
        const summary = await runTwoWaySyncs(
          { client: world.client, state: world.state, clock: systemClock, logger: silentLogger },
          config.twoWay,
        );
        const stats = world.emulator.stats();
        const r = summary.results.find((x) => x.name === 'watched')!;
        perPass.push({
          writes: (stats.byOperation['create'] ?? 0) + (stats.byOperation['update'] ?? 0),
          calls: stats.total,
          sqlWrites: r.sql.created + r.sql.updated,
        });
        if (pass === 1) {
          const found = await world.client.findByValues('Companies', 'companyName', ['Watched Co']);
          companyId = found.get('watched co')?.[0]?.id ?? 0;
        }
        return { exitCode: twoWayExitCode(summary) };
      },
    });
    expect(result).toEqual({ passes: 10, exitCode: ExitCode.Success });
    expect(companyId).toBeGreaterThan(0);
    // pass 1 creates the company (and a row for the tenant's own company); pass 3 sends the table's
    // edit to Autotask; pass 6 brings Autotask's edit to the table; nothing else is ever written
    expect(perPass.map((p) => p.writes)).toEqual([1, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(perPass.map((p) => p.sqlWrites)).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    for (const [i, p] of perPass.entries()) if (i !== 0 && i !== 2) expect(p.calls).toBe(1);
    expect((await world.client.companies.get(companyId))?.phone).toBe('+1 555 0666');
    expect(sql('SELECT phone FROM companies WHERE name = ?', 'Watched Co')).toEqual([
      { phone: '+1 555 0666' },
    ]);
  });
});
