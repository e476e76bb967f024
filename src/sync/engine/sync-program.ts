/**
 * A sync, compiled against live metadata: its mapping (src/sync/mapping), row filter, dedupe key
 * (src/sync/keys) and write mode, ready to apply to every source record.
 */
import type { WritableObject } from '../../config/objects.js';
import type { KeyDefinition } from '../keys/key-definitions.js';
import type { Direction, RefEntity } from '../mapping/field-mapping-spec.js';
import { keyDefinition } from '../keys/key-definitions.js';
import { compileMapping } from '../mapping/compile-mapping.js';
import { mapRecord } from '../mapping/map-record.js';
import { compileRowFilter } from '../mapping/row-filter.js';
import type { CompiledMapping, EntityMetadata, MappedRecord, MappingFinding } from '../mapping/types.js';
import { keyKindOf, type KeyKind } from './key-kinds.js';
import { OBJECT_MODELS, type ObjectModel } from './object-model.js';
import type { EngineSyncConfig } from './ports.js';

/** Entities a sync writes. */
export type WritableEntity = 'Companies' | 'Contacts' | 'Opportunities';

export interface SyncProgram {
  readonly spec: EngineSyncConfig;
  readonly name: string;
  readonly object: WritableObject;
  readonly entity: WritableEntity;
  readonly model: ObjectModel;
  readonly mode: 'create' | 'update' | 'upsert';
  readonly keyDef: KeyDefinition;
  readonly keyKind: KeyKind;
  /** Fields the key pass reads: the key's, plus the company name / email other syncs reference. */
  readonly keyPassFields: readonly string[];
  readonly mapping: CompiledMapping;
  /** Autotask fields (and `udf:Name`) this sync writes. */
  readonly targets: readonly string[];
  /** System of record per target (`source` when absent). */
  readonly directions: Readonly<Record<string, Direction>>;
  /** Objects its references point at. */
  readonly refEntities: ReadonlySet<RefEntity>;
  /** The `where` filter: false → the row is left out. */
  accepts(values: Readonly<Record<string, unknown>>): boolean;
  /** Maps one source row (see src/sync/mapping `mapRecord`). */
  map(values: Readonly<Record<string, unknown>>): MappedRecord;
}

export type CompileSyncResult =
  | { readonly ok: true; readonly program: SyncProgram }
  | { readonly ok: false; readonly findings: readonly MappingFinding[] };

/**
 * Compiles sync number `index` of the configuration against its entity's live metadata, or returns
 * the findings (each with its config path and fix) that stop it from running.
 */
export function compileSyncProgram(
  sync: EngineSyncConfig,
  index: number,
  metadata: EntityMetadata,
): CompileSyncResult {
  const model = OBJECT_MODELS[sync.object];
  const mode = sync.mode ?? 'upsert';
  const compiled = compileMapping(sync.object, sync.fields, metadata, {
    mode,
    path: `syncs[${index}]`,
    ...(sync.key === undefined ? {} : { key: sync.key }),
  });
  if (!compiled.ok) return { ok: false, findings: compiled.findings };
  const mapping = compiled.mapping;
  const keyDef = keyDefinition(sync.object, sync.key, metadata.fields);
  const keyKind = keyKindOf(keyDef);
  const directions: Record<string, Direction> = {};
  const refEntities = new Set<RefEntity>();
  for (const f of mapping.fields) {
    directions[f.target] = f.direction;
    if (f.ref !== undefined) refEntities.add(f.ref);
  }
  const filter = compileRowFilter(sync.where);
  return {
    ok: true,
    program: {
      spec: sync,
      name: sync.name,
      object: sync.object,
      entity: model.entity as WritableEntity,
      model,
      mode,
      keyDef,
      keyKind,
      keyPassFields: [
        ...new Set([
          ...keyKind.fields,
          ...(sync.object === 'Company'
            ? ['companyName']
            : sync.object === 'Contact'
              ? ['emailAddress']
              : []),
        ]),
      ],
      mapping,
      targets: mapping.fields.map((f) => f.target),
      directions,
      refEntities,
      accepts: filter,
      map: (values) => mapRecord(mapping, values),
    },
  };
}
