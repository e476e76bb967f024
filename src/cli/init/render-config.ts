/**
 * Writes `init`'s configuration as commented YAML: what each setting means, which fields Autotask
 * requires, which defaults were filled in, which required fields still need a column, and which
 * source columns were left out. The text is validated with the real loader before it is written.
 */
import { stringify } from 'yaml';

import type { MappingProposal, ProposedMapping } from './propose-mappings.js';

export interface InitSync {
  name: string;
  proposal: MappingProposal;
  /** YAML flow text of `source:`. */
  sourceYaml: string;
  /** Where the columns came from, for the comment. */
  sourceLabel: string;
}

/** A YAML scalar: plain when safe, quoted otherwise. */
export function yamlScalar(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  const text = stringify(value, { lineWidth: 0 }).trimEnd();
  // Flow mappings cannot hold plain scalars with these characters.
  return /^[^'"]/.test(text) && /[,{}[\]#&*!|>%@`]/.test(value) ? JSON.stringify(value) : text;
}

const KEY_NOTE: Readonly<Record<string, string>> = {
  Company: 'dedupe key: company name, ignoring case and punctuation',
  Contact: 'dedupe key: email, ignoring case',
  Opportunity: 'dedupe key: title + expected close date + company/contact',
};

function mappingText(m: ProposedMapping): string {
  const parts = [`column: ${yamlScalar(m.column)}`];
  if (m.transform)
    parts.push(
      `transform: [${m.transform
        .map((t) =>
          typeof t === 'string'
            ? t
            : t.type === 'date'
              ? `{ type: date, format: ${yamlScalar(t.format)} }`
              : `{ type: number, decimal: "${t.decimal}" }`,
        )
        .join(', ')}]`,
    );
  if (m.ref) parts.push(`ref: ${m.ref}`);
  if (m.default !== undefined) parts.push(`default: ${yamlScalar(m.default)}`);
  return parts.length === 1 ? yamlScalar(m.column) : `{ ${parts.join(', ')} }`;
}

function comment(m: ProposedMapping): string {
  const notes: string[] = [];
  if (m.required) notes.push('required');
  if (m.match === 'similar') notes.push('guessed from a similar name: check it');
  if (m.uncertainFormat) notes.push('day/month order guessed: check the date format');
  if (m.ref === 'Resource') notes.push('resource by email or id (active)');
  if (m.ref === 'Company') notes.push('exact company name, Autotask id, or a company synced above');
  if (m.ref === 'Contact') notes.push('contact by email or id');
  if (m.field === 'companyType') notes.push('picklist by label or value');
  return notes.length > 0 ? ` # ${notes.join('; ')}` : '';
}

/** The whole configuration file. */
export function renderConfig(syncs: readonly InitSync[], options: { stateFile: string }): string {
  const out: string[] = [
    '# autotask-sync configuration, written by `autotask-sync init`. Check it against your tenant with',
    '#   autotask-sync check --config <this file>',
    '# then preview with `autotask-sync plan` and load with `autotask-sync run`.',
    '#',
    '# Credentials come from the environment or a .env file beside this file, never from here:',
    '#   AUTOTASK_TOKEN             base64 of "username:secret" (or AUTOTASK_USERNAME + AUTOTASK_SECRET)',
    "#   AUTOTASK_INTEGRATION_CODE  the API user's tracking identifier",
    '#   AUTOTASK_URL               optional: REST zone URL; omitted = zone discovery',
    'version: 1',
    '',
    'autotask:',
    '  budget:',
    "    share: 0.5 # never let the tenant's hourly API usage pass half of Autotask's 10,000 calls",
    '',
    `state: ${yamlScalar(options.stateFile)} # what was synced (links, ledger, cursors); keep it`,
    '',
    'syncs:',
  ];
  for (const sync of syncs) {
    const p = sync.proposal;
    out.push(
      `  - name: ${yamlScalar(sync.name)}`,
      `    object: ${p.object}`,
      `    source: ${sync.sourceYaml} # columns read from ${sync.sourceLabel}`,
      `    mode: upsert # create | update | upsert; ${KEY_NOTE[p.object] ?? ''}`,
      '    fields: # Autotask field (or udf:Name) → source column; `autotask-sync describe ' +
        p.object +
        '` lists them',
    );
    for (const m of p.mappings) out.push(`      ${yamlScalar(m.field)}: ${mappingText(m)}${comment(m)}`);
    for (const d of p.defaults)
      out.push(
        `      ${d.field}: { default: ${yamlScalar(d.value)} } # required (${d.reason}): default on create`,
      );
    for (const m of p.missing)
      out.push(
        `      # ${m.field}: { column: ?${m.ref ? `, ref: ${m.ref}` : ''} } # REQUIRED (${m.reason}): map a column or give a default` +
          (m.labels ? ` (one of: ${m.labels.join(', ')})` : ''),
      );
    if (p.unmatched.length > 0)
      out.push(
        `      # not mapped (no matching Autotask field): ${p.unmatched.map((c) => JSON.stringify(c)).join(', ')}`,
      );
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
