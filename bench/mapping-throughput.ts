/**
 * Field mapping throughput: compile a company and a contact mapping against the emulator's metadata,
 * then map N synthetic rows (transforms, picklists, dates, references), compute their dedupe keys and
 * payload hashes. Run: `node --import tsx bench/mapping-throughput.ts [rows=200000]`.
 */
import { createEntitySchemas } from '../src/emulator/metadata/entity-schemas.js';
import { DEFAULT_UDF_SPECS, makeUdfDefinition } from '../src/emulator/metadata/udf-definitions.js';
import { DEFAULT_KEYS, keyValuesOfMappedRecord, payloadHash, recordKey } from '../src/sync/keys/index.js';
import {
  compileMapping,
  compileRowFilter,
  mapRecord,
  type FieldMappingsSpec,
} from '../src/sync/mapping/index.js';

const rows = Number(process.argv[2] ?? 200_000);
const schemas = createEntitySchemas();

function time(label: string, n: number, fn: () => void): void {
  const start = process.hrtime.bigint();
  fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const rate = Math.round((n / ms) * 1000).toLocaleString('en-US');
  console.log(
    `${label.padEnd(46)} ${String(n).padStart(7)} rows ${ms.toFixed(0).padStart(6)} ms ${rate.padStart(10)} rows/s`,
  );
}

const company: FieldMappingsSpec = {
  companyName: { column: 'Name', transform: ['trim', 'collapse-spaces'] },
  companyType: { column: 'Type', default: 'Prospect' },
  phone: { column: 'Phone', transform: ['trim'] },
  city: { column: 'City', transform: ['title'] },
  webAddress: { template: 'https://{Domain}/' },
  ownerResourceID: { column: 'Owner', ref: 'Resource', default: 29682885 },
  'udf:CRM ID': 'CRM',
  'udf:Discount': { column: 'Discount', transform: [{ type: 'number', decimal: ',' }] },
  'udf:Contract Renewal Date': {
    column: 'Renewal',
    transform: [{ type: 'date', format: 'DD/MM/YYYY HH:mm', timeZone: 'Europe/Paris' }],
  },
};
const contact: FieldMappingsSpec = {
  companyID: { column: 'Company', ref: 'Company' },
  firstName: { column: 'First', transform: ['trim', 'title'] },
  lastName: { column: 'Last', transform: ['trim', 'title'] },
  emailAddress: { column: 'Email', transform: ['trim', 'lower'] },
  title: { template: '{Role} ({Dept})' },
  'udf:Newsletter': { column: 'News', transform: [{ type: 'map', values: { y: 'Yes', n: 'No' } }] },
};

const types = ['Customer', 'prospect', '1', 'Lead', ''];
const companyRows = Array.from({ length: rows }, (_, i) => ({
  Name: `  Company ${i} & Sons,   Ltd. `,
  Type: types[i % types.length],
  Phone: ` +1 206 555 ${String(i % 10_000).padStart(4, '0')} `,
  City: 'sEATTLE',
  Domain: `company${i}.example`,
  Owner: i % 3 === 0 ? '' : `owner${i % 7}@example.com`,
  CRM: `CRM-${i}`,
  Discount: `${i % 100},5`,
  Renewal: `${String((i % 28) + 1).padStart(2, '0')}/0${(i % 9) + 1}/2027 10:30`,
}));
const contactRows = Array.from({ length: rows }, (_, i) => ({
  Company: `Company ${i % 1000}`,
  First: ' ada ',
  Last: ' lovelace ',
  Email: ` Ada.${i}@Example.com `,
  Role: 'Head',
  Dept: 'Sales',
  News: i % 2 ? 'Y' : 'n',
}));

for (const [object, entity, spec, data] of [
  ['Company', 'Companies', company, companyRows],
  ['Contact', 'Contacts', contact, contactRows],
] as const) {
  const metadata = {
    fields: schemas[entity].fields,
    udfs: DEFAULT_UDF_SPECS[entity].map((s) => makeUdfDefinition(s)),
  };
  const compiled = compileMapping(object, spec, metadata);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.findings, null, 2));
  const filter = compileRowFilter({ column: 'Name', notEmpty: true });
  let issues = 0;
  const mapped = new Array<ReturnType<typeof mapRecord>>(data.length);
  time(`${object}: filter + mapRecord`, data.length, () => {
    data.forEach((row, i) => {
      filter(row);
      const m = mapRecord(compiled.mapping, row);
      issues += m.issues.length;
      mapped[i] = m;
    });
  });
  time(`${object}: recordKey (default key)`, data.length, () => {
    for (const m of mapped) recordKey(DEFAULT_KEYS[object], keyValuesOfMappedRecord(m, { companyID: 1 }));
  });
  time(`${object}: payloadHash`, data.length, () => {
    for (const m of mapped) payloadHash({ fields: m.fields, udfs: m.udfs });
  });
  console.log(`${object}: ${issues} record issues`);
}
