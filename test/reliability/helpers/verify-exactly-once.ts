/**
 * The exactly-once check of the reliability suites: compares the emulator's tenant tables with the
 * state store's links, intents and ledger, and returns every discrepancy found (empty = all good).
 *
 * - zero duplicates: every source record is in Autotask at most once;
 * - zero lost records: every source record is in Autotask, with its relationships pointing at the
 *   right records (a contact's company, an opportunity's company and contact);
 * - the state matches Autotask: one link per source record, pointing at that record; no Autotask
 *   record of the data set without a link; no write intent left unresolved; the last run's ledger
 *   names every record with the linked id; no Autotask id reported `created` twice across runs, and
 *   every id reported `created` exists.
 */
import type { Tenant } from '../../../src/emulator/contracts.js';
import type { StateStore } from '../../../src/state/state-store.js';
import type { Dataset } from './dataset.js';

interface Found {
  /** Autotask ids by the data set's natural key (name, email, title). */
  ids: Map<string, number[]>;
  values: Map<number, Record<string, unknown>>;
}

function scan(
  tenant: Tenant,
  entity: 'Companies' | 'Contacts' | 'Opportunities',
  field: string,
  test: (v: string) => boolean,
): Found {
  const ids = new Map<string, number[]>();
  const values = new Map<number, Record<string, unknown>>();
  for (const r of tenant.tables[entity].scan()) {
    const raw = r.values[field];
    if (typeof raw !== 'string' || !test(raw)) continue;
    const list = ids.get(raw) ?? [];
    list.push(r.id);
    ids.set(raw, list);
    values.set(r.id, r.values);
  }
  return { ids, values };
}

export interface ExactlyOnceReport {
  problems: string[];
  /** Autotask records of the data set, per entity. */
  counts: { companies: number; contacts: number; opportunities: number };
  /** Runs looked at. */
  runs: number;
}

