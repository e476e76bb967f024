/**
 * `run`, `plan` and `export` read `sync.config.yaml` in the working folder when `--config` is not
 * given, as `history`, `show` and `rejects` do, and say so in their human output.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { emulatorEnv } from '../../../bench/lib/bench-emulator.js';
import { createEmulator, type Emulator } from '../../../src/emulator/index.js';
import { csv, OWNER_EMAIL } from '../../engine/helpers/engine-world.js';
import { runCliInProcess, type InProcessCliResult } from '../../helpers/run-cli-in-process.js';

let emulator: Emulator;
let dir: string;
let empty: string;
let env: Record<string, string>;

beforeAll(async () => {
  emulator = createEmulator({ seed: 'empty' });
  const { url } = await emulator.listen({ port: 0 });
  env = emulatorEnv({ url, credentials: emulator.credentials });
  dir = mkdtempSync(join(tmpdir(), 'cli-config-default-'));
  empty = join(dir, 'empty');
  mkdirSync(empty);
  writeFileSync(join(dir, 'companies.csv'), csv(['Name', 'Phone'], [['Acme Default Ltd', '+1 555 0101']]));
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

const cli = (cwd: string, ...args: string[]): Promise<InProcessCliResult> =>
  runCliInProcess(args, { env, cwd });

describe('without --config', () => {
  it('plan reads sync.config.yaml and says so; --json keeps stdout and stderr clean', async () => {
    const plan = await cli(dir, 'plan');
    expect(plan.code).toBe(0);
    expect(plan.err).toContain('using sync.config.yaml (no --config given)');
    expect(plan.out).toMatch(/companies/);
    const json = await cli(dir, 'plan', '--json');
    expect(JSON.parse(json.out)).toMatchObject({ mode: 'plan', created: 1 });
    expect(json.err).toBe('');
  });

  it('run reads sync.config.yaml, and history finds the run in the same state', async () => {
    const run = await cli(dir, 'run', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ mode: 'run', created: 1 });
    const history = await cli(dir, 'history', '--json');
    expect(history.out).toContain('"mode":"run"');
  });

  it('export reads sync.config.yaml (which has no exports: the error names it)', async () => {
    const r = await cli(dir, 'export');
    expect(r.code).toBe(2);
    expect(r.err).toContain('using sync.config.yaml (no --config given)');
    expect(r.err).toMatch(/sync\.config\.yaml has no exports/);
  });

  it.each(['run', 'plan', 'export'])(
    '%s with no sync.config.yaml here says how to write one or name one',
    async (command) => {
      const r = await cli(empty, command);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`no --config given and there is no sync.config.yaml in ${empty}`);
      expect(r.err).toContain('autotask-sync init');
      expect(r.err).toContain('--config FILE');
    },
  );

  it('--config still names another file, without the notice', async () => {
    writeFileSync(join(dir, 'other.yaml'), 'version: 1\nstate: other.sqlite\nsyncs: []\n');
    const r = await cli(dir, 'plan', '--config', 'other.yaml');
    expect(r.err).not.toContain('using sync.config.yaml');
  });
});
