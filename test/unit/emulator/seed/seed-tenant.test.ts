import { describe, expect, it } from 'vitest';

import { parseAutotaskDateTime } from '../../../../src/autotask/datetime.js';
import type { EntityName } from '../../../../src/autotask/types.js';
import { ENTITY_NAMES } from '../../../../src/autotask/types.js';
import type { StoredRecord, Tenant } from '../../../../src/emulator/contracts.js';
import {
  createEntitySchemas,
  findField,
  isApiOnlyResource,
} from '../../../../src/emulator/metadata/index.js';
import {
  API_USER_RESOURCE_ID,
  DEFAULT_API_USER,
  ROOT_COMPANY_ID,
  createPrng,
  seedTenant,
} from '../../../../src/emulator/seed/index.js';
import { FIRST_TENANT_ID } from '../../../../src/emulator/store/index.js';
import { ConfigError } from '../../../../src/shared/errors.js';

function dump(tenant: Tenant): Record<EntityName, StoredRecord[]> {
  const out = {} as Record<EntityName, StoredRecord[]>;
  for (const e of ENTITY_NAMES) out[e] = [...tenant.tables[e].scan()];
  return out;
}

const all = (tenant: Tenant, e: EntityName): StoredRecord[] => [...tenant.tables[e].scan()];

describe('seedTenant: determinism', () => {
  it('gives an identical tenant for the same options', () => {
    const a = seedTenant({ records: 50, randomSeed: 7 });
    const b = seedTenant({ records: 50, randomSeed: 7 });
    expect(JSON.stringify(dump(a))).toBe(JSON.stringify(dump(b)));
    expect(a.apiUsers).toEqual(b.apiUsers);
    expect(a.udfDefinitions).toEqual(b.udfDefinitions);
  });

  it('gives a different tenant for a different seed', () => {
    const a = dump(seedTenant({ records: 50, randomSeed: 7 }));
    const b = dump(seedTenant({ records: 50, randomSeed: 8 }));
    expect(JSON.stringify(a.Companies)).not.toBe(JSON.stringify(b.Companies));
    expect(JSON.stringify(a.Contacts)).not.toBe(JSON.stringify(b.Contacts));
  });

  it('uses its own PRNG: same seed, same sequence', () => {
    const a = createPrng(42);
    const b = createPrng(42);
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
    expect(createPrng(43).next()).not.toBe(seqA[0]);
  });
});

