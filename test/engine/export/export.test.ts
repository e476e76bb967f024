import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { ExportSpec } from '../../../src/config/types.js';
import { CsvSink, type Sink } from '../../../src/connectors/sinks/index.js';
import { exportBookmarkName, runExport, runExports } from '../../../src/sync/export/index.js';
import { exportHarness, SECRETS, type ExportHarness } from './export-harness.js';

let h: ExportHarness;
beforeEach(() => {
  h = exportHarness();
});
afterEach(() => h.cleanup());

function readCsv(path: string): Record<string, string>[] {
  return parse<Record<string, string>>(readFileSync(path), { columns: true });
}

type CsvExport = ExportSpec & { destination: { type: 'csv'; path: string; delimiter: string } };

function csvExport(name: string, object: ExportSpec['object'], incremental = true): CsvExport {
  return {
    name,
    object,
    incremental,
    destination: { type: 'csv', path: join(h.dir, `${name}.csv`), delimiter: ',' },
  };
}

async function countAll(entity: 'Companies' | 'Contacts' | 'Opportunities' | 'Resources'): Promise<number> {
  let n = 0;
  for await (const _ of h
    .newClient()
    .entity(entity)
    .query([{ op: 'gte', field: 'id', value: 0 }]))
    n += 1;
  return n;
}

describe('full export', () => {
  it('writes every company with picklist labels beside values and UDFs as columns', async () => {
    const spec = csvExport('companies', 'Company', false);
    const result = await runExport(spec, { client: h.newClient(), store: h.store });
    const rows = readCsv(spec.destination.path);
    expect(result).toMatchObject({
      mode: 'full',
      entity: 'Companies',
      read: rows.length,
      written: rows.length,
      skipped: 0,
    });
    expect(rows.length).toBe(await countAll('Companies'));
    const header = Object.keys(rows[0]!);
    expect(header[0]).toBe('id');
    expect(header.indexOf('companyType_label')).toBe(header.indexOf('companyType') + 1);
    expect(header).toEqual(
      expect.arrayContaining(['udf_CRM ID', 'udf_Lead Source', 'udf_Lead Source_label', 'udf_Discount']),
    );
    const fields = await h.newClient().metadata.fields('Companies');
    const picklist = fields.find((f) => f.name === 'companyType')!.picklistValues!;
    for (const row of rows) {
      expect(row['companyType_label']).toBe(
        picklist.find((p) => p.value === row['companyType'])?.label ?? '',
      );
    }
    expect(rows.some((r) => r['udf_CRM ID'] !== '')).toBe(true);
  });

  it('exports contacts, opportunities and resources', async () => {
    const summary = await runExports(
      [csvExport('contacts', 'Contact'), csvExport('opps', 'Opportunity'), csvExport('people', 'Resource')],
      { client: h.newClient(), store: h.store },
    );
    expect(summary.status).toBe('succeeded');
    expect(summary.exports.map((e) => [e.entity, e.written])).toEqual([
      ['Contacts', await countAll('Contacts')],
      ['Opportunities', await countAll('Opportunities')],
      ['Resources', await countAll('Resources')],
    ]);
    expect(Object.keys(readCsv(join(h.dir, 'opps.csv'))[0]!)).toEqual(
      expect.arrayContaining(['stage_label', 'status_label', 'udf_Forecast Category_label']),
    );
    const run = h.store.getRun(summary.runId)!;
    expect(run).toMatchObject({ mode: 'export', status: 'succeeded', apiCalls: summary.apiCalls });
    expect(run.counters['written']).toBe(summary.exports.reduce((n, e) => n + e.written, 0));
  });

  it('streams page by page: a large tenant is written in pages of at most 500', async () => {
    await h.cleanup();
    h = exportHarness({ records: 1200 });
    const pages: number[] = [];
    const spec = csvExport('big', 'Company', false);
    const sinkFactory = (): Sink => {
      const sink = new CsvSink({ path: spec.destination.path });
      const write = sink.write.bind(sink);
      sink.write = (rows) => {
        pages.push(rows.length);
        return write(rows);
      };
      return sink;
    };
    const result = await runExport(spec, { client: h.newClient(), store: h.store, sinkFactory });
    expect(result.written).toBe(await countAll('Companies'));
    expect(result.written).toBeGreaterThan(1200);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...pages)).toBeLessThanOrEqual(500);
  });
});

