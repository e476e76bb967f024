/**
 * The shipped example (examples/sync.config.yaml and its CSV files) against the emulator's metadata:
 * every sync compiles without errors and every example row maps without issues. Catches drift between
 * the mapping rules, the emulator's metadata and the example.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

import type { EntityName } from '../../../../src/autotask/types.js';
import { OBJECT_ENTITIES, type WritableObject } from '../../../../src/config/objects.js';
import { createEntitySchemas } from '../../../../src/emulator/metadata/entity-schemas.js';
import { DEFAULT_UDF_SPECS, makeUdfDefinition } from '../../../../src/emulator/metadata/udf-definitions.js';
import { DEFAULT_KEYS, keyValuesOfMappedRecord, recordKey } from '../../../../src/sync/keys/index.js';
import {
  FieldMappingsSpec,
  compileMapping,
  mapRecord,
  type EntityMetadata,
} from '../../../../src/sync/mapping/index.js';

const examples = fileURLToPath(new URL('../../../../examples/', import.meta.url));
const config = parseYaml(readFileSync(`${examples}sync.config.yaml`, 'utf8')) as {
  syncs: {
    name: string;
    object: WritableObject;
    source: { path: string };
    fields: unknown;
    mode?: 'upsert';
  }[];
};
const schemas = createEntitySchemas();

function metadataOf(entity: EntityName): EntityMetadata {
  return { fields: schemas[entity].fields, udfs: DEFAULT_UDF_SPECS[entity].map(makeUdfDefinition) };
}

describe('examples/sync.config.yaml against the emulator metadata', () => {
  it.each(config.syncs.map((s) => [s.name, s] as const))(
    '%s compiles and maps every example row',
    (_name, sync) => {
      const fields = FieldMappingsSpec.parse(sync.fields);
      const result = compileMapping(sync.object, fields, metadataOf(OBJECT_ENTITIES[sync.object]), {
        mode: sync.mode ?? 'upsert',
        path: `syncs[${config.syncs.indexOf(sync)}]`,
      });
      expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
      if (!result.ok) return;
      const rows = parseCsv<Record<string, string>>(readFileSync(`${examples}${sync.source.path}`), {
        columns: true,
        bom: true,
      });
      expect(rows.length).toBeGreaterThan(0);
      const keys = new Set<string>();
      for (const row of rows) {
        const mapped = mapRecord(result.mapping, row);
        expect(mapped.issues, JSON.stringify(row)).toEqual([]);
        expect(mapped.createIssues, JSON.stringify(row)).toEqual([]);
        // Keys: every example row has one, and they are distinct (refs resolve to distinct fake ids here).
        const refIds = Object.fromEntries(Object.keys(mapped.refs).map((f, i) => [f, 1000 + i]));
        const k = recordKey(DEFAULT_KEYS[sync.object], keyValuesOfMappedRecord(mapped, refIds));
        expect(k.ok, JSON.stringify(row)).toBe(true);
        if (k.ok && sync.object !== 'Opportunity') keys.add(k.key);
      }
      if (sync.object !== 'Opportunity') expect(keys.size).toBe(rows.length);
    },
  );
});