describe('seedTenant: contents', () => {
  const tenant = seedTenant({ records: 200, randomSeed: 3 });

  it('has the tenant’s own company as id 0, a Partner', () => {
    const root = tenant.tables.Companies.get(ROOT_COMPANY_ID);
    expect(root?.values).toMatchObject({ companyType: 8, isActive: true });
  });

  it('has active, inactive and API-only resources, and one API user that maps to an API-only resource', () => {
    const resources = all(tenant, 'Resources');
    expect(
      resources.filter((r) => r.values['isActive'] === true && !isApiOnlyResource(r.values)).length,
    ).toBeGreaterThanOrEqual(3);
    expect(resources.some((r) => r.values['isActive'] === false)).toBe(true);
    expect(tenant.apiUsers).toEqual([{ ...DEFAULT_API_USER, resourceId: API_USER_RESOURCE_ID }]);
    const apiResource = tenant.tables.Resources.get(API_USER_RESOURCE_ID)!;
    expect(isApiOnlyResource(apiResource.values)).toBe(true);
    expect(apiResource.values['userName']).toBe(DEFAULT_API_USER.userName);
    // a normal licensed user whose login the emulator does not accept
    const licensed = resources.filter((r) => !isApiOnlyResource(r.values) && r.values['isActive'] === true);
    for (const r of licensed)
      expect(tenant.apiUsers.map((u) => u.userName)).not.toContain(r.values['userName']);
  });

  it('lets the API user be overridden', () => {
    const t = seedTenant({ seed: 'empty', apiUser: { userName: 'me@x.example', secret: 's3cret!' } });
    expect(t.apiUsers[0]).toMatchObject({ userName: 'me@x.example', secret: 's3cret!' });
    expect(t.apiUsers[0]?.integrationCode).toBe(DEFAULT_API_USER.integrationCode);
    expect(t.tables.Resources.get(API_USER_RESOURCE_ID)?.values['email']).toBe('me@x.example');
  });

  it('generates N companies, about 2N contacts and N/2 opportunities on top of the demo records', () => {
    const demo = seedTenant({ seed: 'demo' });
    const extra = (e: EntityName): number => tenant.tables[e].size() - demo.tables[e].size();
    expect(extra('Companies')).toBe(200);
    expect(extra('Contacts')).toBeGreaterThan(300);
    expect(extra('Contacts')).toBeLessThan(500);
    expect(extra('Opportunities')).toBe(100);
    expect(demo.tables.Companies.size()).toBeGreaterThan(3);
    expect(demo.tables.Contacts.size()).toBeGreaterThan(5);
    expect(demo.tables.Opportunities.size()).toBeGreaterThan(2);
  });

  it('seeds nothing but the root company and resources with seed "empty"', () => {
    const t = seedTenant({ seed: 'empty' });
    expect(t.tables.Companies.size()).toBe(1);
    expect(t.tables.Contacts.size()).toBe(0);
    expect(t.tables.Opportunities.size()).toBe(0);
    expect(t.tables.Resources.size()).toBeGreaterThan(4);
  });

  it('numbers tenant-created rows from the tenant range, increasing, and continues after them', () => {
    for (const e of ['Companies', 'Contacts', 'Opportunities'] as const) {
      const idList = all(tenant, e)
        .map((r) => r.id)
        .filter((id) => id !== ROOT_COMPANY_ID);
      expect(idList[0]).toBe(FIRST_TENANT_ID);
      expect(idList.every((id, i) => i === 0 || id === idList[i - 1]! + 1)).toBe(true);
      expect(tenant.nextId(e)).toBe(idList[idList.length - 1]! + 1);
    }
  });

  it('keeps unique company names and contact emails', () => {
    const nameList = all(tenant, 'Companies').map((r) => String(r.values['companyName']).toLowerCase());
    expect(new Set(nameList).size).toBe(nameList.length);
    const emails = all(tenant, 'Contacts').map((r) => String(r.values['emailAddress']));
    expect(new Set(emails).size).toBe(emails.length);
  });

  it('only stores values that the metadata allows: known fields, right types, lengths, active picklist values, required fields', () => {
    const schemas = createEntitySchemas(tenant.udfDefinitions);
    for (const e of ENTITY_NAMES) {
      const schema = schemas[e];
      for (const r of all(tenant, e)) {
        for (const field of schema.fields) {
          if (field.isRequired && field.name !== 'id')
            expect(r.values[field.name], `${e} ${r.id} ${field.name}`).not.toBeUndefined();
        }
        for (const [name, value] of Object.entries(r.values)) {
          const field = findField(schema, name);
          expect(field?.name, `${e}.${name}`).toBe(name);
          if (!field) continue;
          expect(value).not.toBeNull();
          switch (field.dataType) {
            case 'string':
              expect(typeof value).toBe('string');
              expect((value as string).length).toBeLessThanOrEqual(field.length);
              break;
            case 'boolean':
              expect(typeof value).toBe('boolean');
              break;
            case 'datetime':
              expect(parseAutotaskDateTime(value as string), `${e}.${name}`).toBeTypeOf('number');
              expect(value as string).toMatch(/Z$/);
              break;
            default:
              expect(typeof value).toBe('number');
          }
          if (field.isPickList) {
            const allowed = field.picklistValues!.filter((v) => v.isActive).map((v) => v.value);
            expect(allowed, `${e}.${name}=${String(value)}`).toContain(String(value));
          }
        }
        for (const udfName of Object.keys(r.udfs)) {
          expect(tenant.udfDefinitions[e].map((u) => u.name)).toContain(udfName);
        }
      }
    }
  });

  it('points references at records that exist', () => {
    const companies = tenant.tables.Companies;
    for (const c of all(tenant, 'Contacts'))
      expect(companies.get(c.values['companyID'] as number)).toBeDefined();
    for (const o of all(tenant, 'Opportunities')) {
      expect(companies.get(o.values['companyID'] as number)).toBeDefined();
      const owner = tenant.tables.Resources.get(o.values['ownerResourceID'] as number)!;
      expect(owner.values['isActive']).toBe(true);
      expect(isApiOnlyResource(owner.values)).toBe(false);
    }
  });

  it('rejects bad options', () => {
    expect(() => seedTenant({ records: -1 })).toThrow(ConfigError);
    expect(() => seedTenant({ records: 1.5 })).toThrow(/whole number/);
    const resourcesUdf = { Resources: [seedTenant({ seed: 'empty' }).udfDefinitions.Companies[0]!] };
    expect(() => seedTenant({ udfDefinitions: resourcesUdf })).toThrow(/Resources do not support/);
  });

  it('uses the tenant’s own UDF definitions when given', () => {
    const t = seedTenant({ seed: 'empty', udfDefinitions: { Companies: [] } });
    expect(t.udfDefinitions.Companies).toEqual([]);
    expect(t.udfDefinitions.Contacts.length).toBeGreaterThan(0);
  });
});
