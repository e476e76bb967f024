/**
 * `show` displays the dedupe key of an invalid row when its sync's mapping gives one from the source
 * row alone (the engine stops before keying such a row, so the ledger has none).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
  dir = mkdtempSync(join(tmpdir(), 'cli-show-invalid-key-'));
  writeFileSync(
    join(dir, 'companies.csv'),
    csv(
      ['Name', 'Phone'],
      [
        ['Good Phone Ltd', '+1 555 0101'],
        ['Long Phone, Inc.', '1'.repeat(40)],
        ['', '+1 555 0102'],
      ],
    ),
  );
  writeFileSync(
    join(dir, 'sync.config.yaml'),
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
`,
  );
});

afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (...args: string[]): Promise<InProcessCliResult> => runCliInProcess(args, { env, cwd: dir });

describe('show, for an invalid row', () => {
  it('shows the key its mapping gives the row, and none where there is none to give', async () => {
    expect((await cli('run', '--config', 'sync.config.yaml')).code).toBe(1);
    const show = await cli('show', 'last', '--action', 'invalid');
    expect(show.code).toBe(0);
    const line3 = show.out.split('\n').find((l) => l.includes('companies.csv:3'));
    expect(line3).toMatch(/companies\.csv:3\s+long phone inc\s+invalid/);
    const line4 = show.out.split('\n').find((l) => l.includes('companies.csv:4'));
    expect(line4).toMatch(/companies\.csv:4\s+invalid/);

    const json = JSON.parse((await cli('show', 'last', '--action', 'invalid', '--json')).out) as {
      entries: { location: string; key: string | null; computedKey?: string }[];
    };
    const entry = json.entries.find((e) => e.location.endsWith(':3'));
    expect(entry).toMatchObject({ key: null, computedKey: 'long phone inc' });
    expect(json.entries.find((e) => e.location.endsWith(':4'))).not.toHaveProperty('computedKey');
  });

  it('shows no computed key with --state alone (the mapping is unknown)', async () => {
    const show = await cli('show', 'last', '--action', 'invalid', '--state', 'state.sqlite');
    expect(show.out).not.toContain('long phone inc');
  });
});
