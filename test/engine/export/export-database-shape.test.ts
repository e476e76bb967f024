/**
 * What a user exporting to a database expects: typed columns (timestamps, numbers, booleans), a key on
 * id, new UDFs appearing as columns without a full export, and a clear error when an existing table
 * cannot hold the values. Real SQLite files and the real PostgreSQL server (`TEST_POSTGRES_URL`).
 */
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { ExportSpec } from '../../../src/config/types.js';
import { makeUdfDefinition } from '../../../src/emulator/metadata/udf-definitions.js';
import { runExport } from '../../../src/sync/export/index.js';
import { exportDeletionsSchema } from '../../../src/sync/export/deletions-spec.js';
import { exportHarness, type ExportHarness } from './export-harness.js';

let h: ExportHarness;
beforeEach(() => {
  h = exportHarness({ records: 40 });
});
afterEach(() => h.cleanup());

/** An incremental export of every company to the `companies` table of the SQLite file at `path`. */
function companiesMirror(path: string): ExportSpec {
  return {
    name: 'companies-db',
    object: 'Company',
    incremental: true,
    destination: { type: 'sqlite', path, table: 'companies' },
  };
}

/** A new UDF defined in Autotask, with a value on one existing company that is not otherwise changed. */
function addRegionUdf(): number {
  h.emulator.tenant.udfDefinitions.Companies.push(
    makeUdfDefinition({ name: 'Region Code', type: 'integer' }),
  );
  const table = h.emulator.tenant.tables.Companies;
  const record = [...table.scan()][3]!;
  table.replace({ ...record, udfs: { ...record.udfs, 'Region Code': '42' } });
  h.clock.advance(25 * 3_600_000); // the metadata cache (24 h) lets the new UDF through
  return record.id;
}

