/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- JSON bodies of the API under test */
/**
 * The web app with a configuration that has a one-way sync (CSV → Companies) and a two-way sync
 * (a SQLite table ⇄ Companies), over real HTTP against an emulator tenant: Plan previews both (the
 * two-way sync with what each side would receive and each field's side) writing nothing; Run runs
 * both under the run lock with progress per sync; the runs list, one run and the charts tell two-way
 * runs apart with each side's writes; the Mapping page's configuration lists the two-way sync. Then
 * the run lock: a Run refused while another process holds it names the holder, the runs list says
 * who holds it, and a run left `running` by a process that is gone reads as interrupted.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Emulator } from '../../src/emulator/index.js';
import type { UiServer } from '../../src/ui/index.js';
import { startUiOnEmulator, type UiOnEmulator } from '../helpers/ui-on-emulator.js';
import { companiesSyncYaml } from '../../bench/lib/companies-sync-yaml.js';
import { openAsOtherProcess } from '../helpers/other-process-store.js';

const OWNER_ID = 29682885;

describe('web app with two-way syncs', () => {
  let ui: UiOnEmulator;
  let emulator: Emulator;
  let server: UiServer;
  let dir: string;

  const call = async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: any }> => {
    const res = await fetch(`${server.origin}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${server.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: await res.json() };
  };

  /** Starts a run and collects its events until it finishes. */
  const runWithEvents = async (body: unknown): Promise<any[]> => {
    const controller = new AbortController();
    const res = await fetch(`${server.origin}/api/events`, {
      headers: { authorization: `Bearer ${server.token}` },
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    const started = await call('POST', '/api/runs', body);
    expect(started.status).toBe(202);
    const events: any[] = [];
    let buffer = '';
    try {
      while (!events.some((e) => e.type === 'finished' || e.type === 'error')) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += new TextDecoder().decode(value);
        const end = buffer.lastIndexOf('\n');
        for (const m of buffer.slice(0, end + 1).matchAll(/^data: (.*)$/gm)) events.push(JSON.parse(m[1]!));
        buffer = buffer.slice(end + 1);
      }
    } finally {
      controller.abort();
    }
    // the job's lock is released as the job ends; wait until the app is idle
    for (let i = 0; i < 100 && (await call('GET', '/api/runs')).json.busy; i++)
      await new Promise((r) => setTimeout(r, 20));
    return events;
  };

  const tableRows = (): { id: number; name: string; phone: string | null }[] => {
    const db = new Database(join(dir, 'crm.sqlite'), { readonly: true });
    try {
      return db.prepare('SELECT id, name, phone FROM accounts ORDER BY id').all() as any[];
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    ui = await startUiOnEmulator('ui-two-way-', (folder) => {
      writeFileSync(join(folder, 'companies.csv'), 'Name,Phone\nCsv Co,+1 555 0101\n');
      const db = new Database(join(folder, 'crm.sqlite'));
      db.exec(`CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT, phone TEXT, changed TEXT);
      INSERT INTO accounts (name, phone, changed) VALUES ('Table Co', '+1 555 0900', '2026-01-01 00:00:00');`);
      db.close();
      writeFileSync(
        join(folder, 'sync.config.yaml'),
        `version: 1
state: state.sqlite
syncs:
${companiesSyncYaml()}
twoWay:
  - name: accounts-db
    object: Account
    table: { type: sqlite, path: crm.sqlite, table: accounts, key: id, updatedAt: changed }
    systems: [sql, autotask]
    autotaskDefaults: { companyType: 1, ownerResourceID: ${OWNER_ID} }
    fields:
      companyName: name
      phone: phone
`,
      );
    });
    ({ emulator, server, dir } = ui);
  });

  afterAll(async () => {
    await ui?.close();
  });

  it('lists the two-way sync in the configuration, without its table URL', async () => {
    const config = await call('GET', '/api/config');
    expect(config.json.syncs.map((s: any) => s.name)).toEqual(['companies']);
    expect(config.json.twoWay).toEqual([
      { name: 'accounts-db', object: 'Account', table: 'sqlite accounts' },
    ]);
  });

  it('previews both kinds: the two-way sync with what each side would receive, nothing written', async () => {
    const table = readFileSync(join(dir, 'crm.sqlite'));
    const companiesBefore = emulator.tenant.tables.Companies.size();
    const plan = await call('POST', '/api/plan', {});
    expect(plan.status).toBe(200);
    const r = plan.json;
    expect(r.mode).toBe('plan');
    expect(r.runIds).toHaveLength(2);
    expect(r.syncs.map((s: any) => [s.name, s.kind])).toEqual([
      ['companies', 'one-way'],
      ['accounts-db', 'two-way'],
    ]);
    const twoWay = r.syncs[1];
    // the table's row goes to Autotask; Autotask's companies (its own, and none of the CSV's yet) to the table
    expect(twoWay.twoWay.autotask).toEqual({ create: 1, update: 0, deactivate: 0 });
    expect(twoWay.twoWay.table.insert).toBeGreaterThanOrEqual(1);
    const create = twoWay.outcomes.find(
      (o: any) => o.action === 'created' && o.diff?.companyName?.to === 'Table Co',
    );
    expect(create.diff.companyName).toMatchObject({ side: 'autotask', to: 'Table Co' });
    expect(create.diff.phone).toMatchObject({ side: 'autotask', to: '+1 555 0900' });
    // totals and cost cover both parts
    expect(r.counts.created).toBe(r.syncs[0].counts.created + twoWay.counts.created);
    expect(r.apiCalls).toBeGreaterThanOrEqual(r.syncs[0].apiCalls + twoWay.apiCalls);
    expect(twoWay.apiCalls).toBeGreaterThan(0);
    // at least one call per record written in Autotask: the CSV's company, the table's row
    expect(r.estimatedCalls).toBeGreaterThanOrEqual(
      r.syncs[0].counts.created + twoWay.twoWay.autotask.create,
    );
    expect(r.etaMs).toBeGreaterThan(0);
    expect(readFileSync(join(dir, 'crm.sqlite')).equals(table)).toBe(true);
    expect(emulator.tenant.tables.Companies.size()).toBe(companiesBefore);

    const unknown = await call('POST', '/api/plan', { only: ['nope'] });
    expect(unknown.status).toBeGreaterThanOrEqual(400);
    expect(unknown.json.error.message).toContain('nope');
    const only = await call('POST', '/api/plan', { only: ['accounts-db'] });
    expect(only.json.syncs.map((s: any) => s.name)).toEqual(['accounts-db']);
    expect(only.json.runIds).toHaveLength(1);
  });

  it('runs both with progress per sync, and lists the two-way run with each side’s writes', async () => {
    const events = await runWithEvents({});
    expect(events[0]).toMatchObject({
      type: 'started',
      syncs: ['companies', 'accounts-db'],
      twoWay: ['accounts-db'],
    });
    const progress = events.filter((e) => e.type === 'progress' && e.sync === 'accounts-db');
    expect(progress.map((e) => e.stage)).toContain('done');
    const done = progress.find((e) => e.stage === 'done');
    expect(done.done).toBe(done.total);
    expect(done.total).toBeGreaterThan(0);
    const finished = events.find((e) => e.type === 'finished');
    expect(finished, JSON.stringify(events.at(-1))).toBeDefined();
    const summary = finished.summary;
    expect(summary.status).toBe('succeeded');
    expect(summary.runIds).toHaveLength(2);
    const accounts = summary.syncs.find((s: any) => s.name === 'accounts-db');
    expect(accounts.kind).toBe('two-way');
    expect(accounts.twoWay.autotask.create).toBe(1);
    // the CSV's company (created by the one-way sync just before) reaches the table too
    expect(tableRows().map((row) => row.name)).toEqual(expect.arrayContaining(['Table Co', 'Csv Co']));

    const [oneWayId, twoWayId] = summary.runIds as [number, number];
    const runs = await call('GET', '/api/runs');
    const byId = new Map((runs.json.runs as any[]).map((run) => [run.id, run]));
    expect(byId.get(oneWayId)).toMatchObject({ kind: 'one-way', sides: null, status: 'succeeded' });
    const listed = byId.get(twoWayId);
    expect(listed.kind).toBe('two-way');
    expect(listed.sides.autotask).toEqual({ created: 1, updated: 0, deactivated: 0 });
    expect(listed.sides.table.created).toBe(accounts.twoWay.table.insert);
    expect(runs.json.lock).toBeNull();

    const one = await call('GET', `/api/runs/${twoWayId}`);
    expect(one.json.run.sides.autotask.created).toBe(1);
    expect(one.json.perSync).toEqual([
      { sync: 'accounts-db', counts: expect.objectContaining({ created: accounts.counts.created }) },
    ]);
    const usage = await call('GET', '/api/usage');
    expect(usage.json.outcomes.at(-1)).toMatchObject({ id: twoWayId, kind: 'two-way' });
    expect(usage.json.outcomes.at(-1).sides.autotask.created).toBe(1);
    expect(usage.json.usage.hours.at(-1).calls).toBeGreaterThanOrEqual(summary.apiCalls);
  });

  it('refuses a Run naming the lock holder, shows who holds it, and shows a dead run as interrupted', async () => {
    const other = openAsOtherProcess(join(dir, 'state.sqlite'));
    try {
      const lock = other.acquireRunLock({ command: 'run --watch' });
      const refused = await call('POST', '/api/runs', {});
      expect(refused.status).toBe(409);
      expect(refused.json.error).toMatchObject({
        code: 'STATE_LOCKED',
        holder: { command: 'run --watch', pid: 4242, host: 'sync-01' },
      });
      expect(Date.parse(refused.json.error.holder.since)).toBeGreaterThan(0);
      const listed = await call('GET', '/api/runs');
      expect(listed.json.lock).toMatchObject({
        command: 'run --watch',
        pid: 4242,
        host: 'sync-01',
        stale: null,
      });
      expect(listed.json.busy).toBe(false);
      // that process starts a run and is killed: its lock and run are left behind
      const orphan = other.startRun({ mode: 'run', syncNames: ['companies'], configHash: 'x' });
      lock.release();
      const after = await call('GET', '/api/runs');
      expect(after.json.runs.find((r: any) => r.id === orphan.id)?.status).toBe('interrupted');
      expect(after.json.lock).toBeNull();
    } finally {
      other.close();
    }
    // a run of this process is not interrupted by that: the next Run takes the lock and finishes
    const events = await runWithEvents({ only: ['accounts-db'] });
    expect(events.find((e) => e.type === 'finished')?.summary.status).toBe('succeeded');
  });
});
