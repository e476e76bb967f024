import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, expectTypeOf, it } from 'vitest';

import { loadConfig, type SourceSpec } from '../../../../src/config/index.js';
import type { SourceRecord } from '../../../../src/connectors/source.js';
import { createSource, type SourceSettings } from '../../../../src/connectors/sources/index.js';

const dir = mkdtempSync(join(tmpdir(), 'create-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('createSource', () => {
  it('accepts the sources of a loaded configuration', () => {
    expectTypeOf<SourceSpec>().toExtend<SourceSettings>();
  });

  it('opens the source a configuration describes, with paths relative to the configuration', async () => {
    copyFileSync(
      fileURLToPath(new URL('../../../fixtures/sources/semicolons.csv', import.meta.url)),
      join(dir, 'firms.csv'),
    );
    writeFileSync(join(dir, 'people.jsonl'), '{"email":"a@example.com","company":{"name":"Müller GmbH"}}\n');
    writeFileSync(
      join(dir, 'sync.yaml'),
      `version: 1
syncs:
  - name: firms
    object: Company
    source: { type: csv, path: firms.csv, encoding: utf-8 }
    fields: { companyName: Firma }
  - name: people
    object: Contact
    source: { type: jsonl, path: people.jsonl }
    fields: { emailAddress: email, companyID: { column: company.name, ref: Company } }
`,
    );
    const { config } = loadConfig(join(dir, 'sync.yaml'), { env: {} });
    const read = async (i: number): Promise<SourceRecord[]> => {
      const out: SourceRecord[] = [];
      for await (const r of createSource(config.syncs[i]!.source).read()) out.push(r);
      return out;
    };
    expect((await read(0)).map((r) => r.values['Firma'])).toEqual(['Müller GmbH', 'Schmidt; Söhne']);
    expect((await read(1))[0]?.values).toEqual({ email: 'a@example.com', 'company.name': 'Müller GmbH' });
    expect(createSource(config.syncs[0]!.source).name).toBe('firms.csv');
  });
});
