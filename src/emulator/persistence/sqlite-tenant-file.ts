/**
 * A tenant kept in a SQLite file (better-sqlite3, WAL), so that a demo tenant survives restarts.
 * Layout: one table per entity (`records_companies(id INTEGER PRIMARY KEY, data TEXT)` where data is
 * `{"values":{...},"udfs":{...}}`) and a `meta` table holding the format version, the UDF definitions,
 * the API users (names and resource ids only: secrets are never written) and the id sequences (so that
 * ids of deleted records are never handed out again).
 *
 * The tenant is loaded into memory at start; every insert/replace/delete and every id handed out is
 * written through at once, so a crash loses nothing acknowledged.
 */
import Database from 'better-sqlite3';

import { ENTITY_NAMES, type EntityName, type UserDefinedFieldInformation } from '../../autotask/types.js';
import { AppError } from '../../shared/errors.js';
import type { ApiUser, StoredRecord, Tenant } from '../contracts.js';
import { createEntityTable, createTenant, type InMemoryEntityTable } from '../store/index.js';

const FORMAT = 1;

/** The data file cannot be opened or does not hold an emulator tenant. */
export class EmulatorDataFileError extends AppError {
  constructor(message: string, file: string, cause?: unknown) {
    super('EMULATOR_DATA_FILE', message, { cause, details: { file } });
  }
}

export interface TenantFile {
  tenant: Tenant;
  /** True when the file was created (and seeded) by this call. */
  created: boolean;
  close(): void;
}

type Db = Database.Database;

function tableName(entity: EntityName): string {
  return `records_${entity.toLowerCase()}`;
}

function createSchema(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
  for (const entity of ENTITY_NAMES) {
    db.exec(`CREATE TABLE IF NOT EXISTS ${tableName(entity)} (id INTEGER PRIMARY KEY, data TEXT NOT NULL)`);
  }
}

function readMeta<T>(db: Db, key: string): T | undefined {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as T) : undefined;
}

function writeMeta(db: Db, key: string, value: unknown): void {
  db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(key, JSON.stringify(value));
}

function encode(record: StoredRecord): string {
  return JSON.stringify({ values: record.values, udfs: record.udfs });
}

/** Saves a whole tenant into an empty file. */
function saveAll(db: Db, tenant: Tenant, sequences: Record<EntityName, number>): void {
  db.transaction(() => {
    for (const entity of ENTITY_NAMES) {
      const insert = db.prepare(`INSERT INTO ${tableName(entity)} (id, data) VALUES (?, ?)`);
      for (const record of tenant.tables[entity].scan()) insert.run(record.id, encode(record));
    }
    writeMeta(db, 'udfDefinitions', tenant.udfDefinitions);
    writeMeta(
      db,
      'apiUsers',
      tenant.apiUsers.map((u) => ({ userName: u.userName, resourceId: u.resourceId })),
    );
    writeMeta(db, 'sequences', sequences);
    writeMeta(db, 'format', FORMAT);
  })();
}

function loadTenant(
  db: Db,
  credentials: Omit<ApiUser, 'resourceId' | 'userName'> & { userName?: string },
): {
  tenant: Tenant;
  sequences: Record<EntityName, number>;
} {
  const udfDefinitions = readMeta<Record<EntityName, UserDefinedFieldInformation[]>>(db, 'udfDefinitions');
  const users = readMeta<{ userName: string; resourceId: number }[]>(db, 'apiUsers') ?? [];
  const sequences = readMeta<Record<EntityName, number>>(db, 'sequences');
  if (!udfDefinitions || !sequences) throw new Error('meta rows are missing');
  const tables = {} as Record<EntityName, InMemoryEntityTable>;
  for (const entity of ENTITY_NAMES) {
    const table = createEntityTable(entity);
    const rows = db.prepare(`SELECT id, data FROM ${tableName(entity)} ORDER BY id`).iterate() as Iterable<{
      id: number;
      data: string;
    }>;
    for (const row of rows) {
      const parsed = JSON.parse(row.data) as Pick<StoredRecord, 'values' | 'udfs'>;
      table.insert({ id: row.id, values: parsed.values, udfs: parsed.udfs });
    }
    tables[entity] = table;
  }
  // Secrets are not stored: the first API user takes the credentials given now.
  const apiUsers: ApiUser[] = users.slice(0, 1).map((u) => ({
    userName: credentials.userName ?? u.userName,
    secret: credentials.secret,
    integrationCode: credentials.integrationCode,
    resourceId: u.resourceId,
  }));
  const tenant = createTenant({ udfDefinitions, apiUsers, tables, firstIds: sequences });
  return { tenant, sequences };
}

