/**
 * The reliability suites' data set: companies, contacts and opportunities as CSV files (generated,
 * never committed), the configuration that syncs them, and what Autotask must hold afterwards.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Resource id of an active resource of the emulator's seed (owner of companies and opportunities). */
export const OWNER_ID = 29682885;

export interface DatasetSize {
  companies: number;
  contacts: number;
  opportunities: number;
}

/** 2,000 records: 500 companies, 1,000 contacts, 500 opportunities. */
export const FULL_SIZE: DatasetSize = { companies: 500, contacts: 1000, opportunities: 500 };

/**
 * `FULL_SIZE` scaled by the environment variable `RELIABILITY_SCALE` (e.g. `0.1` while iterating on
 * a loaded machine). @default 1
 */
export function sizeFromEnv(env: NodeJS.ProcessEnv = process.env): DatasetSize {
  const scale = Number(env['RELIABILITY_SCALE'] ?? '1');
  const f = Number.isFinite(scale) && scale > 0 ? scale : 1;
  return {
    companies: Math.max(5, Math.round(FULL_SIZE.companies * f)),
    contacts: Math.max(10, Math.round(FULL_SIZE.contacts * f)),
    opportunities: Math.max(5, Math.round(FULL_SIZE.opportunities * f)),
  };
}

export interface Dataset {
  size: DatasetSize;
  /** A prefix making this data set's records recognisable in a tenant. */
  tag: string;
  companyName(i: number): string;
  contactEmail(i: number): string;
  /** Index of the company a contact belongs to. */
  contactCompany(i: number): number;
  opportunityTitle(i: number): string;
  /** Index of the contact an opportunity is for (its company is that contact's company). */
  opportunityContact(i: number): number;
  opportunityClose(i: number): string;
}

export function dataset(size: DatasetSize, tag = 'Rel'): Dataset {
  return {
    size,
    tag,
    companyName: (i) => `${tag} Company ${i}`,
    contactEmail: (i) => `${tag.toLowerCase()}.contact${i}@reliability.example`,
    contactCompany: (i) => i % size.companies,
    opportunityTitle: (i) => `${tag} Deal ${i}`,
    opportunityContact: (i) => (i * 7) % size.contacts,
    opportunityClose: (i) => `2027-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}`,
  };
}

function csvLine(values: (string | number)[]): string {
  return values
    .map((v) => {
      const s = String(v);
      return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    })
    .join(',');
}

/** Writes companies.csv, contacts.csv, opportunities.csv and sync.yaml into `dir`. */
export function writeDataset(dir: string, data: Dataset): void {
  const { size } = data;
  const companies = ['Name,Phone,City'];
  for (let i = 0; i < size.companies; i++)
    companies.push(csvLine([data.companyName(i), `+1 555 ${String(1000 + i).slice(-4)}`, `City ${i % 17}`]));
  const contacts = ['Company,First Name,Last Name,Email'];
  for (let i = 0; i < size.contacts; i++)
    contacts.push(
      csvLine([data.companyName(data.contactCompany(i)), `First${i}`, `Last${i}`, data.contactEmail(i)]),
    );
  const opportunities = ['Title,Close,Company,Contact'];
  for (let i = 0; i < size.opportunities; i++) {
    const contact = data.opportunityContact(i);
    opportunities.push(
      csvLine([
        data.opportunityTitle(i),
        data.opportunityClose(i),
        data.companyName(data.contactCompany(contact)),
        data.contactEmail(contact),
      ]),
    );
  }
  writeFileSync(join(dir, 'companies.csv'), companies.join('\n') + '\n');
  writeFileSync(join(dir, 'contacts.csv'), contacts.join('\n') + '\n');
  writeFileSync(join(dir, 'opportunities.csv'), opportunities.join('\n') + '\n');
  writeFileSync(join(dir, 'sync.yaml'), SYNC_YAML);
}

/** Configuration of the data set's three syncs (credentials come from the environment). */
export const SYNC_YAML = `version: 1
state: state.sqlite
syncs:
  - name: companies
    object: Company
    source: { type: csv, path: companies.csv }
    fields:
      companyName: Name
      phone: Phone
      city: City
      companyType: { default: Prospect }
      ownerResourceID: { value: ${OWNER_ID} }
  - name: contacts
    object: Contact
    source: { type: csv, path: contacts.csv }
    fields:
      companyID: { column: Company, ref: Company }
      firstName: First Name
      lastName: Last Name
      emailAddress: Email
  - name: opportunities
    object: Opportunity
    source: { type: csv, path: opportunities.csv }
    fields:
      title: Title
      projectedCloseDate: { column: Close, transform: [{ type: date, format: YYYY-MM-DD }] }
      startDate: { column: Close, transform: [{ type: date, format: YYYY-MM-DD }] }
      companyID: { column: Company, ref: Company }
      contactID: { column: Contact, ref: Contact }
      ownerResourceID: { value: ${OWNER_ID} }
      status: { default: Active }
      stage: { default: Qualified }
      probability: { default: 50 }
      amount: { default: 0 }
      cost: { default: 0 }
      useQuoteTotals: { default: true }
`;