export function verifyExactlyOnce(tenant: Tenant, state: StateStore, data: Dataset): ExactlyOnceReport {
  const problems: string[] = [];
  const note = (p: string): void => {
    if (problems.length < 50) problems.push(p);
  };
  const prefix = `${data.tag} `;
  const companies = scan(tenant, 'Companies', 'companyName', (v) => v.startsWith(`${prefix}Company `));
  const contacts = scan(tenant, 'Contacts', 'emailAddress', (v) =>
    v.startsWith(`${data.tag.toLowerCase()}.contact`),
  );
  const opportunities = scan(tenant, 'Opportunities', 'title', (v) => v.startsWith(`${prefix}Deal `));

  const one = (found: Found, key: string, what: string): number | undefined => {
    const ids = found.ids.get(key) ?? [];
    if (ids.length === 0) note(`lost: ${what} "${key}" is not in Autotask`);
    if (ids.length > 1)
      note(`duplicate: ${what} "${key}" is in Autotask ${ids.length} times (ids ${ids.join(', ')})`);
    return ids[0];
  };
  const companyIds: (number | undefined)[] = [];
  for (let i = 0; i < data.size.companies; i++)
    companyIds.push(one(companies, data.companyName(i), 'company'));
  const contactIds: (number | undefined)[] = [];
  for (let i = 0; i < data.size.contacts; i++) {
    const id = one(contacts, data.contactEmail(i), 'contact');
    contactIds.push(id);
    if (id === undefined) continue;
    const want = companyIds[data.contactCompany(i)];
    const got = contacts.values.get(id)?.['companyID'];
    if (want !== undefined && got !== want)
      note(`contact ${data.contactEmail(i)}: companyID ${String(got)}, expected ${want}`);
  }
  const opportunityIds: (number | undefined)[] = [];
  for (let i = 0; i < data.size.opportunities; i++) {
    const id = one(opportunities, data.opportunityTitle(i), 'opportunity');
    opportunityIds.push(id);
    if (id === undefined) continue;
    const contact = data.opportunityContact(i);
    const v = opportunities.values.get(id) ?? {};
    if (v['contactID'] !== contactIds[contact])
      note(
        `opportunity ${data.opportunityTitle(i)}: contactID ${String(v['contactID'])}, expected ${String(contactIds[contact])}`,
      );
    if (v['companyID'] !== companyIds[data.contactCompany(contact)])
      note(
        `opportunity ${data.opportunityTitle(i)}: companyID ${String(v['companyID'])}, expected ${String(companyIds[data.contactCompany(contact)])}`,
      );
  }
  const extra = (found: Found, expected: number, what: string): void => {
    if (found.ids.size !== expected)
      note(`${what}: ${found.ids.size} distinct records in Autotask, expected ${expected}`);
  };
  extra(companies, data.size.companies, 'companies');
  extra(contacts, data.size.contacts, 'contacts');
  extra(opportunities, data.size.opportunities, 'opportunities');

  // Links: one per source record, each pointing at that record, and nothing linked twice.
  const checkLinks = (sync: string, object: string, found: Found, expected: number): void => {
    const linked = new Map<number, string>();
    let n = 0;
    for (const link of state.iterateLinks(sync, object)) {
      n++;
      if (!found.values.has(link.autotaskId))
        note(
          `link ${sync}/${link.key} points at ${object} ${link.autotaskId}, which is not a record of the data set`,
        );
      const other = linked.get(link.autotaskId);
      if (other !== undefined)
        note(`links ${sync}/${other} and ${sync}/${link.key} share Autotask id ${link.autotaskId}`);
      linked.set(link.autotaskId, link.key);
    }
    if (n !== expected) note(`${sync}: ${n} links, expected ${expected}`);
    for (const id of found.values.keys())
      if (!linked.has(id)) note(`${object} ${id} is in Autotask but no link points at it`);
  };
  checkLinks('companies', 'Company', companies, data.size.companies);
  checkLinks('contacts', 'Contact', contacts, data.size.contacts);
  checkLinks('opportunities', 'Opportunity', opportunities, data.size.opportunities);

  const pending = state.listUnresolvedIntents();
  if (pending.length > 0)
    note(`${pending.length} write intents left unresolved (first: ${pending[0]?.sync}/${pending[0]?.key})`);

  // Ledger: the last run names every record with its linked id; `created` never twice for one id.
  const runs = state.listRuns({ mode: 'run', limit: 1000 });
  const last = runs.reduce((a, b) => (b.id > a.id ? b : a), runs[0]!);
  const idsOf: Record<string, Found> = { companies, contacts, opportunities };
  const exists = (sync: string, id: number): boolean => idsOf[sync]?.values.has(id) === true;
  const lastEntries = state.queryLedger({ runId: last.id });
  const expectedTotal = data.size.companies + data.size.contacts + data.size.opportunities;
  if (lastEntries.length !== expectedTotal)
    note(`last run ${last.id}: ${lastEntries.length} ledger entries, expected ${expectedTotal}`);
  for (const e of lastEntries) {
    if (e.action !== 'created' && e.action !== 'updated' && e.action !== 'unchanged')
      note(`last run ${last.id}: ${e.sync} ${e.sourceLocation ?? '?'} is ${e.action}: ${e.reason ?? ''}`);
    else if (e.autotaskId === null || !exists(e.sync, e.autotaskId))
      note(
        `last run ${last.id}: ${e.sync} ${e.sourceLocation ?? '?'} names Autotask id ${String(e.autotaskId)}, not a record of the data set`,
      );
  }
  const createdOnce = new Map<string, number>();
  for (const run of runs) {
    for (const e of state.iterateLedger({ runId: run.id, action: 'created' })) {
      if (e.autotaskId === null) {
        note(`run ${run.id}: ${e.sync} ${e.sourceLocation ?? '?'} created without an id`);
        continue;
      }
      if (!exists(e.sync, e.autotaskId))
        note(`run ${run.id}: ${e.sync} created id ${e.autotaskId} is not in Autotask`);
      const id = `${e.sync}:${e.autotaskId}`;
      const before = createdOnce.get(id);
      if (before !== undefined)
        note(`${e.sync} id ${e.autotaskId} reported created in runs ${before} and ${run.id}`);
      createdOnce.set(id, run.id);
    }
  }
  return {
    problems,
    counts: {
      companies: companies.values.size,
      contacts: contacts.values.size,
      opportunities: opportunities.values.size,
    },
    runs: runs.length,
  };
}
