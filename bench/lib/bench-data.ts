/**
 * Deterministic benchmark data: CSVs of companies, contacts (→ companies by name) and opportunities
 * (→ companies by name and contacts by email), and a configuration that syncs them into Autotask and
 * exports them back to CSV. The same sizes always give byte-identical files; the `changed` variant
 * alters every 20th row of each file (5 %), in a field that the mapping sends.
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** How many rows of each object. */
export interface BenchSizes {
  companies: number;
  contacts: number;
  opportunities: number;
}

/** The initial load: 10,000 companies + 20,000 contacts + 5,000 opportunities. */
export const FULL_SIZES: BenchSizes = { companies: 10_000, contacts: 20_000, opportunities: 5_000 };

/** Sizes with the full set's proportions (10 : 20 : 5) adding up to about `records`. */
export function proportionalSizes(records: number): BenchSizes {
  const companies = Math.max(1, Math.round((records * 10) / 35));
  const opportunities = Math.max(1, Math.round((records * 5) / 35));
  return { companies, contacts: Math.max(1, records - companies - opportunities), opportunities };
}

export function totalRecords(sizes: BenchSizes): number {
  return sizes.companies + sizes.contacts + sizes.opportunities;
}

/** Owners: active resources of every Autotask tenant the emulator seeds (looked up by email). */
export const OWNER_EMAILS = ['jordan.avery@emulator-msp.example', 'sam.rivera@emulator-msp.example'];

/** Every `CHANGE_EVERY`-th row (offset `CHANGE_OFFSET`) differs in the `changed` variant. */
const CHANGE_EVERY = 20;
const CHANGE_OFFSET = 7;

export function isChangedRow(index: number): boolean {
  return index % CHANGE_EVERY === CHANGE_OFFSET;
}

/** Rows of `count` that the `changed` variant alters. */
export function changedRows(count: number): number {
  return count > CHANGE_OFFSET ? Math.floor((count - CHANGE_OFFSET - 1) / CHANGE_EVERY) + 1 : 0;
}

const PREFIXES = [
  'Northwind',
  'Contoso',
  'Fabrikam',
  'Tailspin',
  'Litware',
  'Adatum',
  'Proseware',
  'Wingtip',
];
const NOUNS = [
  'Traders',
  'Dental',
  'Logistics',
  'Legal',
  'Clinic',
  'Builders',
  'Foods',
  'Analytics',
  'Motors',
];
const SUFFIXES = ['Ltd', 'Inc', 'LLC', 'GmbH', 'Group', 'Partners'];
const FIRST = ['Alex', 'Maria', 'Chen', 'Fatima', 'Liam', 'Sofia', 'Noah', 'Aisha', 'Mateo', 'Yuki', 'Emma'];
const LAST = [
  'Smith',
  'Garcia',
  'Nguyen',
  'Khan',
  'Müller',
  'Rossi',
  'Okafor',
  'Kowalski',
  'Silva',
  'Tanaka',
];
const CITIES = [
  'Springfield',
  'Riverton',
  'Lakeside',
  'Fairview',
  'Greenville',
  'Bristol',
  'Salem',
  'Clinton',
];
const TYPES = ['Customer', 'Prospect', 'Lead', ''];
const TITLES = ['IT Manager', 'Office Manager', 'Director', 'Owner', 'Accountant', 'CTO'];

function pick<T>(values: readonly T[], i: number): T {
  return values[i % values.length]!;
}

