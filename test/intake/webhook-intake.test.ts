/**
 * Autotask webhooks end to end: the emulator calls out (signed, over real HTTP on loopback) when a
 * company changes; the intake verifies, queues and writes the record to a SQLite table within a
 * second. A bad signature is refused; the reconciliation pass catches a change no callout announced.
 */
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startIntakeService, type IntakeService } from '../../src/intake/intake-service.js';
import { hookSignature } from '../../src/intake/webhooks/hook-signature.js';
import type { WebhookIntakeSpec } from '../../src/intake/intake-config-schema.js';
import { autotaskCalloutJson } from '../../src/emulator/webhooks/webhook-callouts.js';
import { createEngineWorld, type EngineWorld } from '../engine/helpers/engine-world.js';
import { OWNER_ID } from './helpers/intake-world.js';

const HOOK_SECRET = 'autotask-webhook-secret-0123456789';

let world: EngineWorld;
let service: IntakeService;
let tablePath: string;

function rowOf(id: number): Record<string, unknown> | undefined {
  const db = new Database(tablePath, { readonly: true });
  try {
    return db.prepare('SELECT * FROM companies WHERE autotask_id = ?').get(id) as
      Record<string, unknown> | undefined;
  } finally {
    db.close();
  }
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  for (;;) {
    const value = probe();
    if (value !== undefined) return { value, ms: performance.now() - start };
    if (performance.now() - start > timeoutMs) throw new Error(`not seen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

beforeAll(async () => {
  world = await createEngineWorld();
  tablePath = join(world.dir, 'crm.sqlite');
  const db = new Database(tablePath);
  db.exec(
    'CREATE TABLE companies (autotask_id INTEGER PRIMARY KEY, name TEXT, phone TEXT, city TEXT, updated_at TEXT)',
  );
  db.close();
  const config = world.config(`version: 1
intakes:
  - name: crm-companies
    type: autotask-webhook
    secret: ${HOOK_SECRET}
    object: Company
    reconcileMinutes: 0
    table: { type: sqlite, path: crm.sqlite, table: companies, key: autotask_id, updatedAt: updated_at }
    columns: { companyName: name, phone: phone, city: city }
`);
  const spec = config.intakes[0] as WebhookIntakeSpec;
  expect(spec.table?.type === 'sqlite' && spec.table.path).toBe('crm.sqlite');
  service = await startIntakeService({
    intakes: [
      {
        ...spec,
        table: {
          type: 'sqlite',
          path: tablePath,
          table: 'companies',
          key: 'autotask_id',
          updatedAt: 'updated_at',
        },
      },
    ],
    statePath: world.state.path,
    engine: { client: world.client, state: world.state, clock: world.deps.clock, logger: world.deps.logger },
    port: 0,
  });
  world.emulator.webhooks.register({
    entity: 'Companies',
    webhookUrl: `${service.origin}/intake/crm-companies`,
    secretKey: HOOK_SECRET,
    subscribedFields: ['companyName', 'phone', 'city'],
  });
}, 60_000);

afterAll(async () => {
  await service.close();
  await world.close();
});

describe('Autotask webhook intake', () => {
  it('brings a company created and then changed in Autotask to the SQL table within a second', async () => {
    const id = await world.client.companies.create({
      companyName: 'Hook & Co — Zürich',
      companyType: 1,
      ownerResourceID: OWNER_ID,
      phone: '+41 44 000 00 00',
    });
    const created = await waitFor(() => rowOf(id), 5000);
    expect(created.value['name']).toBe('Hook & Co — Zürich');

    await world.client.companies.update({ id, phone: '+41 44 111 11 11' });
    const changed = await waitFor(() => {
      const row = rowOf(id);
      return row?.['phone'] === '+41 44 111 11 11' ? row : undefined;
    }, 5000);
    console.log(`webhook → table: ${changed.ms.toFixed(0)} ms after the update`);
    expect(changed.ms).toBeLessThan(1000);
    expect(typeof changed.value['updated_at']).toBe('string');

    const items = service.queue.list({ intake: 'crm-companies' });
    expect(items.length).toBeGreaterThanOrEqual(2);
    expect(items.every((i) => i.status === 'done')).toBe(true);
    expect(world.emulator.webhooks.stats().failed).toBe(0);
  });

  it('refuses a callout whose X-Hook-Signature does not match, and dedupes a re-delivery', async () => {
    const body = autotaskCalloutJson({
      Action: 'Update',
      Guid: 'guid-1',
      EntityType: 'Company',
      Id: 0,
      Fields: { phone: 'x' },
      EventTime: '2026-11-27T10:00:00Z',
      SequenceNumber: 99,
      PersonID: 1,
    });
    const send = (signature: string): Promise<Response> =>
      fetch(`${service.origin}/intake/crm-companies`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Hook-Signature': signature },
        body,
      });
    const bad = await send(hookSignature('not-the-secret-key-at-all', body));
    expect(bad.status).toBe(401);
    const good = await send(hookSignature(HOOK_SECRET, body));
    expect(good.status).toBe(202);
    const again = await send(hookSignature(HOOK_SECRET, body));
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: number }).id).toBe(((await good.json()) as { id: number }).id);
  });

  it('reconciliation finds a change no callout announced', async () => {
    const id = await world.client.companies.create({
      companyName: 'Quiet Co',
      companyType: 1,
      ownerResourceID: OWNER_ID,
      phone: '1',
    });
    await waitFor(() => rowOf(id), 5000);
    for (const hook of world.emulator.webhooks.list()) world.emulator.webhooks.remove(hook.id);
    await world.client.companies.update({ id, city: 'Nowhere' });
    await world.emulator.webhooks.idle();
    expect(rowOf(id)?.['city']).toBeNull();
    const worker = service.worker;
    const table = (await import('../../src/connectors/sql-system/create-sql-system.js')).createSqlSystem({
      type: 'sqlite',
      path: tablePath,
      table: 'companies',
      key: 'autotask_id',
    });
    try {
      const intake = {
        name: 'crm-companies',
        type: 'autotask-webhook',
        object: 'Company',
        reconcileMinutes: 0,
        table: { type: 'sqlite', path: tablePath, table: 'companies', key: 'autotask_id' },
        columns: { companyName: 'name', phone: 'phone', city: 'city' },
      } as unknown as WebhookIntakeSpec;
      expect(await worker.reconcileIfDue(intake, table, true)).toBe(true);
    } finally {
      await table.close();
    }
    expect(rowOf(id)?.['city']).toBe('Nowhere');
  });
});
