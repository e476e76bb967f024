import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { emulatorEnv } from '../../bench/lib/bench-emulator.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { type InProcessCliResult, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { csv, OWNER_EMAIL } from './helpers/engine-world.js';

describe('autotask-sync run / plan', () => {
  let emulator: Emulator;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    emulator = createEmulator({ seed: 'empty' });
    const { url } = await emulator.listen({ port: 0 });
    dir = mkdtempSync(join(tmpdir(), 'cli-run-'));
    env = emulatorEnv({ url, credentials: emulator.credentials });
    writeFileSync(
      join(dir, 'companies.csv'),
      csv(
        ['Name', 'Phone'],
        [
          ['Acme, Inc.', '+1 555 0101'],
          ['Globex', '+1 555 0102'],
          ['Globex', '+1 555 0199'],
        ],
      ),
    );
    writeFileSync(
      join(dir, 'contacts.csv'),
      csv(
        ['Company', 'First', 'Last', 'Email'],
        [
          ['Acme, Inc.', 'Ada', 'Lovelace', 'ada@acme.example'],
          ['Acme', 'Bob', 'Builder', 'bob@acme.example'],
          ['Acme, Inc.', 'Carol', 'Danvers', 'not-an-email'],
        ],
      ),
    );
    writeFileSync(
      join(dir, 'sync.yaml'),
      `version: 1
state: state/state.sqlite
syncs:
  - name: companies
    object: Account
    source: { type: csv, path: companies.csv }
    fields:
      companyName: Name
      phone: Phone
      companyType: { default: Prospect }
      ownerResourceID: { default: ${OWNER_EMAIL}, ref: Resource }
  - name: contacts
    object: Contact
    source: { type: csv, path: contacts.csv }
    fields:
      companyID: { column: Company, ref: Company }
      firstName: First
      lastName: Last
      emailAddress: Email
`,
    );
  });

  afterAll(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]): Promise<InProcessCliResult> => runCliInProcess(args, { env, cwd: dir });

  it('plans without writing, runs, and re-runs with nothing to do', async () => {
    const plan = await cli('plan', '--config', 'sync.yaml', '--json');
    const planned = JSON.parse(plan.out) as Record<string, unknown>;
    expect(plan.err).toBe('');
    expect(planned).toMatchObject({ mode: 'plan', created: 2, conflict: 2, invalid: 2, failed: 0 });
    expect(planned['estimatedCalls']).toBeGreaterThanOrEqual(2);
    expect(emulator.tenant.tables.Companies.size()).toBe(1); // only the tenant's own company
    expect(plan.code).toBe(1);

    const run = await cli('run', '--config', 'sync.yaml', '--json', '--rejects', 'rejects.csv');
    const summary = JSON.parse(run.out) as Record<string, unknown>;
    // Acme + Ada created; both Globex rows held back; Bob's "Acme" is not the exact name; Carol invalid.
    expect(summary).toMatchObject({
      mode: 'run',
      created: 2,
      updated: 0,
      unchanged: 0,
      conflict: 2,
      invalid: 2,
      failed: 0,
    });
    expect(run.code).toBe(1);
    // Rows of two syncs: one file per sync, each that sync's source columns.
    const companyRejects = readFileSync(join(dir, 'rejects.companies.csv'), 'utf8');
    const rejects = readFileSync(join(dir, 'rejects.contacts.csv'), 'utf8');
    expect(companyRejects).toContain('Globex');
    expect(companyRejects).not.toContain('not-an-email');
    expect(rejects).toContain('not-an-email');
    expect(rejects).toMatch(/No Autotask company is named exactly ""Acme""; closest: ""Acme, Inc.""/);

    const again = await cli('run', '--config', 'sync.yaml');
    expect(again.out).toMatch(/unchanged/);
    expect(again.out).toMatch(/total\s+0\s+0\s+2\s+2\s+2\s+0\s+0/);
    for (const text of [plan.out, plan.err, run.out, run.err, again.out, again.err, rejects, companyRejects])
      expect(text).not.toContain(emulator.credentials.secret);
  });

  it('rejects an unknown --only name as a usage error', async () => {
    const result = await cli('run', '--config', 'sync.yaml', '--only', 'nope');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/No sync is named "nope"/);
  });
});
