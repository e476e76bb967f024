/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return --
   the contract suite inspects untyped wire JSON, exactly as a foreign client would */
/** Data helpers shared by the contract tests; they work the same against the emulator and a sandbox. */
import { expect } from 'vitest';

import type { ApiResponse, ContractTarget } from './target.js';

let counter = 0;
const runId = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

/** A name no other test (or earlier run against a sandbox) has used. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `ct ${prefix} ${runId} ${counter}`;
}

/** Asserts a 200 and returns the JSON body. */
export function ok(response: ApiResponse): any {
  if (response.status !== 200) {
    throw new Error(`expected 200, got ${response.status}: ${response.text.slice(0, 500)}`);
  }
  return response.json;
}

/** Asserts Autotask's application error envelope `{"errors":[string...]}` with `status`. */
export function expectErrors(response: ApiResponse, status = 500): string[] {
  expect(response.status, response.text.slice(0, 300)).toBe(status);
  expect(response.json).toEqual({ errors: expect.any(Array) });
  const errors = response.json.errors as unknown[];
  expect(errors.length).toBeGreaterThan(0);
  for (const e of errors) expect(typeof e).toBe('string');
  return errors as string[];
}

/** Queries `entity` with `filter` (POST form) and returns the items of the first page. */
export async function query(
  target: ContractTarget,
  entity: string,
  filter: unknown[],
  extra: Record<string, unknown> = {},
): Promise<any[]> {
  const body = ok(await target.call('POST', `V1.0/${entity}/query`, { body: { filter, ...extra } }));
  return body.items as any[];
}

/** An active, licensed resource that can own records (not the API user). */
export async function findOwnerResourceId(target: ContractTarget): Promise<number> {
  const fromEnv = process.env['AUTOTASK_CONTRACT_OWNER_RESOURCE_ID'];
  if (fromEnv) return Number(fromEnv);
  const apiUserResource = target.emulator?.apiUserResourceId;
  const resources = await query(target, 'Resources', [{ op: 'eq', field: 'isActive', value: true }]);
  const owner = resources.find(
    (r) =>
      r.id !== apiUserResource &&
      String(r.userName ?? '').toLowerCase() !== target.credentials.userName.toLowerCase() &&
      String(r.email ?? '').toLowerCase() !== target.credentials.userName.toLowerCase(),
  );
  if (!owner) throw new Error('no active resource to own test records');
  return owner.id as number;
}

/** Creates a company with the required fields (plus `extra`) and returns its id. */
export async function createCompany(
  target: ContractTarget,
  ownerResourceID: number,
  extra: Record<string, unknown> = {},
): Promise<number> {
  const body = ok(
    await target.call('POST', 'V1.0/Companies', {
      body: {
        companyName: uniqueName('company'),
        companyType: 1,
        ownerResourceID,
        phone: '555-0100',
        ...extra,
      },
    }),
  );
  expect(body).toEqual({ itemId: expect.any(Number) });
  return body.itemId as number;
}

/** Creates a contact under `companyId` through the child route and returns its id. */
export async function createContact(
  target: ContractTarget,
  companyId: number,
  extra: Record<string, unknown> = {},
): Promise<number> {
  const body = ok(
    await target.call('POST', `V1.0/Companies/${companyId}/Contacts`, {
      body: {
        companyID: companyId,
        firstName: 'Test',
        lastName: uniqueName('contact'),
        isActive: 1,
        ...extra,
      },
    }),
  );
  expect(body).toEqual({ itemId: expect.any(Number) });
  return body.itemId as number;
}

/** A valid opportunity body (required fields of §6.3) for `companyId`. */
export async function opportunityBody(
  target: ContractTarget,
  companyId: number,
  ownerResourceID: number,
): Promise<Record<string, unknown>> {
  const fields = ok(await target.call('GET', 'V1.0/Opportunities/entityInformation/fields')).fields as any[];
  const firstActive = (name: string): number => {
    const f = fields.find((x) => x.name.toLowerCase() === name.toLowerCase());
    const v = f?.picklistValues?.find((p: any) => p.isActive);
    if (!v) throw new Error(`no active ${name} picklist value`);
    return Number(v.value);
  };
  return {
    title: uniqueName('opportunity'),
    companyID: companyId,
    ownerResourceID,
    status: 1,
    stage: firstActive('stage'),
    probability: 50,
    amount: 1000,
    cost: 100,
    useQuoteTotals: false,
    startDate: '2026-10-08T00:00:00Z',
    projectedCloseDate: '2026-11-15T00:00:00Z',
  };
}

/** GET by id; returns the `item` (null when missing). */
export async function getItem(target: ContractTarget, entity: string, id: number): Promise<any> {
  const body = ok(await target.call('GET', `V1.0/${entity}/${id}`));
  return body.item;
}

/** The `{name,value}` UDF list of a record as a map. */
export function udfMap(record: any): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const u of (record.userDefinedFields ?? []) as { name: string; value: string | null }[])
    out[u.name] = u.value;
  return out;
}
