/**
 * YAML edits of the web app: saving a sync unchanged leaves the file byte for byte as it was, and a
 * change touches only what changed (comments on other lines survive).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import { applySyncDraft, NEW_CONFIG_TEXT, rawSyncs, removeSync } from '../../src/ui/config-document.js';

const EXAMPLE = readFileSync(resolve(import.meta.dirname, '../../examples/sync.config.yaml'), 'utf8');

describe('config document edits', () => {
  it('saving every sync of the shipped example unchanged leaves the file identical', () => {
    let text = EXAMPLE;
    for (const [i, sync] of rawSyncs(EXAMPLE).entries())
      text = applySyncDraft(text, i, structuredClone(sync));
    expect(text).toBe(EXAMPLE);
  });

  it('changes one field and keeps every comment', () => {
    const [companies] = rawSyncs(EXAMPLE);
    const fields = { ...(companies!['fields'] as Record<string, unknown>) };
    fields['phone'] = 'Telephone';
    delete fields['webAddress'];
    const text = applySyncDraft(EXAMPLE, 0, { ...companies, fields });
    expect(text).toContain('phone: Telephone');
    expect(text).not.toContain('webAddress: Website');
    for (const line of EXAMPLE.split('\n').filter((l) => l.includes('#') && !l.includes('webAddress')))
      expect(text).toContain(line.trim());
  });

  it('a changed setting is the only line that changes, and keeps its comment', () => {
    const [companies] = rawSyncs(EXAMPLE);
    const text = applySyncDraft(EXAMPLE, 0, { ...companies, mode: 'create' });
    const before = EXAMPLE.split('\n');
    const after = text.split('\n');
    expect(after).toHaveLength(before.length);
    const changed = after.filter((line, i) => line !== before[i]);
    expect(changed).toEqual(['    mode: create # dedupe key: company name, ignoring case and punctuation']);
    expect(rawSyncs(removeSync(EXAMPLE, 2)).map((s) => s['name'])).toEqual(['companies', 'contacts']);
    expect(removeSync(EXAMPLE, 2)).toContain(
      '      emailAddress: { column: Email, transform: [trim, lower] }',
    );
  });

  it('appends to a new file and removes again', () => {
    const text = applySyncDraft(NEW_CONFIG_TEXT, null, {
      name: 'companies',
      object: 'Company',
      source: { type: 'csv', path: 'companies.csv' },
      fields: { companyName: 'Name', companyType: { default: 'Prospect' } },
    });
    expect(text).toContain('source: { type: csv, path: companies.csv }');
    expect(text).toContain('companyType: { default: Prospect }');
    expect(rawSyncs(text)).toHaveLength(1);
    expect(rawSyncs(removeSync(text, 0))).toEqual([]);
    expect(() => removeSync(text, 3)).toThrow(/no sync number 4/);
  });
});
