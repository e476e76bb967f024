/**
 * Relationships (issue 4 item 6): a mapped `ref` value → the related record's Autotask id.
 * - Company: exact Autotask id, or exact company name (Autotask's equality: case-insensitive, trailing
 *   spaces ignored; no fuzzy matching: the error suggests the closest names), or a company of a
 *   company sync in the same run (which may still have to be created: the dependant then waits).
 * - Contact: id, or email (likewise, same-run contacts included).
 * - Resource (owner): id or email, active resources only.
 * Everything is resolved locally from the key indexes and one read of Resources: no call per record.
 */
import type { RefRequest } from '../mapping/types.js';
import type { AutotaskKeyIndex } from './autotask-key-index.js';
import { EXACT_COMPANY_NAME, EXACT_CONTACT_EMAIL, exactNameKey } from './key-kinds.js';
import type { EngineClient } from './ports.js';

export type Resolution =
  | { readonly kind: 'id'; readonly id: number }
  /** A record of this run that has to be written first. */
  | { readonly kind: 'pending'; readonly sync: string; readonly key: string; readonly label: string }
  | {
      readonly kind: 'error';
      readonly code: ReferenceErrorCode;
      readonly message: string;
      readonly fix: string;
    };

export type ReferenceErrorCode = 'REF_UNKNOWN' | 'REF_AMBIGUOUS' | 'REF_INACTIVE' | 'REF_UNSUPPORTED';

/** A record of a sync in this run, reachable by exact name (companies) or email (contacts). */
export interface SameRunTarget {
  sync: string;
  key: string;
  /** `companies.csv:3`, for messages. */
  location: string;
  /** The name (or email) as the source wrote it, for suggestions. */
  name?: string;
}

export interface ResourceInfo {
  id: number;
  email: string | null;
  isActive: boolean;
  name: string;
}

export interface ResolverInputs {
  companyIndex: AutotaskKeyIndex | undefined;
  contactIndex: AutotaskKeyIndex | undefined;
  /** Exact company name (see `exactNameKey`) → records of company syncs in this run. */
  sameRunCompanies: ReadonlyMap<string, readonly SameRunTarget[]>;
  /** Exact email → records of contact syncs in this run. */
  sameRunContacts: ReadonlyMap<string, readonly SameRunTarget[]>;
  /** Autotask id of a same-run record when it is already known (linked or matched), else undefined. */
  knownId: (target: SameRunTarget) => number | undefined;
  /** Resources by id, when a mapping references them. */
  resources: ReadonlyMap<number, ResourceInfo> | undefined;
}

export class ReferenceResolver {
  private readonly memo = new Map<string, Resolution>();
  private readonly resourcesByEmail = new Map<string, ResourceInfo[]>();
  /** Company names nothing matched, for the suggestions read. */
  private readonly unknownNames = new Set<string>();
  private suggestions = new Map<string, string[]>();

  constructor(private readonly inputs: ResolverInputs) {
    for (const r of inputs.resources?.values() ?? []) {
      const email = exactNameKey(r.email);
      if (email === undefined) continue;
      const list = this.resourcesByEmail.get(email) ?? [];
      list.push(r);
      this.resourcesByEmail.set(email, list);
    }
  }

  /**
   * Resolves one reference. `allowSameRun`: records of this run may be used (only for objects of an
   * earlier dependency stage: a company cannot wait for another company of the same run).
   */
  resolve(ref: RefRequest, allowSameRun = true): Resolution {
    const memoKey = `${allowSameRun ? 1 : 0}|${ref.entity}|${ref.by}|${ref.by === 'id' ? ref.id : ref.by === 'email' ? ref.email : ref.name}`;
    const known = this.memo.get(memoKey);
    if (known !== undefined && !(known.kind === 'error' && known.code === 'REF_UNKNOWN')) return known;
    const resolution = this.resolveUncached(ref, allowSameRun);
    this.memo.set(memoKey, resolution);
    return resolution;
  }

