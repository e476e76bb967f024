/**
 * `run --watch` and `run --verbose` through the built CLI against a loopback emulator: passes repeat on
 * the interval until SIGINT, each pass is a run in the history, a later pass finds nothing to do, and
 * the verbose call lines carry no secret.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BIN, REPO, ensureBuilt, jsonOf, runCli } from './helpers/built-cli.js';
import { assertNoSecret, startTenant, type LoopbackTenant } from './helpers/emulator-tenant.js';

let tenant: LoopbackTenant;
let dir: string;

beforeAll(async () => {
  await ensureBuilt();
  tenant = await startTenant();
  dir = mkdtempSync(join(tmpdir(), 'ats-e2e-watch-'));
  copyFileSync(join(REPO, 'examples', 'companies.csv'), join(dir, 'companies.csv'));
  const config = readFileSync(join(REPO, 'examples', 'sync.config.yaml'), 'utf8')
    .replace('state: ../.autotask-sync/example-state.sqlite', 'state: state.sqlite')
    .replace(/\n {2}- name: contacts[\s\S]*$/, '\n');
  writeFileSync(join(dir, 'sync.config.yaml'), config);
}, 300_000);
afterAll(async () => tenant.close());

describe('run --watch', () => {
  it('repeats passes on the interval until SIGINT; the second pass has nothing to do', async () => {
    const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', ...tenant.env };
    const child = spawn(
      process.execPath,
      [BIN, 'run', '--config', 'sync.config.yaml', '--watch', '--interval', '1s', '--json'],
      {
        cwd: dir,
        env,
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no second pass:\n${stderr}`)), 60_000);
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/pass 2: exit 0/.test(stderr)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await closed).toBe(0);
    assertNoSecret(stdout + stderr, tenant.secrets);
    expect(stderr).toMatch(/Watching: a pass every 1\.0 s/);
    expect(stderr).toMatch(/pass 1: exit 0; next pass at \d\d:\d\d UTC/);
    const passes = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { counts: Record<string, number> });
    expect(passes.length).toBeGreaterThanOrEqual(2);
    expect(passes[0]?.counts['created']).toBeGreaterThanOrEqual(19);
    expect(passes[1]?.counts).toMatchObject({ created: 0, updated: 0 });

    const history = jsonOf(await runCli(['history', '--json', '--mode', 'run'], { cwd: dir }));
    expect((history['runs'] as unknown[]).length).toBe(passes.length);
  });

  it('refuses a bad interval with exit 2', async () => {
    const r = await runCli(['run', '--config', 'sync.config.yaml', '--watch', '--interval', 'soon'], {
      cwd: dir,
      env: tenant.env,
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not an interval');
  });
});

describe('run --verbose', () => {
  it('prints each API call without secrets', async () => {
    const r = await runCli(['run', '--config', 'sync.config.yaml', '--verbose'], {
      cwd: dir,
      env: tenant.env,
    });
    assertNoSecret(r.all, tenant.secrets);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/api: POST Companies query → 200/);
  });
});