describe('incremental export', () => {
  it('first reads everything, then only what changed, never twice, at the cost of one query', async () => {
    const spec: ExportSpec = {
      name: 'companies-db',
      object: 'Company',
      incremental: true,
      destination: { type: 'sqlite', path: join(h.dir, 'out.sqlite'), table: 'companies' },
    };
    const first = await runExport(spec, { client: h.newClient(), store: h.store });
    expect(first).toMatchObject({ mode: 'full', fullReason: 'first export (no bookmark yet)' });
    const total = first.written;

    // nothing changed: an incremental read, the overlap window's records are not written again
    h.clock.advance(60_000);
    const quiet = await runExport(spec, { client: h.newClient(), store: h.store });
    expect(quiet).toMatchObject({ mode: 'incremental', written: 0 });
    expect(quiet.apiCalls).toBe(1); // metadata comes from the state store's cache

    // someone edits one company and creates another in Autotask
    h.clock.advance(3_600_000);
    const client = h.newClient();
    const [target] = (await client.companies.queryPage([{ op: 'gte', field: 'id', value: 1 }])).items;
    await client.companies.update({ id: target!.id, phone: '+1 555 0199 000' });
    const newId = await client.companies.create({
      companyName: 'Brand New Ltd',
      companyType: 1,
      ownerResourceID: target!['ownerResourceID'],
      phone: '1',
    });

    h.clock.advance(60_000);
    const delta = await runExport(spec, { client: h.newClient(), store: h.store });
    expect(delta).toMatchObject({ mode: 'incremental', written: 2 });
    expect(delta.read - delta.skipped).toBe(2); // the rest sat in the overlap window, already exported

    const db = new Database(spec.destination.type === 'sqlite' ? spec.destination.path : '', {
      readonly: true,
    });
    expect((db.prepare('SELECT count(*) AS n FROM companies').get() as { n: number }).n).toBe(total + 1);
    expect(db.prepare('SELECT phone FROM companies WHERE id = ?').get(target!.id)).toEqual({
      phone: '+1 555 0199 000',
    });
    expect(
      db.prepare('SELECT companyName, companyType_label FROM companies WHERE id = ?').get(newId),
    ).toMatchObject({ companyName: 'Brand New Ltd' });
    db.close();

    // and again nothing: the two changes sit in the overlap window but are not exported twice
    const after = await runExport(spec, { client: h.newClient(), store: h.store });
    expect(after).toMatchObject({ mode: 'incremental', written: 0, skipped: 2 });
  });

  it('appends changed contacts to a CSV file and re-reads resources whole', async () => {
    const contacts = csvExport('contacts', 'Contact');
    const people = csvExport('people', 'Resource');
    await runExports([contacts, people], { client: h.newClient(), store: h.store });
    const before = readCsv(contacts.destination.path).length;

    h.clock.advance(3_600_000);
    const client = h.newClient();
    const [c] = (await client.contacts.queryPage([{ op: 'gte', field: 'id', value: 0 }])).items;
    await client.contacts.update({
      id: c!.id,
      companyID: c!['companyID'] as number,
      title: '=Chief Formula Officer',
    });

    const summary = await runExports([contacts, people], { client: h.newClient(), store: h.store });
    const [contactResult, peopleResult] = summary.exports;
    expect(contactResult).toMatchObject({ mode: 'incremental', written: 1 });
    expect(peopleResult).toMatchObject({ mode: 'full', written: await countAll('Resources') });
    expect(peopleResult!.fullReason).toMatch(/no change timestamp/);
    const rows = readCsv(contacts.destination.path);
    expect(rows).toHaveLength(before + 1);
    expect(rows.at(-1)).toMatchObject({ id: String(c!.id), title: "'=Chief Formula Officer" });
  });

  it('--full rewrites the destination; a new destination or missing file also forces a full export', async () => {
    const spec = csvExport('opps', 'Opportunity');
    await runExport(spec, { client: h.newClient(), store: h.store });
    const all = readCsv(spec.destination.path).length;
    expect(await runExport(spec, { client: h.newClient(), store: h.store, full: true })).toMatchObject({
      mode: 'full',
      fullReason: 'full export requested',
      written: all,
    });
    const moved: ExportSpec = { ...spec, destination: { type: 'jsonl', path: join(h.dir, 'opps.jsonl') } };
    expect(await runExport(moved, { client: h.newClient(), store: h.store })).toMatchObject({
      mode: 'full',
      fullReason: 'the destination changed since the last export',
    });
    const { rmSync } = await import('node:fs');
    rmSync(join(h.dir, 'opps.jsonl'));
    expect(await runExport(moved, { client: h.newClient(), store: h.store })).toMatchObject({
      mode: 'full',
      fullReason: 'the destination file is missing',
      written: all,
    });
  });

  it('does not move the bookmark when the destination fails to commit', async () => {
    const spec = csvExport('companies', 'Company');
    await runExport(spec, { client: h.newClient(), store: h.store });
    const bookmark = h.store.getBookmark(exportBookmarkName('companies'), 'Companies');
    expect(bookmark?.field).toBe('lastActivityDate,lastTrackedModifiedDateTime');
    const content = readFileSync(spec.destination.path, 'utf8');

    h.clock.advance(3_600_000);
    const client = h.newClient();
    const [target] = (await client.companies.queryPage([{ op: 'gte', field: 'id', value: 1 }])).items;
    await client.companies.update({ id: target!.id, phone: '42' });

    const failing = (): Sink => {
      const sink = new CsvSink({ path: spec.destination.path });
      sink.close = () => Promise.reject(new Error('disk full'));
      return sink;
    };
    await expect(
      runExport(spec, { client: h.newClient(), store: h.store, sinkFactory: failing }),
    ).rejects.toThrow('disk full');
    expect(h.store.getBookmark(exportBookmarkName('companies'), 'Companies')).toEqual(bookmark);
    const retry = await runExport(spec, { client: h.newClient(), store: h.store });
    expect(retry).toMatchObject({ mode: 'incremental', written: 1 });
    expect(readFileSync(spec.destination.path, 'utf8').startsWith(content.split('\n')[0]!)).toBe(true);
  });

  it('stops between pages when aborted, leaving the destination and the bookmark as they were', async () => {
    await h.cleanup();
    h = exportHarness({ records: 1200 });
    const spec = csvExport('big', 'Company');
    await runExport(spec, { client: h.newClient(), store: h.store });
    const before = readFileSync(spec.destination.path, 'utf8');
    const bookmark = h.store.getBookmark(exportBookmarkName('big'), 'Companies');
    const controller = new AbortController();
    const pages: number[] = [];
    const attempt = runExport(spec, {
      client: h.newClient(),
      store: h.store,
      full: true,
      signal: controller.signal,
      onProgress: ({ written }) => {
        pages.push(written);
        controller.abort(new Error('stopped by the user'));
      },
    });
    await expect(attempt).rejects.toThrow('stopped by the user');
    expect(pages).toEqual([500]);
    expect(readFileSync(spec.destination.path, 'utf8')).toBe(before);
    expect(h.store.getBookmark(exportBookmarkName('big'), 'Companies')).toEqual(bookmark);
  });

  it('records a failing export in a partial run and carries on with the next', async () => {
    const bad: ExportSpec = {
      name: 'bad',
      object: 'Company',
      incremental: false,
      destination: { type: 'sqlite', path: join(h.dir, 'x', '\0bad'), table: 't' },
    };
    const summary = await runExports([bad, csvExport('people', 'Resource')], {
      client: h.newClient(),
      store: h.store,
    });
    expect(summary.status).toBe('partial');
    expect(summary.failures.map((f) => f.name)).toEqual(['bad']);
    expect(summary.exports.map((e) => e.name)).toEqual(['people']);
    expect(h.store.getRun(summary.runId)?.status).toBe('partial');
  });
});

