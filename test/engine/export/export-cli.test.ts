import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEmulator, type Emulator } from '../../../src/emulator/index.js';
import { runCliInProcess } from '../../helpers/run-cli-in-process.js';
import { SECRETS } from './export-harness.js';

let emulator: Emulator;
let url: string;
const dir = mkdtempSync(join(tmpdir(), 'autotask-sync-export-cli-'));

beforeAll(async () => {
  emulator = createEmulator({ seed: 'demo', credentials: SECRETS });
  url = (await emulator.listen({ port: 0 })).url;
  writeFileSync(
    join(dir, 'autotask-sync.yaml'),
    [
      'version: 1',
      'state: state/state.sqlite',
      'exports:',
      '  - name: companies-out',
      '    object: Account',
      '    destination: { type: csv, path: out/companies.csv }',
      '    incremental: true',
      '  - name: people',
      '    object: Owner',
      '    destination: { type: jsonl, path: out/people.jsonl }',
    ].join('\n'),
  );
});
afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI in `dir` against the emulator, with its credentials (or another secret). */
async function cli(
  args: string[],
  secret: string = SECRETS.secret,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, out, err } = await runCliInProcess(args, {
    cwd: dir,
    env: {
      AUTOTASK_USERNAME: SECRETS.userName,
      AUTOTASK_SECRET: secret,
      AUTOTASK_INTEGRATION_CODE: SECRETS.integrationCode,
      AUTOTASK_URL: url,
    },
  });
  return { code, stdout: out, stderr: err };
}

describe('autotask-sync export', () => {
  it('exports every configured object and prints counts and calls as JSON', async () => {
    const { code, stdout, stderr } = await cli(['export', '--config', 'autotask-sync.yaml', '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as {
      status: string;
      apiCalls: number;
      exports: { name: string; mode: string; written: number }[];
    };
    expect(summary.status).toBe('succeeded');
    expect(summary.exports.map((e) => [e.name, e.mode])).toEqual([
      ['companies-out', 'full'],
      ['people', 'full'],
    ]);
    expect(summary.apiCalls).toBeGreaterThan(0);
    const csvLines = readFileSync(join(dir, 'out/companies.csv'), 'utf8').trim().split('\n');
    expect(csvLines.length - 1).toBe(summary.exports[0]!.written);
    expect(readFileSync(join(dir, 'out/people.jsonl'), 'utf8').trim().split('\n')).toHaveLength(
      summary.exports[1]!.written,
    );
    expect(stdout).not.toContain(SECRETS.secret);
  });

  it('runs incrementally the second time and prints a table; --only and --full select', async () => {
    const second = await cli(['export', '--config', 'autotask-sync.yaml', '--only', 'companies-out']);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^export\s+object\s+mode\s+read\s+written/);
    expect(second.stdout).toMatch(/companies-out\s+Company\s+incremental\s+\d+\s+0\s/);
    expect(second.stdout).not.toContain('people');
    const full = await cli([
      'export',
      '--config',
      'autotask-sync.yaml',
      '--only',
      'companies-out',
      '--full',
      '--json',
    ]);
    expect((JSON.parse(full.stdout) as { exports: { mode: string }[] }).exports[0]!.mode).toBe('full');
  });

  it('rejects an unknown --only name with exit code 2', async () => {
    const { code, stderr } = await cli(['export', '--config', 'autotask-sync.yaml', '--only', 'nope']);
    expect(code).toBe(2);
    expect(stderr).toContain('no export is named "nope"');
  });

  it('exits 3 when the credentials are refused', async () => {
    const { code, stderr: err } = await cli(
      ['export', '--config', 'autotask-sync.yaml'],
      'wrong-secret-value',
    );
    expect(code).toBe(3);
    expect(err).toContain('AUTOTASK_AUTHENTICATION_FAILED');
    expect(err).not.toContain('wrong-secret-value');
  });
});