describe('SQLite mirror', () => {
  it('gains a column for a new UDF without a full read, filled for the records that hold a value', async () => {
    const path = join(h.dir, 'mirror.sqlite');
    const spec = companiesMirror(path);
    const first = await runExport(spec, h.runOptions());
    const id = addRegionUdf();

    const next = await runExport(spec, h.runOptions());
    expect(next).toMatchObject({
      mode: 'incremental',
      fullReason: undefined,
      addedColumns: ['udf_Region Code'],
    });
    expect(next.written).toBe(1); // only the record holding a value, read by one UDF query
    // fields + UDF metadata (cache expired), the incremental query, one query for the new UDF
    expect(next.apiCalls).toBe(4);
    const db = new Database(path, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) AS n FROM companies').get()).toEqual({ n: first.written });
      expect(db.prepare('SELECT "udf_Region Code" AS v FROM companies WHERE id = ?').get(id)).toEqual({
        v: 42,
      });
      expect(
        db.prepare('SELECT count(*) AS n FROM companies WHERE "udf_Region Code" IS NOT NULL').get(),
      ).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  });

  it('rewrites the label of a relabelled picklist value, reading only the records that hold it', async () => {
    const path = join(h.dir, 'mirror.sqlite');
    const spec = companiesMirror(path);
    const table = h.emulator.tenant.tables.Companies;
    const record = [...table.scan()][2]!;
    table.replace({ ...record, udfs: { ...record.udfs, 'Lead Source': '2' } });
    await runExport(spec, h.runOptions());
    const label = (): unknown => {
      const db = new Database(path, { readonly: true });
      try {
        return (
          db.prepare('SELECT "udf_Lead Source_label" AS l FROM companies WHERE id = ?').get(record.id) as {
            l: unknown;
          }
        ).l;
      } finally {
        db.close();
      }
    };
    expect(label()).toBe('Referral');

    const leadSource = h.emulator.tenant.udfDefinitions.Companies.find((u) => u.name === 'Lead Source')!;
    leadSource.picklistValues = leadSource.picklistValues!.map((v) =>
      v.value === '2' ? { ...v, label: 'Partner referral' } : v,
    );
    h.clock.advance(25 * 3_600_000);
    const next = await runExport(spec, h.runOptions());
    expect(next).toMatchObject({ mode: 'incremental', written: 1 });
    // fields + UDF metadata (expired cache), the incremental query, one `in` query for the relabelled value
    expect(next.apiCalls).toBe(4);
    expect(label()).toBe('Partner referral');
  });

  it('reads everything again when the new UDF cannot be queried on its own', async () => {
    const spec = companiesMirror(join(h.dir, 'mirror.sqlite'));
    const first = await runExport(spec, h.runOptions());
    h.emulator.tenant.udfDefinitions.Companies.push(
      makeUdfDefinition({ name: 'Hidden Score', type: 'integer', isQueryable: false }),
    );
    h.clock.advance(25 * 3_600_000);
    const next = await runExport(spec, h.runOptions());
    expect(next).toMatchObject({
      mode: 'full',
      fullReason: 'the fields in Autotask changed since the last export',
      written: first.written,
      addedColumns: [],
    });
  });

  it('stores datetimes as UTC ISO text with Z, booleans as 0/1, numbers as numbers, keyed by id', async () => {
    const path = join(h.dir, 'mirror.sqlite');
    await runExport(
      {
        name: 'companies-db',
        object: 'Company',
        incremental: false,
        destination: { type: 'sqlite', path, table: 'companies' },
      },
      h.runOptions(),
    );
    const db = new Database(path, { readonly: true });
    try {
      const columns = db.prepare(`SELECT name, type, pk FROM pragma_table_info('companies')`).all() as {
        name: string;
        type: string;
        pk: number;
      }[];
      const typeOf = (n: string): string | undefined => columns.find((c) => c.name === n)?.type;
      expect(columns.find((c) => c.pk === 1)?.name).toBe('id');
      expect([typeOf('createDate'), typeOf('isActive'), typeOf('udf_Discount')]).toEqual([
        'TEXT',
        'INTEGER',
        'REAL',
      ]);
      const row = db.prepare('SELECT createDate, isActive, typeof(id) AS t FROM companies LIMIT 1').get() as {
        createDate: string;
        isActive: number;
        t: string;
      };
      expect(row.createDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect([0, 1]).toContain(row.isActive);
      expect(row.t).toBe('integer');
    } finally {
      db.close();
    }
  });
});

const url = process.env['TEST_POSTGRES_URL'];
describe.skipIf(!url)('PostgreSQL mirror', () => {
  let admin: pg.Client;
  let schema: string;
  beforeEach(async () => {
    schema = `export_shape_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
  });
  afterEach(async () => {
    await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
    await admin.end();
  });
  const pgSpec = (extra: Partial<ExportSpec> = {}): ExportSpec => ({
    name: 'companies-pg',
    object: 'Company',
    incremental: true,
    destination: { type: 'postgres', url: url!, table: `${schema}.companies` },
    ...extra,
  });

  it('types the columns (timestamptz, bigint, numeric, boolean, text) with a primary key on id', async () => {
    const first = await runExport(pgSpec(), h.runOptions());
    const types = new Map(
      (
        await admin.query<{ column_name: string; data_type: string }>(
          `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'companies'`,
          [schema],
        )
      ).rows.map((r) => [r.column_name, r.data_type]),
    );
    expect(
      Object.fromEntries(
        [
          'id',
          'createDate',
          'isActive',
          'udf_Discount',
          'udf_Lead Source',
          'companyType_label',
          'companyName',
        ].map((c) => [c, types.get(c)]),
      ),
    ).toEqual({
      id: 'bigint',
      createDate: 'timestamp with time zone',
      isActive: 'boolean',
      udf_Discount: 'numeric',
      'udf_Lead Source': 'bigint',
      companyType_label: 'text',
      companyName: 'text',
    });
    const pk = await admin.query<{ col: string }>(
      `SELECT a.attname AS col FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE i.indrelid = $1::regclass AND i.indisprimary`,
      [`"${schema}".companies`],
    );
    expect(pk.rows).toEqual([{ col: 'id' }]);
    const discounted = await admin.query<{ n: string }>(
      `SELECT count(*) AS n FROM "${schema}".companies WHERE "udf_Discount" IS NOT NULL AND "udf_Discount" >= 0`,
    );
    expect(Number(discounted.rows[0]!.n)).toBeGreaterThanOrEqual(0);
    const recent = await admin.query<{ n: string }>(
      `SELECT count(*) AS n FROM "${schema}".companies WHERE "createDate" < now() AND "isActive" IN (true, false)`,
    );
    expect(Number(recent.rows[0]!.n)).toBe(first.written);
  });

  it('refuses an existing table whose column types cannot hold the values, saying which and how to fix it', async () => {
    await admin.query(
      `CREATE TABLE "${schema}".companies (id bigint PRIMARY KEY, "createDate" integer, "isActive" date)`,
    );
    await expect(runExport(pgSpec(), h.runOptions())).rejects.toThrow(
      /"createDate" is integer \(needs timestamp with time zone or text\); "isActive" is date \(needs boolean or text\)\. Change the column types/,
    );
    const columns = await admin.query(
      `SELECT count(*)::int AS n FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'companies'`,
      [schema],
    );
    expect(columns.rows[0]).toEqual({ n: 3 }); // rolled back: no column added
  });

  it('uses an existing table keyed by a text id, and prunes it', async () => {
    await admin.query(
      `CREATE TABLE "${schema}".companies (id text PRIMARY KEY, "companyName" varchar(200), note text)`,
    );
    const spec = pgSpec({ deletions: exportDeletionsSchema.parse({ every: 0 }) });
    const first = await runExport(spec, h.runOptions());
    const table = h.emulator.tenant.tables.Companies;
    const goneId = [...table.scan()].at(-1)!.id;
    table.delete(goneId);
    const pruned = await runExport(spec, h.runOptions({ prune: true }));
    expect(pruned.deletions).toMatchObject({ status: 'applied', removed: 1 });
    const left = await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".companies`);
    expect(left.rows[0]!.n).toBe(first.written - 1);
  });

  it('says how to fix a missing schema or an unreachable server, never showing the password', async () => {
    const withPassword = new URL(url!);
    withPassword.password = 'pw-never-shown-77';
    const missing = pgSpec({
      destination: { type: 'postgres', url: withPassword.toString(), table: `${schema}_absent.companies` },
    });
    await expect(runExport(missing, h.runOptions())).rejects.toThrow(
      `schema "${schema}_absent" does not exist: create it first (CREATE SCHEMA "${schema}_absent")`,
    );
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const refused = new URL(withPassword);
    refused.port = String(closed);
    const error = await runExport(
      pgSpec({ destination: { type: 'postgres', url: refused.toString(), table: 'companies' } }),
      h.runOptions(),
    ).catch((e: unknown) => e as Error);
    expect((error as Error).message).toMatch(/ECONNREFUSED.*is PostgreSQL running there/);
    expect((error as Error).message).not.toContain('pw-never-shown-77');
  });

  it('refuses an existing table whose id is not unique before writing anything', async () => {
    await admin.query(`CREATE TABLE "${schema}".companies (id bigint, "companyName" text)`);
    await expect(runExport(pgSpec(), h.runOptions())).rejects.toThrow(
      /"id" column is not unique: the export upserts by it/,
    );
  });

  it('removes or flags deleted companies, and adds new UDF columns, without a full read', async () => {
    const flagged = pgSpec({
      name: 'flagged',
      deletions: exportDeletionsSchema.parse({ action: 'flag', every: 1 }),
    });
    const removed: ExportSpec = {
      ...pgSpec({ name: 'removed', deletions: exportDeletionsSchema.parse({ every: 1 }) }),
      destination: { type: 'postgres', url: url!, table: `${schema}.companies_removed` },
    };
    const first = await runExport(flagged, h.runOptions());
    await runExport(removed, h.runOptions());
    const table = h.emulator.tenant.tables.Companies;
    const goneId = [...table.scan()].at(-1)!.id;
    table.delete(goneId); // Companies are deleted (or merged) in the UI, never through the API
    const id = addRegionUdf();

    const a = await runExport(flagged, h.runOptions());
    const b = await runExport(removed, h.runOptions());
    for (const r of [a, b]) {
      expect(r).toMatchObject({ mode: 'incremental', addedColumns: ['udf_Region Code'] });
      expect(r.deletions).toMatchObject({
        trigger: 'scheduled',
        status: 'applied',
        present: first.written - 1,
      });
    }
    expect(a.deletions).toMatchObject({ action: 'flag', flagged: 1 });
    expect(b.deletions).toMatchObject({ action: 'delete', removed: 1 });
    const flag = await admin.query(`SELECT deleted_at FROM "${schema}".companies WHERE id = $1`, [goneId]);
    expect(flag.rows[0]!['deleted_at']).toEqual(new Date(h.clock.now()));
    expect(
      (await admin.query(`SELECT 1 FROM "${schema}".companies_removed WHERE id = $1`, [goneId])).rowCount,
    ).toBe(0);
    const udf = await admin.query(
      `SELECT "udf_Region Code"::int AS v FROM "${schema}".companies_removed WHERE id = $1`,
      [id],
    );
    expect(udf.rows).toEqual([{ v: 42 }]);
  });
});
