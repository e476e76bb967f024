import { describe, expect, it } from 'vitest';

import { FIRST_TENANT_ID, createEntityTable, createTenant } from '../../../../src/emulator/store/index.js';

const empty = { Companies: [], Contacts: [], Opportunities: [], Resources: [] };

describe('createTenant', () => {
  it('hands out increasing ids per entity from the tenant range', () => {
    const t = createTenant({ udfDefinitions: empty, apiUsers: [] });
    expect(t.nextId('Companies')).toBe(FIRST_TENANT_ID);
    expect(t.nextId('Companies')).toBe(FIRST_TENANT_ID + 1);
    expect(t.nextId('Contacts')).toBe(FIRST_TENANT_ID);
  });

  it('continues above the highest stored id (restored tenants) and never reuses a deleted id', () => {
    const contacts = createEntityTable('Contacts');
    contacts.insert({ id: 30_000_000, values: {}, udfs: {} });
    const t = createTenant({ udfDefinitions: empty, apiUsers: [], tables: { Contacts: contacts } });
    const id = t.nextId('Contacts');
    expect(id).toBe(30_000_001);
    t.tables.Contacts.insert({ id, values: {}, udfs: {} });
    t.tables.Contacts.delete(id);
    expect(t.nextId('Contacts')).toBe(30_000_002);
    expect(t.tables.Contacts).toBe(contacts);
  });

  it('honours firstIds', () => {
    const t = createTenant({ udfDefinitions: empty, apiUsers: [], firstIds: { Opportunities: 500 } });
    expect(t.nextId('Opportunities')).toBe(500);
  });
});