/** Makes every change to the tenant's tables and id sequences write through to the file. */
function writeThrough(db: Db, tenant: Tenant, sequences: Record<EntityName, number>): void {
  for (const entity of ENTITY_NAMES) {
    const table = tenant.tables[entity];
    const upsert = db.prepare(
      `INSERT INTO ${tableName(entity)} (id, data) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET data = excluded.data`,
    );
    const remove = db.prepare(`DELETE FROM ${tableName(entity)} WHERE id = ?`);
    const insert = table.insert.bind(table);
    const replace = table.replace.bind(table);
    const del = table.delete.bind(table);
    table.insert = (record) => {
      insert(record);
      upsert.run(record.id, encode(record));
    };
    table.replace = (record) => {
      replace(record);
      upsert.run(record.id, encode(record));
    };
    table.delete = (id) => {
      const deleted = del(id);
      if (deleted) remove.run(id);
      return deleted;
    };
  }
  const nextId = tenant.nextId.bind(tenant);
  tenant.nextId = (entity) => {
    const id = nextId(entity);
    sequences[entity] = Math.max(sequences[entity], id + 1);
    writeMeta(db, 'sequences', sequences);
    return id;
  };
}

/**
 * Where a freshly seeded tenant's id sequences stand. Each sequence is probed by taking one id, which
 * is then never used (ids only need to increase, not to be contiguous).
 */
function sequencesOf(tenant: Tenant): Record<EntityName, number> {
  const out = {} as Record<EntityName, number>;
  for (const entity of ENTITY_NAMES) out[entity] = tenant.nextId(entity) + 1;
  return out;
}

/**
 * Opens (or creates) the tenant file `file`. A new file is filled from `seed()`; an existing one is
 * loaded, its API user taking `credentials`.
 */
export function openTenantFile(
  file: string,
  seed: () => Tenant,
  credentials: { userName?: string; secret: string; integrationCode: string },
): TenantFile {
  let db: Db;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    createSchema(db);
  } catch (error) {
    throw new EmulatorDataFileError(
      `Cannot open the emulator data file ${file}: ${error instanceof Error ? error.message : String(error)}. Check the path and its permissions, or remove --data to run in memory.`,
      file,
      error,
    );
  }
  try {
    const format = readMeta<number>(db, 'format');
    let tenant: Tenant;
    let sequences: Record<EntityName, number>;
    let created = false;
    if (format === undefined) {
      tenant = seed();
      sequences = sequencesOf(tenant);
      saveAll(db, tenant, sequences);
      created = true;
    } else if (format === FORMAT) {
      ({ tenant, sequences } = loadTenant(db, credentials));
    } else {
      throw new Error(`unsupported format ${String(format)} (this emulator reads format ${FORMAT})`);
    }
    writeThrough(db, tenant, sequences);
    return { tenant, created, close: () => db.close() };
  } catch (error) {
    db.close();
    if (error instanceof EmulatorDataFileError) throw error;
    throw new EmulatorDataFileError(
      `The emulator data file ${file} could not be read: ${error instanceof Error ? error.message : String(error)}. Remove it to start from a fresh seed.`,
      file,
      error,
    );
  }
}
