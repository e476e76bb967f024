/**
 * The one-way sync most engine tests and benchmarks run: companies.csv → Autotask Companies, the
 * `Name` column as the company name, an owner, a default type and a phone. `companiesSyncYaml` gives
 * it as one entry of a configuration's `syncs:` list (YAML, without a trailing newline), for a test
 * to put in its configuration text:
 *
 *     const CONFIG = `version: 1\nsyncs:\n${companiesSyncYaml()}\n`;
 */

/** The emulator's default resource id, every company's owner. */
export const OWNER_ID = 29682885;

/** How the companies sync maps the fields that vary between tests. */
export interface CompaniesSyncOptions {
  /** The `phone` field's mapping (YAML). @default "Phone" (the file's Phone column) */
  phone?: string;
  /** The `companyType` default's label. @default "Customer" */
  companyType?: string;
  /** Further field mappings, one YAML line each (`webAddress: { column: Web }`). @default [] */
  moreFields?: readonly string[];
}

/** Every company a Prospect with the same fixed phone: only the file's names vary. */
export const PROSPECTS_ONE_PHONE: CompaniesSyncOptions = {
  phone: "{ value: '+1 555 0100' }",
  companyType: 'Prospect',
};

/** The companies sync as one entry of a `syncs:` list (two-space indented, no trailing newline). */
export function companiesSyncYaml(options: CompaniesSyncOptions = {}): string {
  return [
    '  - name: companies',
    '    object: Company',
    '    source: { type: csv, path: companies.csv }',
    '    fields:',
    '      companyName: Name',
    `      phone: ${options.phone ?? 'Phone'}`,
    `      companyType: { default: ${options.companyType ?? 'Customer'} }`,
    `      ownerResourceID: { value: ${OWNER_ID} }`,
    ...(options.moreFields ?? []).map((line) => `      ${line}`),
  ].join('\n');
}
