/**
 * `run --rejects FILE` and `rejects --csv FILE` with rejected rows of several syncs: one file per sync
 * (the sync name before the extension), each holding only that sync's source columns, and the
 * command names the files it wrote.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { emulatorEnv } from '../../../bench/lib/bench-emulator.js';
import { createEmulator, type Emulator } from '../../../src/emulator/index.js';
import { csv, OWNER_EMAIL } from '../../engine/helpers/engine-world.js';
import { runCliInProcess, type InProcessCliResult } from '../../helpers/run-cli-in-process.js';

let emulator: Emulator;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  emulator = createEmulator({ seed: 'empty' });
  const { url } = await emulator.listen({ port: 0 });
  env = emulatorEnv({ url, credentials: emulator.credentials });
  dir = mkdtempSync(join(tmpdir(), 'cli-rejects-per-sync-'));
  writeFileSync(
    join(dir, 'companies.csv'),
    csv(
      ['Name', 'Phone'],
      [
        ['Acme Rejects Ltd', '+1 555 0101'],
        ['', '+1 555 0102'],
      ],
    ),
  );
  writeFileSync(
    join(dir, 'contacts.csv'),
    csv(['Company', 'First', 'Last', 'Email'], [['Acme Rejects Ltd', 'Ada', 'L', 'not-an-email']]),
  );
  writeFileSync(
    join(dir, 'sync.yaml'),
    `version: 1
state: state.sqlite
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
const headerOf = (file: string): string => readFileSync(join(dir, file), 'utf8').split('\n')[0] ?? '';

describe('rejects of several syncs', () => {
  it('run --rejects writes one file per sync and names each', async () => {
    const run = await cli('run', '--config', 'sync.yaml', '--rejects', 'out/../rejects.csv');
    expect(run.code).toBe(1);
    expect(existsSync(join(dir, 'rejects.csv'))).toBe(false);
    expect(headerOf('rejects.companies.csv')).toBe('Name,Phone,_sync,_action,_reason,_field,_line');
    expect(headerOf('rejects.contacts.csv')).toBe(
      'Company,First,Last,Email,_sync,_action,_reason,_field,_line',
    );
    expect(run.err).toContain('2 rejected rows written to one file per sync');
    expect(run.err).toContain('rejects.companies.csv: 1 row of companies');
    expect(run.err).toContain('rejects.contacts.csv: 1 row of contacts');
  });

  it('rejects --csv does the same, and --json lists the files', async () => {
    const human = await cli('rejects', 'last', '--config', 'sync.yaml', '--csv', 'all.csv');
    expect(human.code).toBe(0);
    expect(human.out).toContain('2 rejected rows of run');
    expect(human.out).toContain('all.companies.csv: 1 row of companies');
    expect(human.out).toContain('all.contacts.csv: 1 row of contacts');
    expect(existsSync(join(dir, 'all.csv'))).toBe(false);

    const json = await cli('rejects', 'last', '--config', 'sync.yaml', '--csv', 'j.csv', '--json');
    expect(JSON.parse(json.out)).toMatchObject({
      rows: 2,
      files: [
        { sync: 'companies', file: join(dir, 'j.companies.csv'), rows: 1 },
        { sync: 'contacts', file: join(dir, 'j.contacts.csv'), rows: 1 },
      ],
      syncs: ['companies', 'contacts'],
    });
  });

  it('--sync writes the one file as named', async () => {
    const one = await cli('rejects', 'last', '--config', 'sync.yaml', '--sync', 'contacts', '--csv', 'c.csv');
    expect(one.out).toMatch(/^1 rejected row of run \d+ written to c\.csv\n$/);
    expect(headerOf('c.csv')).toBe('Company,First,Last,Email,_sync,_action,_reason,_field,_line');
  });
});
