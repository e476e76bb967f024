/**
 * `init`'s guess of which source column feeds which Autotask field: known synonyms first ("E-mail" →
 * emailAddress, "ZIP" → postalCode, "Account Manager" → ownerResourceID), then the same name in another
 * case or spelling ("Company Name" → companyName), then a close spelling. Each field and each column is
 * used once. Required fields that no column feeds get the product's sensible default when there is one
 * (company type Prospect, contact Active 1, ...), or are listed for the user to map.
 */
import type { FieldInformation, UserDefinedFieldInformation } from '../../autotask/types.js';
import type { WritableObject } from '../../config/objects.js';
import { closestNames } from '../../sync/mapping/closest-names.js';
import type { RefEntity } from '../../sync/mapping/field-mapping-spec.js';
import {
  EXAMPLE_DEFAULTS,
  IMPLICIT_DEFAULTS,
  PRODUCT_REQUIRED_FIELDS,
} from '../../sync/mapping/product-rules.js';

/** How a proposal was found, best first. */
export type MatchKind = 'synonym' | 'same-name' | 'similar';

export interface ProposedMapping {
  /** Autotask field, or `udf:Name`. */
  field: string;
  column: string;
  match: MatchKind;
  /** Related record the column names (`ref:`), for reference fields. */
  ref?: RefEntity;
  /** Transforms to apply (emails are trimmed and lower-cased; dates get their format; decimal commas). */
  transform?: (string | { type: 'date'; format: string } | { type: 'number'; decimal: ',' })[];
  /** The date format was guessed without a value telling day from month: the user should check it. */
  uncertainFormat?: boolean;
  required: boolean;
  /** A default applied on create when the column is empty (required fields with a product default). */
  default?: string | number | boolean;
}

export interface ProposedDefault {
  field: string;
  value: string | number | boolean;
  reason: string;
}

export interface MissingRequired {
  field: string;
  reason: string;
  /** What a mapping would look like, e.g. `{ column: ?, ref: Resource }`. */
  ref?: RefEntity;
  /** A picklist's active labels, in Autotask's order, to choose a default from. */
  labels?: string[];
}

export interface MappingProposal {
  object: WritableObject;
  mappings: ProposedMapping[];
  /** Required fields no column feeds, filled by a default. */
  defaults: ProposedDefault[];
  /** Required fields no column feeds and with no sensible default: the user must map them. */
  missing: MissingRequired[];
  /** Source columns that matched nothing. */
  unmatched: string[];
}

