/**
 * Delete callouts of the Autotask webhook intake: with `table.deletedAt`, a contact deleted in
 * Autotask gets its row's deletion time set (checked by re-reading in the batch's `in` query: the
 * record must be gone); a Delete callout for a record Autotask still has changes nothing.
 */
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { autotaskCalloutJson } from '../../src/emulator/webhooks/webhook-callouts.js';
import type { WebhookIntakeSpec } from '../../src/intake/intake-config-schema.js';
import { startIntakeService, type IntakeService } from '../../src/intake/intake-service.js';
import { hookSignature } from '../../src/intake/webhooks/hook-signature.js';
import { createEngineWorld, type EngineWorld } from '../engine/helpers/engine-world.js';
import { OWNER_ID } from './helpers/intake-world.js';

const HOOK_SECRET = 'autotask-webhook-delete-secret-42';

let world: EngineWorld;
let service: IntakeService;
let tablePath: string;
let companyID: number;

function rowOf(id: number): Record<string, unknown> | undefined {
  const db = new Database(tablePath, { readonly: true });
  try {
    return db.prepare('SELECT * FROM people WHERE autotask_id = ?').get(id) as
      Record<string, unknown> | undefined;
  } finally {
    db.close();
  }
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`not seen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** DELETE through the API, as Autotask allows for contacts (child route of their company). */
async function deleteContact(id: number): Promise<void> {
  const { credentials } = world.emulator;
  const res = await world.emulator.fetch(
    `${world.emulator.baseUrl}V1.0/Companies/${companyID}/Contacts/${id}`,
    {
      method: 'DELETE',
      headers: {
        UserName: credentials.userName,
        Secret: credentials.secret,
        ApiIntegrationCode: credentials.integrationCode,
      },
    },
  );
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  world = await createEngineWorld();
  tablePath = join(world.dir, 'crm.sqlite');
  const db = new Database(tablePath);
  db.exec('CREATE TABLE people (autotask_id INTEGER PRIMARY KEY, first TEXT, last TEXT, deleted_at TEXT)');
  db.close();
  const config = world.config(`version: 1
intakes:
  - name: crm-people
    type: autotask-webhook
    secret: ${HOOK_SECRET}
    object: Contact
    reconcileMinutes: 0
    table: { type: sqlite, path: crm.sqlite, table: people, key: autotask_id, deletedAt: deleted_at }
    columns: { firstName: first, lastName: last }
`);
  const spec = config.intakes[0] as WebhookIntakeSpec;
  service = await startIntakeService({
    intakes: [{ ...spec, table: { ...spec.table!, type: 'sqlite', path: tablePath } }],
    statePath: world.state.path,
    engine: { client: world.client, state: world.state, clock: world.deps.clock, logger: world.deps.logger },
    port: 0,
  });
  world.emulator.webhooks.register({
    entity: 'Contacts',
    webhookUrl: `${service.origin}/intake/crm-people`,
    secretKey: HOOK_SECRET,
    subscribedFields: ['firstName', 'lastName'],
    isSubscribedToDeleteEvents: true,
  });
  companyID = await world.client.companies.create({
    companyName: 'Delete Hooks Ltd',
    companyType: 1,
    ownerResourceID: OWNER_ID,
    phone: '1',
  });
}, 60_000);

afterAll(async () => {
  await service.close();
  await world.close();
});

describe('Delete callouts with table.deletedAt', () => {
  it('set the deletion time on the row of a contact deleted in Autotask, and keep the row', async () => {
    const id = await world.client.contacts.create({
      companyID,
      firstName: 'Gone',
      lastName: 'Soon',
      isActive: 1,
    });
    expect((await waitFor(() => rowOf(id)))['deleted_at']).toBeNull();
    await deleteContact(id);
    const row = await waitFor(() => {
      const r = rowOf(id);
      return r?.['deleted_at'] !== null ? r : undefined;
    });
    expect(row).toMatchObject({ first: 'Gone', last: 'Soon' });
    expect(Date.parse(String(row['deleted_at']))).toBeGreaterThan(Date.now() - 60_000);
    const item = service.queue
      .list({ intake: 'crm-people' })
      .find((i) => (i.body as { action?: string }).action === 'Delete');
    expect(JSON.stringify(item?.outcome)).toContain('flagged-deleted');
  });

  it('change nothing when Autotask still has the record', async () => {
    const id = await world.client.contacts.create({
      companyID,
      firstName: 'Still',
      lastName: 'Here',
      isActive: 1,
    });
    await waitFor(() => rowOf(id));
    const body = autotaskCalloutJson({
      Action: 'Delete',
      Guid: 'guid-forged-delete',
      EntityType: 'Contact',
      Id: id,
      Fields: {},
      EventTime: new Date().toISOString(),
      SequenceNumber: 1,
      PersonID: 1,
    });
    const res = await fetch(`${service.origin}/intake/crm-people`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Hook-Signature': hookSignature(HOOK_SECRET, body) },
      body,
    });
    expect(res.status).toBe(202);
    const outcome = await waitFor(() => {
      const item = service.queue
        .list({ intake: 'crm-people' })
        .find(
          (i) =>
            (i.body as { id?: number; action?: string }).id === id &&
            (i.body as { action?: string }).action === 'Delete',
        );
      return item?.status === 'done' ? item.outcome : undefined;
    });
    expect(JSON.stringify(outcome)).toContain('Autotask still has the record');
    expect(rowOf(id)?.['deleted_at']).toBeNull();
  });
});
