/**
 * Dedupe keys survive the round trip through Autotask (issue 8 item 4): the key computed from what we
 * send equals the key computed from what Autotask gives back, for any company name and any email
 * casing. Were it not so, the next run would not recognise its own record and would create it again.
 * (Normalisation itself — idempotence, case, punctuation — is covered in
 * test/unit/sync/keys/normalise.test.ts.)
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  AutotaskValidationError,
  createAutotaskClient,
  type AutotaskClient,
} from '../../src/autotask/index.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { DEFAULT_KEYS, keyValuesOfAutotaskRecord, recordKey } from '../../src/sync/keys/index.js';
import { inProcessClientOptions } from '../../bench/lib/in-process-client.js';

const OWNER_ID = 29682885;

describe('dedupe keys survive the round trip through Autotask', () => {
  let emulator: Emulator;
  let client: AutotaskClient;
  let companyId: number;

  beforeAll(async () => {
    emulator = createEmulator({ seed: 'empty' });
    client = createAutotaskClient({
      ...inProcessClientOptions(emulator),
      budget: { reconcileIntervalMs: false },
    });
    companyId = await client.companies.create({
      companyName: 'Round Trip Co',
      companyType: 3,
      ownerResourceID: OWNER_ID,
      phone: '+1 555 0100',
    });
  });

  afterAll(async () => {
    await emulator.close();
  });

  it('company names: the key of what was sent is the key of what is read back', async () => {
    const name = fc
      .oneof(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }),
        fc.stringMatching(/^ {0,2}[A-Za-z]{1,8}[ ,.&'-]{0,3}[A-Za-z0-9]{0,8} {0,2}$/),
      )
      .filter((s) => recordKey(DEFAULT_KEYS.Company, { companyName: s }).ok);
    await fc.assert(
      fc.asyncProperty(name, async (companyName) => {
        let id: number;
        try {
          id = await client.companies.create({
            companyName,
            companyType: 3,
            ownerResourceID: OWNER_ID,
            phone: '+1 555 0100',
          });
        } catch (error) {
          // Autotask may refuse a name (e.g. control characters); refused records have no key to match.
          if (error instanceof AutotaskValidationError) return;
          throw error;
        }
        const back = await client.companies.get(id);
        expect(back).toBeDefined();
        expect(recordKey(DEFAULT_KEYS.Company, keyValuesOfAutotaskRecord(back!))).toEqual(
          recordKey(DEFAULT_KEYS.Company, { companyName }),
        );
      }),
      { numRuns: 150, seed: 3 },
    );
    // Most names were accepted, so the property was really exercised.
    expect(emulator.tenant.tables.Companies.size()).toBeGreaterThan(100);
  }, 120_000);

  it('emails: any casing and surrounding spaces give one key, on both sides', async () => {
    const casing = fc.array(fc.boolean(), { minLength: 64, maxLength: 64 });
    await fc.assert(
      fc.asyncProperty(fc.emailAddress(), casing, fc.constantFrom('', ' '), async (email, upper, pad) => {
        const cased = [...email].map((ch, i) => (upper[i % 64] === true ? ch.toUpperCase() : ch)).join('');
        let id: number;
        try {
          id = await client.contacts.create({
            companyID: companyId,
            firstName: 'Round',
            lastName: 'Trip',
            emailAddress: `${pad}${cased}${pad}`,
            isActive: 1,
          });
        } catch (error) {
          if (error instanceof AutotaskValidationError) return;
          throw error;
        }
        const back = await client.contacts.get(id);
        const sent = recordKey(DEFAULT_KEYS.Contact, { emailAddress: email });
        expect(recordKey(DEFAULT_KEYS.Contact, keyValuesOfAutotaskRecord(back!))).toEqual(sent);
        expect(recordKey(DEFAULT_KEYS.Contact, { emailAddress: `${pad}${cased}${pad}` })).toEqual(sent);
      }),
      { numRuns: 100, seed: 5 },
    );
    expect(emulator.tenant.tables.Contacts.size()).toBeGreaterThan(80);
  }, 120_000);
});