/** Squashed column name → field, per object (squash: lower case, no spaces or punctuation). */
const SYNONYMS: Readonly<Record<WritableObject, Readonly<Record<string, string>>>> = {
  Company: {
    name: 'companyName',
    company: 'companyName',
    companyname: 'companyName',
    account: 'companyName',
    accountname: 'companyName',
    firma: 'companyName',
    firmenname: 'companyName',
    organisation: 'companyName',
    organization: 'companyName',
    customer: 'companyName',
    phone: 'phone',
    telephone: 'phone',
    tel: 'phone',
    phonenumber: 'phone',
    mainphone: 'phone',
    businessphone: 'phone',
    companyphone: 'phone',
    telefon: 'phone',
    website: 'webAddress',
    websiteurl: 'webAddress',
    companydomainname: 'webAddress',
    domain: 'webAddress',
    web: 'webAddress',
    url: 'webAddress',
    homepage: 'webAddress',
    street: 'address1',
    address: 'address1',
    addressline1: 'address1',
    street1: 'address1',
    streetaddress: 'address1',
    billingstreet: 'address1',
    strasse: 'address1',
    straße: 'address1',
    addressline2: 'address2',
    street2: 'address2',
    town: 'city',
    billingcity: 'city',
    ort: 'city',
    stadt: 'city',
    province: 'state',
    stateprovince: 'state',
    stateregion: 'state',
    billingstateprovince: 'state',
    bundesland: 'state',
    region: 'state',
    county: 'state',
    zip: 'postalCode',
    zipcode: 'postalCode',
    postcode: 'postalCode',
    postal: 'postalCode',
    zippostalcode: 'postalCode',
    billingzippostalcode: 'postalCode',
    plz: 'postalCode',
    postleitzahl: 'postalCode',
    type: 'companyType',
    accounttype: 'companyType',
    owner: 'ownerResourceID',
    owneremail: 'ownerResourceID',
    accountmanager: 'ownerResourceID',
    accountowner: 'ownerResourceID',
    companyowner: 'ownerResourceID',
    ownedby: 'ownerResourceID',
    tier: 'classification',
    number: 'companyNumber',
    accountnumber: 'companyNumber',
  },
  Contact: {
    firstname: 'firstName',
    givenname: 'firstName',
    first: 'firstName',
    forename: 'firstName',
    vorname: 'firstName',
    lastname: 'lastName',
    surname: 'lastName',
    familyname: 'lastName',
    last: 'lastName',
    nachname: 'lastName',
    email: 'emailAddress',
    emailadresse: 'emailAddress',
    mail: 'emailAddress',
    emailaddress: 'emailAddress',
    company: 'companyID',
    companyname: 'companyID',
    account: 'companyID',
    accountname: 'companyID',
    associatedcompany: 'companyID',
    firma: 'companyID',
    organisation: 'companyID',
    organization: 'companyID',
    employer: 'companyID',
    jobtitle: 'title',
    position: 'title',
    role: 'title',
    telephone: 'phone',
    phonenumber: 'phone',
    businessphone: 'phone',
    workphone: 'phone',
    officephone: 'phone',
    directphone: 'phone',
    telefon: 'phone',
    mobile: 'mobilePhone',
    mobilephonenumber: 'mobilePhone',
    cell: 'mobilePhone',
    cellphone: 'mobilePhone',
    handy: 'mobilePhone',
    active: 'isActive',
    street: 'addressLine',
    address: 'addressLine',
    streetaddress: 'addressLine',
    mailingstreet: 'addressLine',
    mailingcity: 'city',
    stateregion: 'state',
    stateprovince: 'state',
    mailingstateprovince: 'state',
    zip: 'zipCode',
    mailingzippostalcode: 'zipCode',
    postcode: 'zipCode',
    postalcode: 'zipCode',
    fax: 'faxNumber',
  },
  Opportunity: {
    name: 'title',
    opportunity: 'title',
    opportunityname: 'title',
    deal: 'title',
    dealname: 'title',
    titel: 'title',
    company: 'companyID',
    companyname: 'companyID',
    account: 'companyID',
    customer: 'companyID',
    accountname: 'companyID',
    firma: 'companyID',
    kunde: 'companyID',
    contact: 'contactID',
    contactemail: 'contactID',
    owner: 'ownerResourceID',
    owneremail: 'ownerResourceID',
    salesperson: 'ownerResourceID',
    rep: 'ownerResourceID',
    opportunityowner: 'ownerResourceID',
    dealowner: 'ownerResourceID',
    verantwortlicher: 'ownerResourceID',
    chance: 'probability',
    likelihood: 'probability',
    'probability%': 'probability',
    wahrscheinlichkeit: 'probability',
    value: 'amount',
    revenue: 'amount',
    dealvalue: 'amount',
    betrag: 'amount',
    kosten: 'cost',
    dealstage: 'stage',
    start: 'startDate',
    startdatum: 'startDate',
    close: 'projectedCloseDate',
    abschlussdatum: 'projectedCloseDate',
    closedate: 'projectedCloseDate',
    expectedclose: 'projectedCloseDate',
    expectedclosedate: 'projectedCloseDate',
  },
};

/** Reference fields `init` can map with `ref:` (what the column names). */
const REFS: Readonly<Record<string, RefEntity>> = {
  companyID: 'Company',
  parentCompanyID: 'Company',
  contactID: 'Contact',
  ownerResourceID: 'Resource',
};

/** Lower case, no spaces, underscores, hyphens, dots or colons (as `closestNames` compares). */
export function squash(name: string): string {
  return name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-.:/#()]+/g, '');
}

