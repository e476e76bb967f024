/**
 * The load-test generator: N companies, about 2N contacts (1–3 per company) and N/2 opportunities,
 * deterministic for a given PRNG. Names are unique; emails are unique and lower-case.
 */
import type { InMemoryTenant } from '../store/tenant.js';
import type { Prng } from './prng.js';
import {
  CITIES,
  COMPANY_NOUNS,
  COMPANY_SUFFIXES,
  COMPANY_WORDS,
  FIRST_NAMES,
  JOB_TITLES,
  LAST_NAMES,
  OPPORTUNITY_TOPICS,
  STREETS,
} from './name-pools.js';
import { companyRecord, contactRecord, opportunityRecord } from './record-builders.js';

const DAY = 86_400_000;
const OWNER_IDS = [29682885, 29682886, 29682887, 29682888] as const;
const COMPANY_TYPES = [1, 1, 1, 2, 3, 3, 7, 8] as const;
const TERRITORIES = [29682778, 29682779, 29682780, 29682781] as const;
const STAGES = [11, 12, 13, 14, 29682772] as const;

export function seedGenerated(
  tenant: InMemoryTenant,
  count: number,
  prng: Prng,
  referenceTime: number,
): void {
  const span = 365 * DAY;
  const start = referenceTime - span;
  const seenNames = new Map<string, number>();
  // Per company, its id and first contact (0 = none), in compact arrays: with 100,000 companies an
  // object with a contact list each would be ~15 MB of garbage left behind by seeding.
  const companyIds = new Int32Array(count);
  const firstContacts = new Int32Array(count);

  for (let i = 0; i < count; i++) {
    const word = prng.pick(COMPANY_WORDS);
    const noun = prng.pick(COMPANY_NOUNS);
    const suffix = prng.pick(COMPANY_SUFFIXES);
    const base = suffix ? `${word} ${noun} ${suffix}` : `${word} ${noun}`;
    const n = (seenNames.get(base) ?? 0) + 1;
    seenNames.set(base, n);
    const name = n === 1 ? base : `${base} (${n})`;
    const place = prng.pick(CITIES);
    const id = tenant.nextId('Companies');
    const createdAt = start + Math.floor((span * i) / Math.max(count, 1));
    const domain = `${word}${noun}${n === 1 ? '' : n}`.toLowerCase().replace(/[^a-z0-9]/g, '') + '.example';
    tenant.tables.Companies.insert(
      companyRecord(id, {
        name,
        type: prng.pick(COMPANY_TYPES),
        ownerResourceID: prng.pick(OWNER_IDS),
        phone: `+1 555 ${String(prng.int(100, 999))} ${String(prng.int(1000, 9999))}`,
        address1: `${String(prng.int(1, 9999))} ${prng.pick(STREETS)}`,
        city: place.city,
        state: place.state,
        postalCode: place.postalCode,
        webAddress: `https://www.${domain}`,
        territoryID: prng.pick(TERRITORIES),
        isActive: !prng.chance(0.05),
        createdAt,
        lastActivityAt: createdAt + prng.int(0, Math.max(0, referenceTime - createdAt - 1)),
        udfs: prng.chance(0.5) ? { 'CRM ID': `CRM-${String(id)}` } : {},
      }),
    );
    companyIds[i] = id;

    const contactCount = prng.int(1, 3);
    const usedEmails = new Set<string>();
    for (let k = 0; k < contactCount; k++) {
      const first = prng.pick(FIRST_NAMES);
      const last = prng.pick(LAST_NAMES);
      const local = `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '');
      let email = `${local}@${domain}`;
      for (let dup = 2; usedEmails.has(email); dup++) email = `${local}${dup}@${domain}`;
      usedEmails.add(email);
      const contactId = tenant.nextId('Contacts');
      const t = createdAt + k * 3_600_000;
      tenant.tables.Contacts.insert(
        contactRecord(contactId, {
          companyID: id,
          firstName: first,
          lastName: last,
          emailAddress: email,
          title: prng.pick(JOB_TITLES),
          isActive: !prng.chance(0.03),
          primaryContact: k === 0,
          createdAt: t,
          lastActivityAt: t + prng.int(0, Math.max(0, referenceTime - t - 1)),
        }),
      );
      if (k === 0) firstContacts[i] = contactId;
    }
  }

  const opportunities = Math.floor(count / 2);
  for (let i = 0; i < opportunities; i++) {
    const at = prng.int(0, count - 1);
    const companyId = companyIds[at];
    if (companyId === undefined) break;
    const storedName = tenant.tables.Companies.get(companyId)?.values['companyName'];
    const companyName = typeof storedName === 'string' ? storedName : '';
    const contactId = firstContacts[at] ?? 0;
    const amount = prng.int(10, 500) * 100;
    const createdAt = start + Math.floor((span * i) / Math.max(opportunities, 1));
    const status = prng.pick([0, 1, 1, 1, 2, 3, 4] as const);
    tenant.tables.Opportunities.insert(
      opportunityRecord(tenant.nextId('Opportunities'), {
        title: `${prng.pick(OPPORTUNITY_TOPICS)} - ${companyName}`.slice(0, 128),
        companyID: companyId,
        ...(contactId === 0 ? {} : { contactID: contactId }),
        ownerResourceID: prng.pick(OWNER_IDS),
        status,
        stage: prng.pick(STAGES),
        probability: status === 2 ? 0 : status >= 3 ? 100 : prng.int(1, 9) * 10,
        amount,
        cost: Math.round(amount * 0.55),
        startAt: createdAt,
        closeAt: createdAt + prng.int(14, 120) * DAY,
        createdAt,
        lastActivityAt: createdAt + prng.int(0, Math.max(0, referenceTime - createdAt - 1)),
      }),
    );
  }
}
