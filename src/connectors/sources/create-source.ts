/**
 * Opens the source a configuration describes (`syncs[].source` of a loaded config, paths already
 * absolute; the config's `SourceSpec` fits `SourceSettings`).
 */
import type { Source, SourceOptions } from '../source.js';
import { createCsvSource, type CsvSourceSettings } from './csv/csv-source.js';
import { createJsonlSource, type JsonlSourceSettings } from './jsonl/jsonl-source.js';
import { createPostgresSource, type PostgresSourceSettings } from './postgres/postgres-source.js';
import { createSqliteSource, type SqliteSourceSettings } from './sqlite/sqlite-source.js';

/** Settings of any source, tagged with its `type`. */
export type SourceSettings =
  | ({ type: 'csv' } & CsvSourceSettings)
  | ({ type: 'jsonl' } & JsonlSourceSettings)
  | ({ type: 'sqlite' } & SqliteSourceSettings)
  | ({ type: 'postgres' } & PostgresSourceSettings);

export function createSource(spec: SourceSettings, options: SourceOptions = {}): Source {
  switch (spec.type) {
    case 'csv':
      return createCsvSource(spec, options);
    case 'jsonl':
      return createJsonlSource(spec, options);
    case 'sqlite':
      return createSqliteSource(spec, options);
    case 'postgres':
      return createPostgresSource(spec, options);
  }
}