function quote(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function line(values: readonly string[]): string {
  return `${values.map(quote).join(',')}\n`;
}

export function companyName(i: number): string {
  return `${pick(PREFIXES, i)} ${pick(NOUNS, Math.floor(i / 8))} ${pick(SUFFIXES, i)} ${i + 1}`;
}

/** The company of contact `i`: contacts spread over every company, about two each. */
export function companyOfContact(i: number, sizes: BenchSizes): number {
  return (i * 7919) % sizes.companies;
}

export function contactEmail(i: number): string {
  const first = pick(FIRST, i).toLowerCase();
  const last = pick(LAST, Math.floor(i / 11))
    .toLowerCase()
    .replace('ü', 'ue');
  return `${first}.${last}.${i + 1}@client${i % 97}.example`;
}

export const COMPANY_HEADER = ['Name', 'Phone', 'Type', 'City', 'Owner'];
export const CONTACT_HEADER = ['Company', 'First', 'Last', 'Email', 'Phone', 'Title'];
export const OPPORTUNITY_HEADER = ['Title', 'Company', 'Contact', 'Start', 'Close', 'Amount', 'Owner'];

export function companyRow(i: number, changed: boolean): string[] {
  const phoneTail = String((i * 37 + (changed && isChangedRow(i) ? 5 : 0)) % 10_000_000).padStart(7, '0');
  return [companyName(i), `+1 555 ${phoneTail}`, pick(TYPES, i), pick(CITIES, i * 3), pick(OWNER_EMAILS, i)];
}

export function contactRow(i: number, sizes: BenchSizes, changed: boolean): string[] {
  const title = pick(TITLES, i) + (changed && isChangedRow(i) ? ' (new role)' : '');
  return [
    companyName(companyOfContact(i, sizes)),
    pick(FIRST, i),
    pick(LAST, Math.floor(i / 11)),
    contactEmail(i),
    `+1 555 ${String(1_000_000 + i).padStart(7, '0')}`,
    title,
  ];
}

export function opportunityRow(i: number, sizes: BenchSizes, changed: boolean): string[] {
  // The contact's own company, so that the pair is consistent.
  const contact = (i * 3) % sizes.contacts;
  const day = new Date(Date.UTC(2027, 0, 1) + (i % 365) * 86_400_000).toISOString().slice(0, 10);
  const amount = 1000 + (i % 50) * 250 + (changed && isChangedRow(i) ? 100 : 0);
  return [
    `Opportunity ${i + 1}: ${pick(NOUNS, i)} renewal`,
    companyName(companyOfContact(contact, sizes)),
    contactEmail(contact),
    '2026-11-01',
    day,
    String(amount),
    pick(OWNER_EMAILS, i + 1),
  ];
}

/** A sync configuration for the three files, plus CSV exports of the three objects into `out/`. */
export function benchConfigYaml(options: { share?: number } = {}): string {
  return `version: 1
autotask:
  budget: { share: ${options.share ?? 0.5} }
state: state.sqlite
syncs:
  - name: companies
    object: Company
    source: { type: csv, path: companies.csv }
    fields:
      companyName: Name
      phone: Phone
      companyType: { column: Type, default: Prospect }
      city: { column: City, transform: [trim] }
      ownerResourceID: { column: Owner, ref: Resource }
  - name: contacts
    object: Contact
    source: { type: csv, path: contacts.csv }
    fields:
      companyID: { column: Company, ref: Company }
      firstName: First
      lastName: Last
      emailAddress: Email
      phone: Phone
      title: Title
  - name: opportunities
    object: Opportunity
    source: { type: csv, path: opportunities.csv }
    fields:
      title: Title
      companyID: { column: Company, ref: Company }
      contactID: { column: Contact, ref: Contact }
      startDate: { column: Start, transform: [{ type: date, format: YYYY-MM-DD }] }
      projectedCloseDate: { column: Close, transform: [{ type: date, format: YYYY-MM-DD }] }
      amount: Amount
      ownerResourceID: { column: Owner, ref: Resource }
      status: { default: Active }
      stage: { default: Qualified }
      probability: { default: 50 }
      cost: { default: 0 }
      useQuoteTotals: { default: true }
exports:
  - name: companies-out
    object: Company
    destination: { type: csv, path: out/companies.csv }
  - name: contacts-out
    object: Contact
    destination: { type: csv, path: out/contacts.csv }
  - name: opportunities-out
    object: Opportunity
    destination: { type: csv, path: out/opportunities.csv }
`;
}

export interface BenchDataSet {
  dir: string;
  /** The configuration file (its state database is `state.sqlite` beside it). */
  configPath: string;
  sizes: BenchSizes;
}

/**
 * Writes the three CSVs (the `changed` variant when asked) and the configuration into `dir`.
 * Rewriting with `changed: true` leaves the configuration and state alone.
 */
export function writeBenchData(
  dir: string,
  sizes: BenchSizes,
  options: { changed?: boolean; share?: number } = {},
): BenchDataSet {
  mkdirSync(dir, { recursive: true });
  const changed = options.changed ?? false;
  const parts: string[] = [line(COMPANY_HEADER)];
  for (let i = 0; i < sizes.companies; i++) parts.push(line(companyRow(i, changed)));
  writeFileSync(join(dir, 'companies.csv'), parts.join(''));
  parts.length = 0;
  parts.push(line(CONTACT_HEADER));
  for (let i = 0; i < sizes.contacts; i++) parts.push(line(contactRow(i, sizes, changed)));
  writeFileSync(join(dir, 'contacts.csv'), parts.join(''));
  parts.length = 0;
  parts.push(line(OPPORTUNITY_HEADER));
  for (let i = 0; i < sizes.opportunities; i++) parts.push(line(opportunityRow(i, sizes, changed)));
  writeFileSync(join(dir, 'opportunities.csv'), parts.join(''));
  const configPath = join(dir, 'sync.yaml');
  writeFileSync(configPath, benchConfigYaml(options.share === undefined ? {} : { share: options.share }));
  return { dir, configPath, sizes };
}

/** Rows the `changed` variant alters, over the three files. */
export function changedRecords(sizes: BenchSizes): number {
  return changedRows(sizes.companies) + changedRows(sizes.contacts) + changedRows(sizes.opportunities);
}

/**
 * A single large companies CSV (streamed to disk, so its size does not weigh on this process) and a
 * configuration with just the companies sync, for the memory scenario.
 */
export async function writeLargeCompanyData(dir: string, rows: number): Promise<BenchDataSet> {
  mkdirSync(dir, { recursive: true });
  const out = createWriteStream(join(dir, 'companies.csv'));
  let chunk = line(COMPANY_HEADER);
  for (let i = 0; i < rows; i++) {
    chunk += line(companyRow(i, false));
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  const full = benchConfigYaml();
  const configPath = join(dir, 'sync.yaml');
  writeFileSync(configPath, full.slice(0, full.indexOf('  - name: contacts')));
  return { dir, configPath, sizes: { companies: rows, contacts: 0, opportunities: 0 } };
}
