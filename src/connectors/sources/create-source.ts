/**
 * Opens the source a configuration describes (`syncs[].source`, paths already absolute).
 */
import type { SourceSpec } from '../../config/types.js';
import type { Source, SourceOptions } from '../source.js';
import { createCsvSource } from './csv/csv-source.js';
import { createJsonlSource } from './jsonl/jsonl-source.js';
import { createPostgresSource } from './postgres/postgres-source.js';
import { createSqliteSource } from './sqlite/sqlite-source.js';

export function createSource(spec: SourceSpec, options: SourceOptions = {}): Source {
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
