/**
 * Types of a loaded configuration. They are the schema's output with aliases resolved (`Account` →
 * `Company`), every relative path made absolute against the configuration file's folder, and `${VAR}`
 * references expanded.
 */
import type { z } from 'zod';

import type { TwoWaySpec } from '../sync/two-way/two-way-spec.js';
import type { ExportableObject, WritableObject } from './objects.js';
import type {
  autotaskSettingsSchema,
  configSchema,
  destinationSpecSchema,
  exportSpecSchema,
  sourceSpecSchema,
  syncSpecSchema,
} from './schema.js';

/** The configuration file as written (before defaults), e.g. for `init` to produce. */
export type ConfigInput = z.input<typeof configSchema>;

/** `autotask:` after defaults. Credentials here are only those written in the file. */
export type AutotaskSettings = z.output<typeof autotaskSettingsSchema>;

/** `syncs[].source` (paths absolute). */
export type SourceSpec = z.output<typeof sourceSpecSchema>;
export type CsvSourceSpec = Extract<SourceSpec, { type: 'csv' }>;
export type JsonlSourceSpec = Extract<SourceSpec, { type: 'jsonl' }>;
export type SqliteSourceSpec = Extract<SourceSpec, { type: 'sqlite' }>;
export type PostgresSourceSpec = Extract<SourceSpec, { type: 'postgres' }>;

/** `exports[].destination` (paths absolute). */
export type DestinationSpec = z.output<typeof destinationSpecSchema>;

/** One entry of `syncs:`, with its object's canonical name. */
export type SyncSpec = Omit<z.output<typeof syncSpecSchema>, 'object'> & { object: WritableObject };

/** One entry of `exports:`, with its object's canonical name. */
export type ExportSpec = Omit<z.output<typeof exportSpecSchema>, 'object'> & { object: ExportableObject };

/** A loaded, validated configuration. */
export type SyncConfig = Omit<z.output<typeof configSchema>, 'syncs' | 'exports' | 'twoWay'> & {
  syncs: SyncSpec[];
  exports: ExportSpec[];
  /** Two-way syncs (SQL table ↔ Autotask), objects canonical and SQLite paths absolute. */
  twoWay: TwoWaySpec[];
  /** Absolute path of the configuration file. */
  file: string;
  /** Its folder, against which relative paths were resolved. */
  dir: string;
};

/** Something the user should know that did not stop loading (e.g. a secret written inline). */
export interface ConfigWarning {
  /** Stable code, e.g. `INLINE_SECRET`. */
  code: string;
  /** Path of the setting, e.g. `autotask.token`. */
  path: string;
  message: string;
  /** 1-based position in the YAML file, when known. */
  line?: number;
  column?: number;
}

/** One problem found in a configuration; `ConfigError.issues` holds these. */
export interface ConfigIssue {
  /** Path of the setting, e.g. `syncs[1].fields.companyType.default`. */
  path: string;
  /** What is wrong and how to fix it (ends with the YAML position when known). */
  message: string;
  /** 1-based position in the YAML file, when known. */
  line?: number;
  column?: number;
}
