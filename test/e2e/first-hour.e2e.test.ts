/**
 * A new user's first hour, through the built CLI: messy exports as real tools write them (Excel "CSV
 * UTF-8" with BOM, CRLF and trailing spaces, a HubSpot contacts export, a European opportunities export
 * with semicolons, decimal commas and dd.mm.yyyy dates), `init`, `plan`, `run`, `show`, and the errors a
 * first try runs into (no credentials, `--json` everywhere, `--version`).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { REPO, ensureBuilt, INIT_EXAMPLES, jsonOf, runCli, type CliResult } from './helpers/built-cli.js';
import { assertNoSecret, startTenant, type LoopbackTenant } from './helpers/emulator-tenant.js';

let tenant: LoopbackTenant;
let dir: string;

const cli = async (args: readonly string[], env: Record<string, string> = tenant.env): Promise<CliResult> => {
  const result = await runCli(args, { cwd: dir, env });
  assertNoSecret(result.all, tenant.secrets);
  return result;
};

const crlf = (lines: string[]): string => lines.map((l) => `${l}\r\n`).join('');

beforeAll(async () => {
  await ensureBuilt();
  tenant = await startTenant();
  dir = mkdtempSync(join(tmpdir(), 'ats-e2e-first-hour-'));
  // Excel "CSV UTF-8": BOM, CRLF, a trailing space, a leading one, an empty row, a missing phone.
  writeFileSync(
    join(dir, 'companies.csv'),
    '\uFEFF' +
      crlf([
        'Company Name,Phone,City,Type,Account Manager',
        '"Müller & Söhne GmbH ",+49 89 1234567,München,Lead,morgan.lee@emulator-msp.example',
        '  Zephyr Dental Partners,(312) 555-0199,Chicago,Prospect,priya.natarajan@emulator-msp.example',
        ',,,,',
        'Orbital Freight,,Tacoma,Prospect,jordan.avery@emulator-msp.example',
      ]),
  );
  // HubSpot / Salesforce contacts export: everything quoted, upper-case emails, "Phone Number".
  writeFileSync(
    join(dir, 'contacts.csv'),
    [
      '"First Name","Last Name","Email","Company Name","Phone Number","Account Owner"',
      '"Hannah","Cho","HANNAH.CHO@ZEPHYRDENTAL.EXAMPLE","Zephyr Dental Partners","312.555.0198","Priya Natarajan"',
      '"Raj","Patel","raj.patel@quillink","Zephyr Dental Partners","+1 617 555 0102",""',
    ].join('\n') + '\n',
  );
  // A German Excel export: Windows-1252, semicolons, decimal commas, dd.mm.yyyy, a date typo.
  writeFileSync(
    join(dir, 'opportunities.csv'),
    Buffer.from(
      crlf([
        'Titel;Firma;Betrag;Kosten;Wahrscheinlichkeit;Startdatum;Abschlussdatum;Verantwortlicher',
        'Firewall-Erneuerung;Müller & Söhne GmbH;12.500,00;8.000,50;60;01.12.2026;31.01.2027;morgan.lee@emulator-msp.example',
        'Backup-Lösung;Zephyr Dental Partners;1.999,99;0;50;01.12.2026;31.13.2026;priya.natarajan@emulator-msp.example',
      ]),
      'latin1',
    ),
  );
}, 300_000);
afterAll(async () => tenant.close());

describe('first steps', () => {
  it('--version prints the package version', async () => {
    const r = await cli(['--version']);
    const { version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(version);
  });

  it('without credentials: plan --json still prints its JSON document, and stderr says each thing once', async () => {
    writeFileSync(
      join(dir, 'bare.yaml'),
      'version: 1\nsyncs:\n  - { name: c, object: Company, source: { type: csv, path: companies.csv }, fields: { companyName: Company Name } }\n',
    );
    const r = await cli(['plan', '--config', 'bare.yaml', '--json'], {});
    expect(r.code).toBe(2);
    expect(jsonOf(r)).toMatchObject({ ok: false, exitCode: 2, error: { code: 'CONFIG_INVALID' } });
    expect(r.stderr).toContain('error [CONFIG_INVALID]: the Autotask connection is not configured\n');
    expect(r.stderr.match(/AUTOTASK_INTEGRATION_CODE is not set/g)).toHaveLength(1);
    expect(r.stderr.match(/AUTOTASK_TOKEN \(base64 of username:secret\) is not set/g)).toHaveLength(1);
  });

  it('a refused secret: plan and run --json print the JSON document too (exit 3)', async () => {
    for (const command of ['plan', 'run']) {
      const r = await cli([command, '--config', 'bare.yaml', '--json'], {
        ...tenant.env,
        AUTOTASK_SECRET: 'not-the-secret-1',
      });
      expect(r.code).toBe(3);
      expect(jsonOf(r)).toMatchObject({
        ok: false,
        exitCode: 3,
        error: { code: 'AUTOTASK_AUTHENTICATION_FAILED' },
      });
    }
  });
});

describe('init on real exports', () => {
  it('maps HubSpot and German headers, proposes the decimal comma, and skips the credentials step when they work', async () => {
    const r = await cli(INIT_EXAMPLES);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('not UTF-8'); // the BOM file is UTF-8
    expect(r.stdout).toMatch(/Phone Number\s+phone\s+synonym/);
    expect(r.stdout).not.toContain('put AUTOTASK_TOKEN');
    expect(r.stdout).toContain('1. autotask-sync check --config sync.config.yaml');
    const text = readFileSync(join(dir, 'sync.config.yaml'), 'utf8');
    expect(text).toContain('amount: { column: Betrag, transform: [{ type: number, decimal: "," }]');
    expect(text).toContain('cost: { column: Kosten, transform: [{ type: number, decimal: "," }]');
    expect(text).toContain(
      'projectedCloseDate: { column: Abschlussdatum, transform: [{ type: date, format: DD.MM.YYYY }] }',
    );
    expect(text).toContain('companyID: { column: Firma, ref: Company }');

    const offline = await cli(
      ['init', '--company', 'companies.csv', '--output', 'offline.yaml', '--yes'],
      {},
    );
    expect(offline.code).toBe(0);
    expect(offline.stdout).toContain("Proposed mappings, from Autotask's standard field list; no Autotask");
    expect(offline.stdout).toContain('1. put AUTOTASK_TOKEN');
  });
});

describe('plan, run and show on messy files', () => {
  it('sends names without spreadsheet spaces, explains the refused rows, and finds records by name as written', async () => {
    writeFileSync(
      join(dir, 'companies.yaml'),
      [
        'version: 1',
        'syncs:',
        '  - name: companies',
        '    object: Company',
        '    source: { type: csv, path: companies.csv, encoding: utf-8 }',
        '    fields:',
        '      companyName: Company Name',
        '      phone: Phone',
        '      city: City',
        '      companyType: Type',
        '      ownerResourceID: { column: Account Manager, ref: Resource }',
        '',
      ].join('\n'),
    );
    const run = await cli(['run', '--config', 'companies.yaml']);
    expect(run.code).toBe(1); // Orbital Freight has no phone
    expect(run.stderr).not.toContain('not UTF-8');
    expect(run.stdout).toMatch(
      /Autotask calls used: \d+ · done in [\d.]+ s; some rows were refused \(Problems below\)/,
    );
    expect(run.stdout).toContain(
      'invalid (phone): phone is required to create the record, but column "Phone" is empty',
    );
    const names = [...tenant.emulator.tenant.tables.Companies.scan()].map((c) => c.values['companyName']);
    expect(names).toContain('Müller & Söhne GmbH');
    expect(names).toContain('Zephyr Dental Partners');

    const again = await cli(['run', '--config', 'companies.yaml', '--json']);
    expect(jsonOf(again)['counts']).toMatchObject({ created: 0, updated: 0, unchanged: 2, invalid: 1 });

    const exported = await cli(['export', '--config', 'companies.yaml']);
    expect(exported.code).toBe(2);
    expect(exported.stderr).toContain('e.g. `exports: [{ name: companies-out, object: Company, destination:');

    const show = await cli(['show', 'last', '--config', 'companies.yaml', '--key', 'Müller & Söhne GmbH']);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/companies\.csv:2\s+müller söhne gmbh\s+unchanged/);
  });
});

describe('plan of a company and its contact', () => {
  it('shows the reference to a company the run would create in words, not as id -1', async () => {
    writeFileSync(join(dir, 'new-companies.csv'), 'Name,Phone\nKestrel Dynamics,+1 555 0101\n');
    writeFileSync(
      join(dir, 'new-contacts.csv'),
      'First,Last,Email,Company\nAda,Byron,ada@kestrel.example,Kestrel Dynamics\n',
    );
    writeFileSync(
      join(dir, 'new.yaml'),
      [
        'version: 1',
        'state: new.sqlite',
        'syncs:',
        '  - name: companies',
        '    object: Company',
        '    source: { type: csv, path: new-companies.csv }',
        '    fields:',
        '      companyName: Name',
        '      phone: Phone',
        '      companyType: { value: Prospect }',
        '      ownerResourceID: { value: 29682885 }',
        '  - name: contacts',
        '    object: Contact',
        '    source: { type: csv, path: new-contacts.csv }',
        '    fields: { firstName: First, lastName: Last, emailAddress: Email, companyID: { column: Company, ref: Company } }',
        '',
      ].join('\n'),
    );
    const plan = await cli(['plan', '--config', 'new.yaml']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toContain('companyID=(the record this run creates)');
    expect(plan.stdout).not.toContain('companyID=-1');
  });
});

describe('rejects of several syncs', () => {
  it("says the file mixes their columns, and writes one sync's rows ready to feed back", async () => {
    writeFileSync(
      join(dir, 'two.yaml'),
      [
        'version: 1',
        'state: two.sqlite',
        'syncs:',
        '  - name: companies',
        '    object: Company',
        '    source: { type: csv, path: companies.csv }',
        '    fields:',
        '      companyName: Company Name',
        '      phone: Phone',
        '      companyType: Type',
        '      ownerResourceID: { column: Account Manager, ref: Resource }',
        '  - name: contacts',
        '    object: Contact',
        '    source: { type: csv, path: contacts.csv }',
        '    fields:',
        '      firstName: First Name',
        '      lastName: Last Name',
        '      emailAddress: Email',
        '      companyID: { column: Company Name, ref: Company }',
        '      phone: Phone Number',
        '',
      ].join('\n'),
    );
    expect((await cli(['run', '--config', 'two.yaml'])).code).toBe(1);
    const mixed = await cli(['rejects', 'last', '--config', 'two.yaml', '--csv', 'all.csv']);
    expect(mixed.code).toBe(0);
    // Rows of two syncs: one file per sync, each named, none mixing the two sources' columns.
    expect(mixed.stdout).toContain('written to one file per sync');
    expect(mixed.stdout).toMatch(/all\.contacts\.csv: \d+ rows? of contacts/);
    expect(readFileSync(join(dir, 'all.contacts.csv'), 'utf8').split('\n')[0]).toBe(
      'First Name,Last Name,Email,Company Name,Phone Number,Account Owner,_sync,_action,_reason,_field,_line',
    );
    const one = await cli([
      'rejects',
      'last',
      '--config',
      'two.yaml',
      '--sync',
      'contacts',
      '--csv',
      'c.csv',
    ]);
    expect(one.stdout).not.toContain('one file per sync');
    const text = readFileSync(join(dir, 'c.csv'), 'utf8');
    expect(text.split('\n')[0]).toBe(
      'First Name,Last Name,Email,Company Name,Phone Number,Account Owner,_sync,_action,_reason,_field,_line',
    );
    expect(text).toContain("'+1 617 555 0102"); // guarded for spreadsheets, unguarded when read back
  });
});

describe('demo hints', () => {
  it('say plain `autotask-sync` when it is run directly (npx only under npm run)', async () => {
    const r = await cli(['demo', '--dir', join(dir, 'demo')], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}autotask-sync history --state /m);
  });
});