  private resolveUncached(ref: RefRequest, allowSameRun: boolean): Resolution {
    switch (ref.entity) {
      case 'Company':
        if (ref.by === 'id') return this.byId('Company', this.inputs.companyIndex, ref.id);
        if (ref.by === 'name') return this.companyByName(ref.name, allowSameRun);
        return error(
          'REF_UNSUPPORTED',
          `A company cannot be found by email ("${ref.email}")`,
          'Give the company id or its exact name.',
        );
      case 'Contact':
        if (ref.by === 'id') return this.byId('Contact', this.inputs.contactIndex, ref.id);
        if (ref.by === 'email') return this.contactByEmail(ref.email, allowSameRun);
        return error(
          'REF_UNSUPPORTED',
          `A contact cannot be found by name ("${ref.name}")`,
          'Give the contact id or email address.',
        );
      case 'Resource':
        return this.resource(ref);
    }
  }

  private byId(object: 'Company' | 'Contact', index: AutotaskKeyIndex | undefined, id: number): Resolution {
    // Only a complete index can say an id does not exist; otherwise Autotask will.
    if (index === undefined || !index.isComplete() || index.get(id) !== undefined) return { kind: 'id', id };
    return error(
      'REF_UNKNOWN',
      `No Autotask ${object.toLowerCase()} has id ${id}`,
      `Check the id in Autotask, or give the ${object === 'Company' ? "company's exact name" : "contact's email"}.`,
    );
  }

  private companyByName(name: string, allowSameRun: boolean): Resolution {
    const exact = exactNameKey(name);
    if (exact === undefined)
      return error('REF_UNKNOWN', 'The company name is empty', 'Give a company name or id.');
    const sameRun = allowSameRun ? this.inputs.sameRunCompanies.get(exact) : undefined;
    if (sameRun !== undefined) return this.sameRun(sameRun, `company "${name}"`);
    const found = this.inputs.companyIndex?.lookup(EXACT_COMPANY_NAME.kind, [exact]).get(exact) ?? [];
    const first = found[0];
    if (found.length === 1 && first !== undefined) return { kind: 'id', id: first.autotaskId };
    if (found.length > 1)
      return error(
        'REF_AMBIGUOUS',
        `${found.length} Autotask companies are named "${name}" (ids ${found.map((f) => f.autotaskId).join(', ')})`,
        'Give the company id instead of its name, or merge the duplicates in Autotask.',
      );
    this.unknownNames.add(name);
    const close = this.suggestions.get(name) ?? [];
    return error(
      'REF_UNKNOWN',
      `No Autotask company is named exactly "${name}"${close.length > 0 ? `; closest: ${close.map((c) => `"${c}"`).join(', ')}` : ''}`,
      'Use the exact company name as in Autotask (names are not matched loosely), the company id, or add the company to a company sync of this run.',
    );
  }

  private contactByEmail(email: string, allowSameRun: boolean): Resolution {
    const exact = exactNameKey(email);
    if (exact === undefined)
      return error('REF_UNKNOWN', 'The contact email is empty', 'Give a contact email or id.');
    const sameRun = allowSameRun ? this.inputs.sameRunContacts.get(exact) : undefined;
    if (sameRun !== undefined) return this.sameRun(sameRun, `contact ${email}`);
    const found = this.inputs.contactIndex?.lookup(EXACT_CONTACT_EMAIL.kind, [exact]).get(exact) ?? [];
    const first = found[0];
    if (found.length === 1 && first !== undefined) return { kind: 'id', id: first.autotaskId };
    if (found.length > 1)
      return error(
        'REF_AMBIGUOUS',
        `${found.length} Autotask contacts have the email ${email} (ids ${found.map((f) => f.autotaskId).join(', ')})`,
        'Give the contact id instead, or merge the duplicates in Autotask.',
      );
    return error(
      'REF_UNKNOWN',
      `No Autotask contact has the email ${email}`,
      'Check the email, give the contact id, or add the contact to a contact sync of this run.',
    );
  }

