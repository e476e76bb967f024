/**
 * The README's quickstart on a fresh copy: `npm run demo` in a folder holding only what a clone has
 * after `npm ci` (package.json, bin/, the built dist/, examples/, node_modules/), run twice — the
 * second run creates nothing — then `--reset` starts over. Also the `emulator` command's lifecycle.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { DEFAULT_API_USER, createEmulator } from '../../src/emulator/index.js';
import { BIN, REPO, ensureBuilt, jsonOf, runCli } from './helpers/built-cli.js';
import { assertNoSecret } from './helpers/emulator-tenant.js';

/** The demo tenant's credentials: the demo sets them in-process and must never print them. */
const DEMO_SECRETS = [
  DEFAULT_API_USER.secret,
  DEFAULT_API_USER.integrationCode,
  Buffer.from(`${DEFAULT_API_USER.userName}:${DEFAULT_API_USER.secret}`).toString('base64'),
];

let copy: string;

beforeAll(async () => {
  await ensureBuilt();
  copy = mkdtempSync(join(tmpdir(), 'ats-e2e-fresh-'));
  for (const entry of ['package.json', 'bin', 'dist', 'examples'])
    cpSync(join(REPO, entry), join(copy, entry), { recursive: true });
  symlinkSync(join(REPO, 'node_modules'), join(copy, 'node_modules'), 'dir');
}, 300_000);

const npmDemo = (extra: string[] = []) =>
  runCli([], {
    cwd: copy,
    env: { npm_config_update_notifier: 'false' },
    command: { file: 'npm', args: ['run', 'demo', ...(extra.length > 0 ? ['--', ...extra] : [])] },
    timeoutMs: 120_000,
  });

function tenantSizes(): Record<string, number> {
  const emulator = createEmulator({ dataFile: join(copy, '.autotask-sync', 'demo', 'tenant.sqlite') });
  try {
    const t = emulator.tenant.tables;
    return {
      companies: t.Companies.size(),
      contacts: t.Contacts.size(),
      opportunities: t.Opportunities.size(),
    };
  } finally {
    void emulator.close();
  }
}

describe('quickstart: npm run demo', () => {
  it('runs the example syncs, then a second run creates nothing, and --reset starts over', async () => {
    const first = await npmDemo();
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/companies\s+Company\s+(\d+)/);
    expect(first.stdout).toMatch(/Autotask API calls used: \d+/);
    // From a clone `autotask-sync` is not on the PATH: the hints say `npx autotask-sync`, which is.
    expect(first.stdout).toContain('npx autotask-sync history --state .autotask-sync/demo/state.sqlite');
    expect(first.stdout).toContain('npx autotask-sync emulator --data .autotask-sync/demo/tenant.sqlite');
    assertNoSecret(first.all, DEMO_SECRETS);
    const created = Number(/contacts\s+Contact\s+(\d+)/.exec(first.stdout)?.[1]);
    expect(created).toBeGreaterThanOrEqual(40);
    const afterFirst = tenantSizes();
    expect(readFileSync(join(copy, '.autotask-sync', 'demo', 'export', 'companies.csv'), 'utf8')).toContain(
      'Bluewater Logistics',
    );

    const second = await npmDemo();
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/companies\s+Company\s+0\s+0\s+20/);
    expect(second.stdout).toMatch(/contacts\s+Contact\s+0\s+0\s+40/);
    expect(second.stdout).toContain('nothing was created or changed');
    assertNoSecret(second.all, DEMO_SECRETS);
    expect(tenantSizes()).toEqual(afterFirst);

    const reset = await npmDemo(['--reset', '--json', '--verbose']);
    expect(reset.code).toBe(0);
    expect(reset.stderr).toMatch(/api: POST Companies create → 200/);
    assertNoSecret(reset.all, DEMO_SECRETS);
    const doc = JSON.parse(reset.stdout.slice(reset.stdout.indexOf('{'))) as { counts: { created: number } };
    expect(doc.counts.created).toBeGreaterThanOrEqual(70);
    expect(tenantSizes()).toEqual(afterFirst);
  });

  it('history, show and rejects read the demo state', async () => {
    const history = await runCli(['history', '--state', '.autotask-sync/demo/state.sqlite', '--json'], {
      cwd: copy,
    });
    expect(history.code).toBe(0);
    expect((jsonOf(history)['runs'] as unknown[]).length).toBeGreaterThanOrEqual(2);
    const show = await runCli(['show', 'last', '--state', '.autotask-sync/demo/state.sqlite'], { cwd: copy });
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/companies\.csv:\d+/);
    const rejects = await runCli(
      ['rejects', 'last', '--state', '.autotask-sync/demo/state.sqlite', '--json'],
      {
        cwd: copy,
      },
    );
    expect(rejects.code).toBe(0);
    expect(jsonOf(rejects)['rows']).toBe(0);
  });
});

describe('emulator command', () => {
  it('serves the demo tenant over HTTP and stops cleanly on SIGINT', async () => {
    const child = spawn(
      process.execPath,
      [
        BIN,
        'emulator',
        '--port',
        '0',
        '--json',
        '--data',
        join(copy, '.autotask-sync', 'demo', 'tenant.sqlite'),
      ],
      { cwd: copy, env: { PATH: process.env['PATH'] ?? '' } },
    );
    let out = '';
    const line = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0] ?? '');
      });
      child.on('error', reject);
      child.on('exit', () => reject(new Error(`emulator exited early: ${out}`)));
    });
    const info = JSON.parse(line) as { url: string; records: number };
    expect(info.records).toBeGreaterThanOrEqual(20);
    const version = await fetch(`${info.url}versioninformation`);
    expect(version.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});
