/**
 * The 'demo' seed: a handful of realistic customers with contacts and opportunities, including the
 * API doc's "Sirius Cybernetics Corporation" example. Ids come from the tenant's sequences.
 */
import type { InMemoryTenant } from '../store/tenant.js';
import { companyRecord, contactRecord, opportunityRecord } from './record-builders.js';
import { ADMIN_RESOURCE_ID } from './seed-resources.js';

const DAY = 86_400_000;
const SALES_RESOURCE_ID = 29682886;

interface DemoCompany {
  name: string;
  type: number;
  city: string;
  state: string;
  postalCode: string;
  address1: string;
  phone: string;
  domain: string;
  classification?: number;
  territoryID: number;
  marketSegmentID?: number;
  crmId?: string;
  discount?: string;
  contacts: { first: string; last: string; title: string; newsletter?: string }[];
  opportunities: { title: string; status: number; stage: number; probability: number; amount: number }[];
}

const DEMO: readonly DemoCompany[] = [
  {
    name: 'Acme Dental Group',
    type: 1,
    city: 'Springfield',
    state: 'IL',
    postalCode: '62701',
    address1: '742 Evergreen Terrace',
    phone: '+1 217 555 0142',
    domain: 'acmedental.example',
    classification: 15,
    territoryID: 29682780,
    marketSegmentID: 29682810,
    crmId: 'CRM-000101',
    discount: '5.0000',
    contacts: [
      { first: 'Helen', last: 'Lovejoy', title: 'Practice Manager', newsletter: '1' },
      { first: 'Julius', last: 'Hibbert', title: 'Owner' },
      { first: 'Lisa', last: 'Simpson', title: 'Receptionist', newsletter: '2' },
    ],
    opportunities: [
      { title: 'Managed services renewal 2026', status: 1, stage: 13, probability: 70, amount: 24000 },
      { title: 'Chairside tablet rollout', status: 0, stage: 11, probability: 20, amount: 8500 },
    ],
  },
  {
    name: 'Sirius Cybernetics Corporation',
    type: 1,
    city: 'Austin',
    state: 'TX',
    postalCode: '78701',
    address1: '42 Galaxy Way',
    phone: '+1 512 555 0199',
    domain: 'siriuscybernetics.example',
    classification: 29682801,
    territoryID: 29682779,
    marketSegmentID: 29682812,
    crmId: 'CRM-000102',
    contacts: [
      { first: 'Zaphod', last: 'Beeblebrox', title: 'President', newsletter: '1' },
      { first: 'Trillian', last: 'Astra', title: 'CTO' },
    ],
    opportunities: [
      {
        title: 'Genuine People Personalities support',
        status: 1,
        stage: 29682772,
        probability: 90,
        amount: 42000,
      },
    ],
  },
  {
    name: 'Blue Ridge Legal LLC',
    type: 1,
    city: 'Raleigh',
    state: 'NC',
    postalCode: '27601',
    address1: '18 Fayetteville St',
    phone: '+1 919 555 0110',
    domain: 'blueridgelegal.example',
    classification: 16,
    territoryID: 29682780,
    marketSegmentID: 29682811,
    contacts: [{ first: 'Atticus', last: 'Finch', title: 'Managing Partner' }],
    opportunities: [
      { title: 'Document management migration', status: 2, stage: 14, probability: 0, amount: 15000 },
    ],
  },
  {
    name: 'Cascade Logistics Inc.',
    type: 3,
    city: 'Portland',
    state: 'OR',
    postalCode: '97204',
    address1: '1200 SW Main St',
    phone: '+1 503 555 0177',
    domain: 'cascadelogistics.example',
    territoryID: 29682781,
    contacts: [
      { first: 'Maya', last: 'Chen', title: 'Operations Director' },
      { first: 'Tom', last: "O'Neil", title: 'IT Manager', newsletter: '1' },
    ],
    opportunities: [
      { title: 'Warehouse Wi-Fi assessment', status: 1, stage: 12, probability: 40, amount: 6200 },
    ],
  },
  {
    name: 'Harbor Medical Clinic',
    type: 2,
    city: 'Tampa',
    state: 'FL',
    postalCode: '33602',
    address1: '55 Harbour Island Blvd',
    phone: '+1 813 555 0123',
    domain: 'harbormedical.example',
    territoryID: 29682779,
    marketSegmentID: 29682810,
    contacts: [{ first: 'Grace', last: 'Okafor', title: 'Clinic Administrator' }],
    opportunities: [],
  },
  {
    name: 'Contoso Hardware Supply',
    type: 7,
    city: 'Columbus',
    state: 'OH',
    postalCode: '43215',
    address1: '9 Commerce Park',
    phone: '+1 614 555 0188',
    domain: 'contosohardware.example',
    territoryID: 29682778,
    contacts: [{ first: 'Ravi', last: 'Patel', title: 'Account Executive' }],
    opportunities: [],
  },
];

/** Adds the demo records to `tenant`; timestamps fall in the 300 days before `referenceTime`. */
export function seedDemo(tenant: InMemoryTenant, referenceTime: number): void {
  let step = 0;
  const at = (): number => referenceTime - (300 - step++ * 7) * DAY + step * 3_600_123;
  for (const c of DEMO) {
    const companyID = tenant.nextId('Companies');
    const created = at();
    tenant.tables.Companies.insert(
      companyRecord(companyID, {
        name: c.name,
        type: c.type,
        ownerResourceID: c.type === 7 ? ADMIN_RESOURCE_ID : SALES_RESOURCE_ID,
        phone: c.phone,
        city: c.city,
        state: c.state,
        postalCode: c.postalCode,
        address1: c.address1,
        webAddress: `https://www.${c.domain}`,
        ...(c.classification === undefined ? {} : { classification: c.classification }),
        territoryID: c.territoryID,
        ...(c.marketSegmentID === undefined ? {} : { marketSegmentID: c.marketSegmentID }),
        createdAt: created,
        lastActivityAt: created + 20 * DAY,
        udfs: { 'CRM ID': c.crmId ?? null, Discount: c.discount ?? null },
      }),
    );
    let firstContactID: number | undefined;
    c.contacts.forEach((p, i) => {
      const id = tenant.nextId('Contacts');
      firstContactID ??= id;
      const t = at();
      tenant.tables.Contacts.insert(
        contactRecord(id, {
          companyID,
          firstName: p.first,
          lastName: p.last,
          emailAddress: `${p.first}.${p.last.replace(/'/g, '')}@${c.domain}`.toLowerCase(),
          title: p.title,
          phone: c.phone,
          primaryContact: i === 0,
          createdAt: t,
          lastActivityAt: t + 5 * DAY,
          udfs: { Newsletter: p.newsletter ?? null },
        }),
      );
    });
    for (const o of c.opportunities) {
      const t = at();
      tenant.tables.Opportunities.insert(
        opportunityRecord(tenant.nextId('Opportunities'), {
          title: o.title,
          companyID,
          ...(firstContactID === undefined ? {} : { contactID: firstContactID }),
          ownerResourceID: SALES_RESOURCE_ID,
          status: o.status,
          stage: o.stage,
          probability: o.probability,
          amount: o.amount,
          cost: Math.round(o.amount * 0.6),
          startAt: t,
          closeAt: t + 60 * DAY,
          createdAt: t,
          lastActivityAt: t + 2 * DAY,
          udfs: { 'Deal Source ID': `DEMO-${o.title.length}-${companyID}` },
        }),
      );
    }
  }
}