  private sameRun(targets: readonly SameRunTarget[], label: string): Resolution {
    const first = targets[0];
    if (targets.length > 1 || first === undefined)
      return error(
        'REF_AMBIGUOUS',
        `Several records of this run match ${label} (${targets.map((t) => t.location).join(', ')})`,
        'Make the names unique in the source, or give the Autotask id.',
      );
    const id = this.inputs.knownId(first);
    if (id !== undefined) return { kind: 'id', id };
    return { kind: 'pending', sync: first.sync, key: first.key, label: `${label} (${first.location})` };
  }

  private resource(ref: RefRequest): Resolution {
    const resources = this.inputs.resources;
    if (resources === undefined)
      return error('REF_UNKNOWN', 'Resources were not read', 'This is a bug: please report it.');
    let matches: ResourceInfo[];
    let what: string;
    if (ref.by === 'id') {
      const r = resources.get(ref.id);
      matches = r === undefined ? [] : [r];
      what = `id ${ref.id}`;
    } else if (ref.by === 'email') {
      matches = this.resourcesByEmail.get(exactNameKey(ref.email) ?? '') ?? [];
      what = `email ${ref.email}`;
    } else {
      return error(
        'REF_UNSUPPORTED',
        `A resource cannot be found by name ("${ref.name}")`,
        'Give the resource id or email.',
      );
    }
    const active = matches.filter((r) => r.isActive);
    const only = active[0];
    if (active.length === 1 && only !== undefined) return { kind: 'id', id: only.id };
    if (active.length > 1)
      return error(
        'REF_AMBIGUOUS',
        `${active.length} active resources have the ${what}`,
        'Give the resource id instead.',
      );
    if (matches.length > 0)
      return error(
        'REF_INACTIVE',
        `The resource with ${what} (${matches[0]?.name ?? ''}) is inactive`,
        'Choose an active resource (owners must be active).',
      );
    return error(
      'REF_UNKNOWN',
      `No Autotask resource has the ${what}`,
      'Check the value against Autotask Resources (id or email).',
    );
  }

  /**
   * Reads company names close to the unknown ones (one query for up to 100 names) so that their
   * errors can suggest them. Call between the key pass and the load pass; costs at most one call.
   */
  async loadSuggestions(
    client: EngineClient,
    closest: (input: string, candidates: Iterable<string>) => string[],
  ): Promise<void> {
    const names = [...this.unknownNames].slice(0, 100);
    if (names.length === 0) return;
    const prefixes = [...new Set(names.map((n) => n.trim().slice(0, 3)).filter((p) => p.length > 0))];
    if (prefixes.length === 0) return;
    const candidates: string[] = [];
    for (const targets of this.inputs.sameRunCompanies.values())
      for (const t of targets) if (t.name !== undefined) candidates.push(t.name);
    const page = await client.entity('Companies').queryPage({
      filter: [
        {
          op: 'or',
          items: prefixes.map((value) => ({ op: 'beginsWith' as const, field: 'companyName', value })),
        },
      ],
      includeFields: ['companyName'],
    });
    for (const item of page.items)
      if (typeof item['companyName'] === 'string') candidates.push(item['companyName']);
    this.suggestions = new Map(names.map((n) => [n, closest(n, candidates)]));
    for (const [key, value] of this.memo)
      if (value.kind === 'error' && value.code === 'REF_UNKNOWN') this.memo.delete(key);
  }
}

function error(code: ReferenceErrorCode, message: string, fix: string): Resolution {
  return { kind: 'error', code, message, fix };
}

/** Reads every resource once (id, email, active flag, name): they are few. */
export async function readResources(client: EngineClient): Promise<Map<number, ResourceInfo>> {
  const map = new Map<number, ResourceInfo>();
  for await (const r of client.entity('Resources').query({
    filter: [{ op: 'gte', field: 'id', value: 0 }],
    includeFields: ['id', 'email', 'isActive', 'firstName', 'lastName'],
  })) {
    map.set(r.id, {
      id: r.id,
      email: typeof r.email === 'string' ? r.email : null,
      isActive: r.isActive === true,
      name: [r.firstName, r.lastName].filter((p) => typeof p === 'string' && p !== '').join(' '),
    });
  }
  return map;
}
