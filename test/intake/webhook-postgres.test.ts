/**
 * The webhook path into a PostgreSQL table (the other SQL system of two-way syncs): a company created
 * and changed in the emulator reaches `<own schema>.companies` through signed callouts.
 */
import { randomUUID } from 'node:crypto';

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startIntakeService, type IntakeService } from '../../src/intake/intake-service.js';
import { createEngineWorld, type EngineWorld } from '../engine/helpers/engine-world.js';
import { OWNER_ID } from './helpers/intake-world.js';

const POSTGRES_URL = process.env['TEST_POSTGRES_URL'];
const SECRET = 'postgres-webhook-secret-0123456789';

describe.skipIf(POSTGRES_URL === undefined)('Autotask webhook intake into PostgreSQL', () => {
  const schema = `intake_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let admin: pg.Client;
  let world: EngineWorld;
  let service: IntakeService;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(
      `CREATE TABLE ${schema}.companies (autotask_id BIGINT PRIMARY KEY, name TEXT, phone TEXT, updated_at TIMESTAMPTZ)`,
    );
    world = await createEngineWorld();
    const config = world.config(`version: 1
intakes:
  - name: pg-companies
    type: autotask-webhook
    secret: ${SECRET}
    object: Company
    reconcileMinutes: 0
    table: { type: postgres, url: "${POSTGRES_URL}", table: ${schema}.companies, key: autotask_id, updatedAt: updated_at }
    columns: { companyName: name, phone: phone }
`);
    service = await startIntakeService({
      intakes: config.intakes,
      statePath: world.state.path,
      engine: {
        client: world.client,
        state: world.state,
        clock: world.deps.clock,
        logger: world.deps.logger,
      },
      port: 0,
    });
    world.emulator.webhooks.register({
      entity: 'Companies',
      webhookUrl: `${service.origin}/intake/pg-companies`,
      secretKey: SECRET,
    });
  }, 60_000);

  afterAll(async () => {
    await service?.close();
    await world?.close();
    await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin?.end();
  });

  it('inserts the new company and updates its changed phone', async () => {
    const id = await world.client.companies.create({
      companyName: 'Pg Hook Co',
      companyType: 1,
      ownerResourceID: OWNER_ID,
      phone: '100',
    });
    await world.client.companies.update({ id, phone: '200' });
    const deadline = Date.now() + 10_000;
    let row: { name: string; phone: string; updated_at: Date | null } | undefined;
    while (Date.now() < deadline) {
      const res = await admin.query<{ name: string; phone: string; updated_at: Date | null }>(
        `SELECT name, phone, updated_at FROM ${schema}.companies WHERE autotask_id = $1`,
        [id],
      );
      row = res.rows[0];
      if (row?.phone === '200') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(row).toMatchObject({ name: 'Pg Hook Co', phone: '200' });
    expect(row?.updated_at).toBeInstanceOf(Date);
    const count = await admin.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${schema}.companies`);
    expect(Number(count.rows[0]?.n)).toBe(1);
  });
});