const url = process.env['TEST_POSTGRES_URL'];
describe.skipIf(!url)('export to PostgreSQL', () => {
  it('fills a table, then upserts the changes', async () => {
    const schema = `export_test_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    try {
      const spec: ExportSpec = {
        name: 'opps-pg',
        object: 'Opportunity',
        incremental: true,
        destination: { type: 'postgres', url: url!, table: `${schema}.opportunities` },
      };
      const first = await runExport(spec, { client: h.newClient(), store: h.store });
      const count = async (): Promise<number> =>
        (await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".opportunities`))
          .rows[0]!.n;
      expect(await count()).toBe(first.written);

      h.clock.advance(3_600_000);
      const client = h.newClient();
      const [o] = (await client.opportunities.queryPage([{ op: 'gte', field: 'id', value: 0 }])).items;
      await client.opportunities.update({ id: o!.id, amount: 123456 });
      const delta = await runExport(spec, { client: h.newClient(), store: h.store });
      expect(delta).toMatchObject({ mode: 'incremental', written: 1 });
      expect(await count()).toBe(first.written);
      const row = (
        await admin.query(
          `SELECT amount::float AS amount, stage_label FROM "${schema}".opportunities WHERE id = $1`,
          [o!.id],
        )
      ).rows[0] as { amount: number; stage_label: string | null };
      expect(row.amount).toBe(123456);
      expect(row.stage_label).not.toBeNull();
    } finally {
      await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.end();
    }
  });
});

describe('secrets', () => {
  it('never reach the state database, its WAL, or the exported files', async () => {
    const specs = [csvExport('companies', 'Company'), csvExport('contacts', 'Contact')];
    await runExports(specs, { client: h.newClient(), store: h.store });
    h.clock.advance(3_600_000);
    await runExports(specs, { client: h.newClient(), store: h.store });
    h.store.appendLedger([]);
    const files = [h.statePath, `${h.statePath}-wal`, ...specs.map((s) => s.destination.path)];
    const forms = [
      SECRETS.secret,
      SECRETS.integrationCode,
      Buffer.from(`${SECRETS.userName}:${SECRETS.secret}`).toString('base64'),
    ];
    for (const file of files) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch {
        continue; // the WAL may have been checkpointed away
      }
      for (const form of forms) expect(bytes.includes(form), `${form} in ${file}`).toBe(false);
    }
    expect(readFileSync(h.statePath).length).toBeGreaterThan(0);
  });
});
