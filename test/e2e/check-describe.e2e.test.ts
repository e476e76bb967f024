/**
 * `check` and `describe` through the built CLI against an emulator on loopback: exit codes, `--json`,
 * distinct messages per connection failure, configuration lint with fixes, and no secret in any output.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ensureBuilt, jsonOf, runCli, type CliResult } from './helpers/built-cli.js';
import { assertNoSecret, startTenant, type LoopbackTenant } from './helpers/emulator-tenant.js';

let tenant: LoopbackTenant;
let dir: string;

beforeAll(async () => {
  await ensureBuilt();
  tenant = await startTenant();
  dir = mkdtempSync(join(tmpdir(), 'ats-e2e-check-'));
}, 300_000);
afterAll(async () => tenant.close());

const cli = async (args: string[], env: Record<string, string> = tenant.env): Promise<CliResult> => {
  const result = await runCli(args, { cwd: dir, env });
  assertNoSecret(result.all, tenant.secrets);
  return result;
};

describe('check', () => {
  it('tests the connection from the environment alone', async () => {
    const r = await cli(['check']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Connected to ${tenant.url}V1.0/`);
    expect(r.stdout).toMatch(/API budget \[.*\] \d+ of [\d,]+ allowed \(50% of 10,000\/h\)/);
    expect(r.stdout).toContain('only the connection was tested');
  });

  it('prints one JSON document with --json', async () => {
    const r = await cli(['check', '--json']);
    expect(r.code).toBe(0);
    const doc = jsonOf(r);
    expect(doc).toMatchObject({
      ok: true,
      errors: 0,
      findings: [],
      connection: { username: 'e2e.api@emulator.local' },
    });
  });

  it('accepts the token form of the credentials', async () => {
    const { AUTOTASK_USERNAME, AUTOTASK_SECRET, ...rest } = tenant.env;
    const token = Buffer.from(`${AUTOTASK_USERNAME}:${AUTOTASK_SECRET}`).toString('base64');
    const r = await cli(['check'], { ...rest, AUTOTASK_TOKEN: token });
    expect(r.code).toBe(0);
  });

  it('exit 3 with the likely causes when Autotask refuses the credentials', async () => {
    const r = await cli(['check', '--json'], { ...tenant.env, AUTOTASK_SECRET: 'wrong-secret-value' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('AUTOTASK_AUTHENTICATION_FAILED');
    expect(r.stderr).toMatch(/wrong secret; wrong integration code/);
    expect(jsonOf(r)).toMatchObject({
      ok: false,
      exitCode: 3,
      error: { code: 'AUTOTASK_AUTHENTICATION_FAILED' },
    });
    expect(r.all).not.toContain('wrong-secret-value');
  });

  it('exit 3 with a different message when the URL is not Autotask', async () => {
    const r = await cli(['check'], { ...tenant.env, AUTOTASK_URL: 'http://127.0.0.1:9/ATServicesRest/' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('AUTOTASK_WRONG_URL');
    expect(r.stderr).toContain('Could not connect');
  });

  it('exit 2 naming each missing variable when the environment has no credentials', async () => {
    const r = await cli(['check'], {});
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('AUTOTASK_TOKEN');
    expect(r.stderr).toContain('AUTOTASK_INTEGRATION_CODE is not set');
  });

  it('reads credentials from .env in the working folder', async () => {
    const envDir = mkdtempSync(join(tmpdir(), 'ats-e2e-dotenv-'));
    writeFileSync(
      join(envDir, '.env'),
      Object.entries(tenant.env)
        .map(([k, v]) => `${k}=${v}`)
        .join('\n'),
    );
    const r = await runCli(['check'], { cwd: envDir, env: {} });
    assertNoSecret(r.all, tenant.secrets);
    expect(r.code).toBe(0);
  });

  it('lints a configuration against live metadata: each finding with its path and fix, exit 2', async () => {
    writeFileSync(
      join(dir, 'people.csv'),
      'Company,First,Last,Email,Rank\nAcme,Ann,Lee,ann@acme.example,1\n',
    );
    writeFileSync(
      join(dir, 'bad.yaml'),
      [
        'version: 1',
        'state: state.sqlite',
        'syncs:',
        '  - name: companies',
        '    object: Company',
        '    source: { type: csv, path: people.csv }',
        '    fields:',
        '      companyName: Company',
        '      companyType: { default: Wholesaler }',
        '      ownerResourceID: { default: nobody@nowhere.example, ref: Resource }',
        '      phone: { default: "+1 555 0100" }',
        '      udf:No Such UDF: Rank',
        '  - name: contacts',
        '    object: Contact',
        '    source: { type: csv, path: people.csv }',
        '    fields:',
        '      companyID: { column: Company, ref: Company }',
        '      firstName: First',
        '      lastName: Lastname',
        '      emailAddress: Email',
      ].join('\n'),
    );
    const r = await cli(['check', '--config', 'bad.yaml']);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/error syncs\[0\]\.fields\.companyType\.default: .*Wholesaler/);
    expect(r.stdout).toMatch(
      /error syncs\[0\]\.fields\.ownerResourceID\.default: no Autotask resource has email "nobody@nowhere.example"/,
    );
    expect(r.stdout).toMatch(/error syncs\[0\]\.fields\["udf:No Such UDF"\]: .*not a user-defined field/);
    expect(r.stdout).toMatch(
      /syncs\[1\]\.fields\.lastName\.column: "Lastname" is not a column of people\.csv/,
    );
    expect(r.stdout).toMatch(/fix: .*"Last"/);
    const json = jsonOf(await cli(['check', '--config', 'bad.yaml', '--json']));
    const codes = (json['findings'] as { code: string }[]).map((f) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['RESOURCE_NOT_FOUND', 'UNKNOWN_COLUMN']));
    expect(json['ok']).toBe(false);
  });

  it('passes the shipped example configuration with exit 0', async () => {
    const r = await cli(['check', '--config', join(process.cwd(), 'examples', 'sync.config.yaml'), '--json']);
    expect(jsonOf(r)).toMatchObject({ ok: true, errors: 0 });
    expect(r.code).toBe(0);
  });

  it('warns about a secret written inline and never prints it', async () => {
    writeFileSync(
      join(dir, 'inline.yaml'),
      [
        'version: 1',
        'autotask:',
        `  secret: ${tenant.env['AUTOTASK_SECRET'] ?? ''}`,
        'state: inline.sqlite',
        'syncs: []',
      ].join('\n'),
    );
    const r = await cli(['check', '--config', 'inline.yaml']);
    expect(r.stderr).toMatch(/warning: autotask\.secret: a secret is written in the configuration file/);
    expect(r.code).toBe(0);
  });

  it('--verbose prints each API call without secrets', async () => {
    const r = await cli(['check', '--verbose']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/api: GET Version version → 200/);
    expect(r.stderr).toMatch(/api: GET ThresholdInformation threshold → 200/);
  });
});

describe('describe', () => {
  it('lists fields with type, required and read-only, picklists with labels, and UDFs', async () => {
    const r = await cli(['describe', 'Company']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/companyName\s+string\(\d+\)\s+required/);
    expect(r.stdout).toMatch(/id\s+long\s+read-only/);
    expect(r.stdout).toMatch(/companyType: 1 = Customer, .*3 = Prospect/);
    expect(r.stdout).toMatch(/udf:CRM ID/);
    expect(r.stdout).toMatch(/phone\s+string\(\d+\)\s+required/);
  });

  it('accepts aliases and entity names, and --field shows one field with every value', async () => {
    const r = await cli(['describe', 'account', '--field', 'companyType', '--json']);
    expect(r.code).toBe(0);
    const doc = jsonOf(r);
    expect(doc['object']).toBe('Company');
    const fields = doc['fields'] as { name: string; picklist: { label: string }[] }[];
    expect(fields).toHaveLength(1);
    expect(fields[0]?.picklist.map((p) => p.label)).toContain('Prospect');
  });

  it('colours only when asked: FORCE_COLOR on a pipe, never with NO_COLOR', async () => {
    const forced = await runCli(['describe', 'Contact'], {
      cwd: dir,
      env: { ...tenant.env, NO_COLOR: '', FORCE_COLOR: '1' },
    });
    expect(forced.stdout).toContain('\u001b[');
    const plain = await runCli(['describe', 'Contact'], {
      cwd: dir,
      env: { ...tenant.env, NO_COLOR: '1', FORCE_COLOR: '1' },
    });
    expect(plain.stdout).not.toContain('\u001b[');
    expect(plain.stdout).toContain('emailAddress');
  });

  it('exit 2 for an unknown object', async () => {
    const r = await cli(['describe', 'Tickets']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not an Autotask object');
  });
});
