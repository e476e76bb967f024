/** The hostile CSV fixtures of test/fixtures/sources, read end to end. */
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import type { SourceRecord, SourceWarning } from '../../../../src/connectors/source.js';
import { createCsvSource } from '../../../../src/connectors/sources/csv/csv-source.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../../fixtures/sources/${name}`, import.meta.url));

async function read(
  name: string,
): Promise<{ columns: string[]; records: SourceRecord[]; warnings: SourceWarning[] }> {
  const warnings: SourceWarning[] = [];
  const source = createCsvSource({ path: fixture(name) }, { onWarning: (w) => warnings.push(w) });
  const records: SourceRecord[] = [];
  for await (const r of source.read()) records.push(r);
  return { columns: (await source.describe()).columns, records, warnings };
}

describe('CSV fixtures', () => {
  it('bom-crlf.csv: BOM dropped from the first column name, CRLF endings', async () => {
    const { columns, records } = await read('bom-crlf.csv');
    expect(columns).toEqual(['Company Name', 'Phone', 'City']);
    expect(records.map((r) => r.values['City'])).toEqual(['Zürich', 'Paris']);
    expect(records.map((r) => r.location.line)).toEqual([2, 3]);
  });

  it('semicolons.csv: delimiter detected, decimal commas kept as text', async () => {
    const { records } = await read('semicolons.csv');
    expect(records.map((r) => r.values)).toEqual([
      { Firma: 'Müller GmbH', Umsatz: '1.234,50', Ort: 'Köln' },
      { Firma: 'Schmidt; Söhne', Umsatz: '99,90', Ort: 'Wien' },
    ]);
  });

  it('latin1.csv: Windows-1252 detected with a warning', async () => {
    const { records, warnings } = await read('latin1.csv');
    expect(records.map((r) => r.values)).toEqual([
      { Name: 'Café Crème', Ville: 'Besançon', Note: 'Prix 5 €' },
      { Name: 'Œuvres d’art', Ville: 'Saint-Étienne', Note: '«ok»' },
    ]);
    expect(warnings.map((w) => w.code)).toEqual(['CSV_READ_AS_LATIN1']);
  });

  it('multiline-quotes.csv: values spanning lines, next record on its physical line', async () => {
    const { records } = await read('multiline-quotes.csv');
    expect(records[0]?.values).toEqual({
      Name: 'Acme, Inc.',
      Address: '1 Main St\nSuite 200\nSpringfield',
      Comment: 'He said "hello"',
    });
    expect(records.map((r) => r.location.line)).toEqual([2, 5]);
    expect(records[1]?.values).toEqual({ Name: 'Beta', Address: '2 Side St', Comment: '' });
  });

  it('ragged.csv: every bad row reported with its line, every good row kept', async () => {
    const { records } = await read('ragged.csv');
    expect(records.map((r) => [r.location.line, r.values['Name'], r.error ? 'error' : 'ok'])).toEqual([
      [2, 'Alpha', 'ok'],
      [3, 'Beta', 'error'],
      [4, 'Gamma', 'error'],
      [5, 'Delta', 'ok'],
      [6, 'Epsilon', 'error'],
      [7, 'Zeta', 'ok'],
    ]);
  });

  it('formulas.csv: formula-looking values are read verbatim (neutralised only when exported)', async () => {
    const { records } = await read('formulas.csv');
    expect(records.map((r) => r.values)).toEqual([
      { Name: '=HYPERLINK("http://evil.example","click")', Note: '+1 555 0100' },
      { Name: '-2+3', Note: '@SUM(A1:A2)' },
      { Name: '\tTabbed', Note: '=1+1' },
    ]);
    expect(records.every((r) => r.error === undefined)).toBe(true);
  });
});