/** Proposes mappings of `columns` onto the object's writable fields and UDFs. */
export function proposeMappings(
  object: WritableObject,
  columns: readonly string[],
  metadata: { fields: readonly FieldInformation[]; udfs: readonly UserDefinedFieldInformation[] },
): MappingProposal {
  const writable = metadata.fields.filter(
    (f) => !f.isReadOnly && f.name !== 'id' && (!f.isReference || REFS[f.name] !== undefined),
  );
  const udfs = metadata.udfs.filter((u) => !u.isReadOnly);
  const productRequired = new Map(PRODUCT_REQUIRED_FIELDS[object].map((r) => [r.field, r.reason]));
  const isRequired = (field: string): boolean =>
    productRequired.has(field) || writable.some((f) => f.name === field && f.isRequired);
  const targets = new Map<string, string>(); // squashed name → target
  for (const f of writable) targets.set(squash(f.name), f.name);
  for (const u of udfs) {
    targets.set(squash(u.name), `udf:${u.name}`);
    if (u.label) targets.set(squash(u.label), `udf:${u.name}`);
  }
  const known = new Set(targets.values());

  const taken = new Set<string>();
  const used = new Set<string>();
  const mappings: ProposedMapping[] = [];
  const take = (column: string, field: string, match: MatchKind): void => {
    taken.add(field);
    used.add(column);
    const m: ProposedMapping = { field, column, match, required: isRequired(field) };
    const ref = REFS[field];
    if (ref !== undefined) m.ref = ref;
    if (/email/i.test(field) && ref === undefined) m.transform = ['trim', 'lower'];
    const fallback = defaultFor(object, field);
    if (m.required && fallback !== undefined) m.default = fallback;
    mappings.push(m);
  };
  const passes: { match: MatchKind; find: (column: string) => string | undefined }[] = [
    { match: 'synonym', find: (c) => SYNONYMS[object][squash(c)] },
    { match: 'same-name', find: (c) => targets.get(squash(c)) },
    {
      match: 'similar',
      find: (c) => {
        const names = closestNames(
          c,
          [...targets.keys()].filter((k) => k.length >= 4),
          1,
        );
        return names[0] === undefined || squash(c).length < 4 ? undefined : targets.get(names[0]);
      },
    },
  ];
  for (const pass of passes)
    for (const column of columns) {
      if (used.has(column)) continue;
      const field = pass.find(column);
      if (field !== undefined && known.has(field) && !taken.has(field)) take(column, field, pass.match);
    }

  const defaults: ProposedDefault[] = [];
  const missing: MissingRequired[] = [];
  const required = [
    ...PRODUCT_REQUIRED_FIELDS[object].map((r) => ({ field: r.field, reason: r.reason })),
    ...writable
      .filter((f) => f.isRequired && !productRequired.has(f.name))
      .map((f) => ({ field: f.name, reason: 'Autotask requires it' })),
  ];
  for (const r of required) {
    if (taken.has(r.field)) continue;
    const value = defaultFor(object, r.field);
    if (value !== undefined) defaults.push({ field: r.field, value, reason: r.reason });
    else {
      const m: MissingRequired = { field: r.field, reason: r.reason };
      const ref = REFS[r.field];
      if (ref !== undefined) m.ref = ref;
      const picklist = writable.find((f) => f.name === r.field && f.isPickList)?.picklistValues ?? [];
      const labels = [...picklist]
        .filter((v) => v.isActive)
        .sort((a, b) => a.sortOrder - b.sortOrder)
        .map((v) => v.label);
      if (labels.length > 0) m.labels = labels;
      missing.push(m);
    }
  }
  const order = new Map(columns.map((c, i) => [c, i]));
  mappings.sort((a, b) => (order.get(a.column) ?? 0) - (order.get(b.column) ?? 0));
  return { object, mappings, defaults, missing, unmatched: columns.filter((c) => !used.has(c)) };
}

/** The product's sensible default for a required field, if it has one. */
export function defaultFor(object: WritableObject, field: string): string | number | boolean | undefined {
  const implicit = IMPLICIT_DEFAULTS[object][field];
  if (implicit !== undefined && implicit !== null) return implicit;
  const example = EXAMPLE_DEFAULTS[object]?.[field];
  if (example === undefined) return undefined;
  if (example === 'true' || example === 'false') return example === 'true';
  return /^-?\d+(\.\d+)?$/.test(example) ? Number(example) : example;
}
