/**
 * Writes `schema/config.schema.json` (for editors) and `docs/configuration.md` (the reference) from the
 * zod schema in src/config/schema.ts. Run after changing the schema:
 *
 *   npx tsx scripts/generate-config-schema.ts          # write both files
 *   npx tsx scripts/generate-config-schema.ts --check  # exit 1 if either is out of date
 *
 * test/unit/config/generated-files.test.ts fails when the committed files are stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { format, resolveConfig } from 'prettier';

import { configJsonSchema, renderConfigReference } from '../src/config/config-reference.js';

export const SCHEMA_FILE = fileURLToPath(new URL('../schema/config.schema.json', import.meta.url));
export const REFERENCE_FILE = fileURLToPath(new URL('../docs/configuration.md', import.meta.url));

const INTRO = `
# Configuration reference

autotask-sync reads one YAML file (by convention \`autotask-sync.yaml\`), given with \`--config FILE\`.
Editors that understand JSON Schema (VS Code with the YAML extension, JetBrains IDEs) complete and
check it against \`schema/config.schema.json\`, which ships in the package; with the YAML extension,
start the file with (adjusting the path):

\`\`\`yaml
# yaml-language-server: $schema=./node_modules/autotask-sync/schema/config.schema.json
\`\`\`

## Example

\`\`\`yaml
version: 1
autotask:
  budget: { share: 0.5 }          # credentials come from the environment: see below
state: .autotask-sync/state.sqlite
syncs:
  - name: companies
    object: Company                # Company (alias Account) | Contact | Opportunity
    source: { type: csv, path: companies.csv }
    mode: upsert                   # create | update | upsert
    fields:
      companyName: Name
      phone: { column: Phone, transform: [trim] }
      companyType: { column: Type, default: Prospect }
      ownerResourceID: { column: Owner Email, ref: Resource }
  - name: contacts
    object: Contact
    source: { type: postgres, url: "\${CRM_DATABASE_URL}", table: crm.contacts }
    fields:
      companyID: { column: company, ref: Company }
      firstName: first_name
      lastName: last_name
      emailAddress: email
      isActive: { default: 1 }
exports:
  - name: companies-out
    object: Company
    destination: { type: csv, path: out/companies.csv }
    incremental: true
\`\`\`

## Credentials and the environment

Credentials are never required in the file. Unless \`autotask:\` says otherwise, they come from:

| Variable | Meaning |
|---|---|
| \`AUTOTASK_TOKEN\` | base64 of \`username:secret\` (the connector token) |
| \`AUTOTASK_USERNAME\` + \`AUTOTASK_SECRET\` | the same, as two variables (instead of the token) |
| \`AUTOTASK_INTEGRATION_CODE\` | the API tracking identifier of the API user |
| \`AUTOTASK_URL\` | REST zone URL or legacy SOAP URL; unset → the zone is discovered from the user name |
| \`AUTOTASK_IMPERSONATION_RESOURCE_ID\` | optional: write as this resource |

A \`.env\` file beside the configuration file, and one in the working folder, are read too (dotenv
syntax). Real environment variables win over \`.env\`, and the configuration's \`.env\` wins over the
working folder's. Keep \`.env\` out of version control.

A secret written into the configuration itself (\`token\`, \`secret\`, \`integrationCode\`, or a
password inside a database URL) still works, but every command warns, naming the setting and line (never
the secret), and asks you to move it to the environment.

## \`\${VAR}\` references

Any text value may refer to environment variables (and \`.env\` entries): \`\${NAME}\`, or
\`\${NAME:-fallback}\` to use \`fallback\` when NAME is unset or empty. \`$\${\` writes a literal \`\${\`.
An unset variable without a fallback is an error at that setting. References are expanded after the
YAML is parsed, in values only, so a variable can never change the file's structure; the result is text.
Inside a \`{ ... }\` flow mapping, quote a value that holds a reference (\`url: "\${DATABASE_URL}"\`):
YAML reads a bare \`{\` there as the start of a mapping.

## Paths

Relative paths (\`state\`, CSV / JSON Lines / SQLite \`path\`) are resolved against the configuration
file's folder, not the working folder, so a configuration behaves the same wherever it is run from.
A path starting with \`~/\` is in your home folder.

## Objects

| Object | Aliases | Autotask entity | Sync (write) | Export (read) | Default dedupe key |
|---|---|---|---|---|---|
| Company | Account | Companies | yes | yes | name, without punctuation, case-insensitive |
| Contact | | Contacts | yes | yes | email, case-insensitive |
| Opportunity | | Opportunities | yes | yes | name + expected close date + company/contact |
| Resource | Owner | Resources | no: Autotask's API is read-only for resources | yes | email |

## Errors

Every problem in a configuration is reported at once, each with its setting's path and the position in
the file, for example:

\`\`\`text
error: autotask-sync.yaml has 2 problems
  syncs[0].objct: unknown setting "objct": did you mean "object"? (autotask-sync.yaml:7:5)
  syncs[1].object: Resource is read-only in Autotask's API (product.md §2): it can be exported or referenced, not written (autotask-sync.yaml:14:13)
\`\`\`

Unknown settings are errors (a misspelt setting would otherwise be silently ignored), except top-level
keys starting with \`x-\`, which are ignored: use them to hold YAML anchors that several syncs share:

\`\`\`yaml
x-crm: &crm { type: postgres, url: "\${CRM_DATABASE_URL}" }
syncs:
  - { name: companies, object: Company, source: { <<: *crm, table: companies }, fields: { companyName: name } }
  - { name: contacts, object: Contact, source: { <<: *crm, table: contacts }, fields: { emailAddress: email } }
\`\`\`

## Sources

- **CSV** (RFC 4180, header row): the header's names are trimmed and must be unique and non-empty.
  Values stay text, exactly as written. A UTF-8 byte-order mark is dropped; \`encoding: auto\` reads
  UTF-8, or Latin-1 (Windows-1252) with a warning when the bytes are not UTF-8; UTF-16 is refused with
  how to convert it. \`delimiter: auto\` picks \`,\` \`;\` tab or \`|\` from the header. Blank lines and
  rows of empty values are skipped. A row with the wrong number of values is reported with its physical
  line and the rest of the file is read; a stray quote costs one row (the lines it swallowed are read
  again). NUL characters are removed with a warning. Records longer than 8 MiB stop the read.
- **JSON Lines**: one object per line (UTF-8); nested objects become dotted columns
  (\`address.city\`) unless \`flatten: false\`; arrays stay values. Bad lines are reported with their line
  and the rest is read.
- **SQLite**: opened read-only; a table is read in primary-key order, a query in its own order.
- **PostgreSQL**: read through a cursor in batches inside a read-only transaction. \`date\` and
  \`timestamp\` values stay as written (no time-zone shift), \`timestamptz\` becomes UTC ISO 8601,
  \`numeric\` stays exact text.

Whole numbers beyond 2^53 in a database are reported as a row error rather than rounded.
`;

/** The two generated files' contents, formatted as Prettier would (so `prettier --check` passes). */
export async function generate(): Promise<{ schema: string; reference: string }> {
  const pretty = async (text: string, file: string): Promise<string> =>
    format(text, { ...((await resolveConfig(file)) ?? {}), filepath: file });
  return {
    schema: await pretty(JSON.stringify(configJsonSchema(), null, 2), SCHEMA_FILE),
    reference: await pretty(renderConfigReference(INTRO), REFERENCE_FILE),
  };
}

async function main(): Promise<void> {
  const { schema, reference } = await generate();
  const check = process.argv.includes('--check');
  const files: [string, string][] = [
    [SCHEMA_FILE, schema],
    [REFERENCE_FILE, reference],
  ];
  let stale = false;
  for (const [file, content] of files) {
    let current: string | undefined;
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === content) continue;
    if (check) {
      console.error(`${file} is out of date: run npx tsx scripts/generate-config-schema.ts`);
      stale = true;
    } else {
      writeFileSync(file, content);
      console.log(`wrote ${file}`);
    }
  }
  if (stale) process.exitCode = 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
