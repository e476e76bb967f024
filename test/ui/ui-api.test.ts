/* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-return -- JSON bodies of the API under test */
/**
 * The web app's JSON API over real HTTP on loopback, against an emulator tenant on loopback: the
 * access-token check, input validation, size limits, credentials stored in .env (never sent back),
 * YAML edits that keep comments, lint findings as `check` gives them, plan, run with SSE events,
 * ledger search and rejects CSV.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { silentLogger } from '../../src/shared/logger.js';
import { startUiServer, type UiServer } from '../../src/ui/index.js';

const OWNER_EMAIL = 'jordan.avery@emulator-msp.example';

describe('web app API', () => {
  let emulator: Emulator;
  let emulatorUrl: string;
  let server: UiServer;
  let dir: string;
  const configFile = (): string => join(dir, 'sync.config.yaml');

  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; json: any; text: string; headers: Headers }> => {
    const res = await fetch(`${server.origin}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${server.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text, headers: res.headers };
  };

  beforeAll(async () => {
    emulator = createEmulator({ seed: 'empty' });
    emulatorUrl = (await emulator.listen({ port: 0 })).url;
    dir = mkdtempSync(join(tmpdir(), 'ui-api-'));
    writeFileSync(
      join(dir, 'companies.csv'),
      `Name,Phone,Manager\nAcme,+1 555 0101,${OWNER_EMAIL}\nGlobex,+1 555 0102,${OWNER_EMAIL}\n`,
    );
    writeFileSync(
      join(dir, 'contacts.csv'),
      'Company,First,Family,Email\nAcme,Ada,Lovelace,ada@acme.example\nAcme,Carol,Danvers,not-an-email\n',
    );
    server = await startUiServer({
      configFile: 'sync.config.yaml',
      env: { HOME: dir },
      cwd: dir,
      logger: silentLogger,
      maxJsonBytes: 16 * 1024,
    });
  });

  afterAll(async () => {
    await server?.close();
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses API calls without the token, or with a wrong one', async () => {
    const none = await fetch(`${server.origin}/api/config`);
    expect(none.status).toBe(401);
    expect((await none.json()).error.code).toBe('UI_TOKEN_REQUIRED');
    const wrong = await call('GET', '/api/config', undefined, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(401);
    const cookieWrong = await fetch(`${server.origin}/api/config`, {
      headers: { cookie: 'autotask_sync_ui=nope' },
    });
    expect(cookieWrong.status).toBe(401);
    const page = await fetch(`${server.origin}/`);
    expect(page.status).toBe(401);
    expect(await page.text()).not.toContain(server.token);
  });

  it('sets an HttpOnly cookie from the token link and redirects to a clean address', async () => {
    const res = await fetch(server.link, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    const page = await fetch(`${server.origin}/`, { headers: { cookie: cookie.split(';')[0] ?? '' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const api = await fetch(`${server.origin}/api/config`, {
      headers: { cookie: cookie.split(';')[0] ?? '' },
    });
    expect(api.status).toBe(200);
    const bad = await fetch(`${server.origin}/?token=wrong`, { redirect: 'manual' });
    expect(bad.status).toBe(401);
  });

  it('validates input: malformed JSON, unknown keys, bad URLs, bad ids, oversized bodies', async () => {
    expect((await call('PUT', '/api/connection', '{not json')).json.error.code).toBe('UI_INVALID_INPUT');
    const unknown = await call('PUT', '/api/connection', { password: 'x' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.issues[0].path).toBe('(body)');
    const url = await call('PUT', '/api/connection', { url: 'ftp://example.com' });
    expect(url.status).toBe(400);
    expect(url.json.error.message).toContain('https://');
    expect((await call('GET', '/api/runs/abc')).status).toBe(400);
    expect((await call('GET', '/api/objects/Resource/fields')).status).toBe(400);
    expect((await call('POST', '/api/uploads?name=../evil.sh', 'x')).status).toBe(400);
    const big = await call('PUT', '/api/connection', { username: 'x'.repeat(20 * 1024) });
    expect(big.status).toBe(413);
    expect((await call('POST', '/api/plan', {})).status).toBe(409); // no configuration yet
  });

  it('stores credentials in .env (mode 0600) and never sends the secret back', async () => {
    const { userName, secret, integrationCode } = emulator.credentials;
    const saved = await call('PUT', '/api/connection', {
      username: userName,
      secret,
      integrationCode,
      url: emulatorUrl,
    });
    expect(saved.status).toBe(200);
    expect(saved.json.complete).toBe(true);
    expect(saved.json.sources).toContainEqual({ variable: 'AUTOTASK_SECRET', from: '.env' });
    expect(saved.text).not.toContain(secret);
    expect(saved.text).not.toContain(integrationCode);
    const env = join(dir, '.env');
    expect(statSync(env).mode & 0o777).toBe(0o600);
    expect(readFileSync(env, 'utf8')).toContain(`AUTOTASK_USERNAME=${userName}`);
    const test = await call('POST', '/api/connection/test');
    expect(test.json.ok).toBe(true);
    expect(test.json.apiVersion).toMatch(/^\d+\.\d+/);
    expect(test.json.budget.limit).toBeGreaterThan(0);
    expect(test.text).not.toContain(secret);
  });

  it('reports a refused secret with the client message, without echoing it', async () => {
    await call('PUT', '/api/connection', { secret: 'wrong-secret-123' });
    const test = await call('POST', '/api/connection/test');
    expect(test.json.ok).toBe(false);
    expect(test.json.error.code).toMatch(/AUTOTASK_/);
    expect(test.text).not.toContain('wrong-secret-123');
    await call('PUT', '/api/connection', { secret: emulator.credentials.secret });
    expect((await call('POST', '/api/connection/test')).json.ok).toBe(true);
  });

  it('lists fields with required ones marked and picklist labels, and proposes columns', async () => {
    const fields = await call('GET', '/api/objects/Company/fields');
    expect(fields.status).toBe(200);
    const byName = new Map((fields.json.fields as any[]).map((f) => [f.target, f]));
    expect(byName.get('companyName').required).toBe(true);
    expect(byName.get('companyType').picklist.map((p: any) => p.label)).toContain('Prospect');
    expect(byName.get('ownerResourceID').ref).toBe('Resource');
    const cols = await call('POST', '/api/source/columns', {
      source: { type: 'csv', path: 'contacts.csv' },
      object: 'Contact',
    });
    expect(cols.json.columns).toEqual(['Company', 'First', 'Family', 'Email']);
    const proposed = Object.fromEntries(
      (cols.json.proposal.mappings as any[]).map((m) => [m.field, m.column]),
    );
    expect(proposed['emailAddress']).toBe('Email');
    const db = new Database(join(dir, 'crm.sqlite'));
    db.exec('CREATE TABLE accounts (id INTEGER PRIMARY KEY, "Account Name" TEXT, Phone TEXT)');
    db.close();
    const sqlite = await call('POST', '/api/source/columns', {
      source: { type: 'sqlite', path: 'crm.sqlite', table: 'accounts' },
      object: 'Company',
    });
    expect(sqlite.json.columns).toEqual(['id', 'Account Name', 'Phone']);
    expect(sqlite.json.proposal.mappings.find((m: any) => m.field === 'companyName')?.column).toBe(
      'Account Name',
    );
    const uploaded = await call(
      'POST',
      '/api/uploads?name=leads.csv',
      'Company;E-Mail\nAcme;a@acme.example\n',
      {
        'content-type': 'text/csv',
      },
    );
    expect(uploaded.json.path).toBe(join('uploads', 'leads.csv'));
    expect(statSync(join(dir, 'uploads', 'leads.csv')).mode & 0o777).toBe(0o600);
    const fromUpload = await call('POST', '/api/source/columns', {
      source: { type: 'csv', path: uploaded.json.path, delimiter: ';' },
    });
    expect(fromUpload.json.columns).toEqual(['Company', 'E-Mail']);
    const missing = await call('POST', '/api/source/columns', { source: { type: 'csv', path: 'nope.csv' } });
    expect(missing.status).toBe(422);
  });

  it.skipIf(!process.env['TEST_POSTGRES_URL'])(
    'reads the columns of a PostgreSQL table named with ${VAR}',
    async () => {
      const schema = `ui_api_${process.pid}_${Date.now()}`;
      const admin = new pg.Client({ connectionString: process.env['TEST_POSTGRES_URL'] });
      await admin.connect();
      try {
        await admin.query(`CREATE SCHEMA ${schema}`);
        await admin.query(
          `CREATE TABLE ${schema}.people (id serial PRIMARY KEY, "E-mail" text, surname text)`,
        );
        writeFileSync(
          join(dir, '.env'),
          `${readFileSync(join(dir, '.env'), 'utf8')}DATABASE_URL=${process.env['TEST_POSTGRES_URL']}\n`,
        );
        const res = await call('POST', '/api/source/columns', {
          source: { type: 'postgres', url: '${DATABASE_URL}', table: `${schema}.people` },
          object: 'Contact',
        });
        expect(res.json.columns).toEqual(['id', 'E-mail', 'surname']);
        expect(res.json.proposal.mappings.find((m: any) => m.field === 'emailAddress')?.column).toBe(
          'E-mail',
        );
      } finally {
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
        await admin.end();
      }
    },
  );

  it('writes the YAML the CLI reads, keeps comments, and gives check findings for drafts', async () => {
    const companies = {
      name: 'companies',
      object: 'Company',
      source: { type: 'csv', path: 'companies.csv' },
      mode: 'upsert',
      fields: {
        companyName: 'Name',
        phone: 'Phone',
        companyType: { default: 'Prospect' },
        ownerResourceID: { column: 'Manager', ref: 'Resource' },
      },
    };
    const saved = await call('PUT', '/api/config/syncs', { index: null, sync: companies });
    expect(saved.status).toBe(200);
    writeFileSync(
      configFile(),
      readFileSync(configFile(), 'utf8').replace('companyName: Name', 'companyName: Name # the key'),
    );
    const contacts = {
      name: 'contacts',
      object: 'Contact',
      source: { type: 'csv', path: 'contacts.csv' },
      fields: {
        companyID: { column: 'Company', ref: 'Company' },
        firstName: 'First',
        emailAddress: { column: 'Email', transform: ['trim', 'lower'] },
      },
    };
    const draft = await call('POST', '/api/validate', { index: null, sync: contacts });
    expect(draft.json.checked).toBe('metadata');
    const lastName = (draft.json.findings as any[]).find(
      (f) => f.path.startsWith('syncs[1].fields.lastName') || f.message.includes('lastName'),
    );
    expect(lastName?.severity).toBe('error');
    const fixed = { ...contacts, fields: { ...contacts.fields, lastName: 'Family' } };
    const ok = await call('POST', '/api/validate', { index: null, sync: fixed });
    expect((ok.json.findings as any[]).filter((f) => f.severity === 'error')).toEqual([]);
    expect((await call('PUT', '/api/config/syncs', { index: null, sync: fixed })).status).toBe(200);
    // a change to sync 0 keeps the comment on the untouched field
    await call('PUT', '/api/config/syncs', { index: 0, sync: { ...companies, mode: 'create' } });
    const text = readFileSync(configFile(), 'utf8');
    expect(text).toContain('companyName: Name # the key');
    expect(text).toContain('mode: create');
    // structurally wrong: refused with the loader's path
    const wrong = await call('PUT', '/api/config/syncs', {
      index: 0,
      sync: { ...companies, object: 'Resource' },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.json.error.issues[0].path).toContain('syncs[0]');
    await call('PUT', '/api/config/syncs', { index: 0, sync: companies });
    const config = await call('GET', '/api/config');
    expect(config.json.syncs.map((s: any) => s.name)).toEqual(['companies', 'contacts']);
  });

  it('plans, runs with live events, and serves the ledger and rejects', async () => {
    const plan = await call('POST', '/api/plan', {});
    expect(plan.status).toBe(200);
    expect(plan.json.counts.created).toBe(3);
    expect(plan.json.counts.invalid).toBe(1);
    expect(plan.json.estimatedCalls).toBeGreaterThan(0);

    const events: any[] = [];
    const controller = new AbortController();
    const res = await fetch(`${server.origin}/api/events`, {
      headers: { authorization: `Bearer ${server.token}` },
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const started = await call('POST', '/api/runs', {});
    expect(started.status).toBe(202);
    let buffer = '';
    while (!events.some((e) => e.type === 'finished' || e.type === 'error')) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += new TextDecoder().decode(value);
      for (const m of buffer.matchAll(/^data: (.*)$/gm)) events.push(JSON.parse(m[1]!));
      buffer = buffer.slice(buffer.lastIndexOf('\n') + 1);
    }
    controller.abort();
    expect(events[0].type).toBe('started');
    expect(events.some((e) => e.type === 'progress' && e.sync === 'contacts')).toBe(true);
    const finished = events.find((e) => e.type === 'finished');
    expect(finished.summary.counts.created).toBe(3);
    const runId = finished.summary.runId as number;

    const runs = await call('GET', '/api/runs');
    expect(runs.json.runs.some((r: any) => r.id === runId)).toBe(true);
    const detail = await call('GET', `/api/runs/${runId}`);
    expect(detail.json.perSync.find((s: any) => s.sync === 'contacts').counts.invalid).toBe(1);
    const ledger = await call('GET', `/api/runs/${runId}/ledger?key=ada`);
    expect(ledger.json.entries).toHaveLength(1);
    expect(ledger.json.entries[0].action).toBe('created');
    expect((await call('GET', `/api/runs/${runId}/ledger?limit=0`)).status).toBe(400);
    const rejects = await call('GET', `/api/runs/${runId}/rejects.csv`);
    expect(rejects.headers.get('content-disposition')).toContain('attachment');
    expect(rejects.text).toContain('not-an-email');
    expect(rejects.text).toContain('_reason');
    const usage = await call('GET', '/api/usage');
    expect(usage.json.usage.hours).toHaveLength(24);
    expect(usage.json.usage.allowed).toBe(usage.json.budget.allowed);
    expect(usage.json.usage.hours.at(-1).calls).toBeGreaterThan(0);
    expect(usage.json.outcomes.at(-1).counters.created).toBe(3);
    expect((await call('GET', '/api/runs/99999')).status).toBe(404);
  });
});
