/** The committed JSON Schema and configuration reference match the zod schema; the docs' example loads. */
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { parseConfig } from '../../../src/config/index.js';
import { generate, REFERENCE_FILE, SCHEMA_FILE } from '../../../scripts/generate-config-schema.js';

describe('generated configuration files', () => {
  it('schema/config.schema.json and docs/configuration.md are up to date (npx tsx scripts/generate-config-schema.ts)', async () => {
    const { schema, reference } = await generate();
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(schema);
    expect(readFileSync(REFERENCE_FILE, 'utf8')).toBe(reference);
  });

  it('the JSON Schema forbids unknown keys and knows every source type', () => {
    const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as {
      additionalProperties: boolean;
      properties: {
        syncs: {
          items: { properties: { source: { oneOf: { properties: { type: { const: string } } }[] } } };
        };
      };
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.syncs.items.properties.source.oneOf.map((o) => o.properties.type.const)).toEqual(
      ['csv', 'jsonl', 'sqlite', 'postgres'],
    );
  });

  it('the example in docs/configuration.md is a valid configuration', () => {
    const doc = readFileSync(REFERENCE_FILE, 'utf8');
    const example = /## Example\s+```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const { config, warnings } = parseConfig(example!, {
      file: '/srv/ats/autotask-sync.yaml',
      env: { CRM_DATABASE_URL: 'postgres://reader@db/crm' },
    });
    expect(config.syncs.map((s) => s.name)).toEqual(['companies', 'contacts']);
    expect(warnings).toEqual([]);
  });
});
