/**
 * A whole working session through the built CLI against a loopback emulator: plan, run (with a bad
 * row), run again (nothing to do), export, then history, show and rejects — every one with `--json`
 * and its exit code, and no secret in any output.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { REPO, ensureBuilt, jsonOf, runCli, type CliResult } from './helpers/built-cli.js';
import { assertNoSecret, startTenant, type LoopbackTenant } from './helpers/emulator-tenant.js';

let tenant: LoopbackTenant;
let dir: string;

const cli = async (args: string[], env?: Record<string, string>): Promise<CliResult> => {
  const result = await runCli(args, { cwd: dir, env: env ?? tenant.env });
  assertNoSecret(result.all, tenant.secrets);
  return result;
};

beforeAll(async () => {
  await ensureBuilt();
  tenant = await startTenant();
  dir = mkdtempSync(join(tmpdir(), 'ats-e2e-runs-'));
  for (const f of ['companies.csv', 'opportunities.csv'])
    copyFileSync(join(REPO, 'examples', f), join(dir, f));
  // Contacts with two bad rows: a company that exists nowhere, and a formula in a name.
  const contacts = readFileSync(join(REPO, 'examples', 'contacts.csv'), 'utf8')
    .trimEnd()
    .split('\n');
  contacts.push('No Such Company Ltd,Nia,Ghost,nia.ghost@nowhere.example,CEO,,,Yes');
  contacts.push('Acme Dental Group,=HYPERLINK("http://x"),Evil,,Spy,,,No');
  writeFileSync(join(dir, 'contacts.csv'), `${contacts.join('\n')}\n`);
  const config = readFileSync(join(REPO, 'examples', 'sync.config.yaml'), 'utf8')
    .replace('state: ../.autotask-sync/example-state.sqlite', 'state: state/state.sqlite')
    .replace('path: ../.autotask-sync/export/companies.csv', 'path: out/companies.csv');
  writeFileSync(join(dir, 'sync.config.yaml'), config);
}, 300_000);
afterAll(async () => tenant.close());

describe('a working session', () => {
  it('history before any run: exit 2 and a hint to run first', async () => {
    const r = await cli(['history']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing has run with this configuration yet');
  });

  it('plan writes nothing and reports the cost', async () => {
    const before = tenant.emulator.tenant.tables.Contacts.size();
    const r = await cli(['plan', '--config', 'sync.config.yaml', '--json']);
    const doc = jsonOf(r);
    expect(doc['mode']).toBe('plan');
    expect(doc['estimatedCalls']).toBeGreaterThan(70);
    expect(tenant.emulator.tenant.tables.Contacts.size()).toBe(before);
  });

  it('run: creates the records, holds back the bad rows, exit 1', async () => {
    const r = await cli(['run', '--config', 'sync.config.yaml', '--json']);
    expect(r.code).toBe(1);
    const doc = jsonOf(r);
    expect(doc).toMatchObject({ mode: 'run', status: 'partial' });
    expect((doc['counts'] as Record<string, number>)['created']).toBeGreaterThanOrEqual(70);
    expect((doc['counts'] as Record<string, number>)['invalid']).toBeGreaterThanOrEqual(1);
  });

  it('run again: nothing is created, no write call is made', async () => {
    const r = await cli(['run', '--config', 'sync.config.yaml', '--json']);
    const counts = jsonOf(r)['counts'] as Record<string, number>;
    expect(counts['created']).toBe(0);
    expect(counts['updated']).toBe(0);
    expect(counts['unchanged']).toBeGreaterThanOrEqual(70);
  });

  it('export writes the CSV', async () => {
    const r = await cli(['export', '--config', 'sync.config.yaml', '--json']);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'out', 'companies.csv'), 'utf8')).toContain('Bluewater Logistics');
  });

  it('history lists the runs with counts and calls', async () => {
    const r = await cli(['history']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\s*1\s+plan\s+/m);
    expect(r.stdout).toMatch(/^\s*2\s+run\s+partial\s+.*\d+ created/m);
    const doc = jsonOf(await cli(['history', '--json', '--mode', 'run']));
    const runs = doc['runs'] as {
      id: number;
      mode: string;
      apiCalls: number;
      counts: Record<string, number>;
    }[];
    expect(runs.map((x) => x.id)).toEqual([3, 2]);
    expect(runs[1]?.apiCalls).toBeGreaterThan(70);
    expect(runs[0]?.counts['unchanged']).toBeGreaterThanOrEqual(70);
  });

  it('show: per-record outcomes, filtered by action and key', async () => {
    const r = await cli(['show', '2', '--action', 'invalid,failed']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('contacts.csv:42');
    expect(r.stdout).not.toMatch(/\bcreated\s+\d+/);
    const doc = jsonOf(await cli(['show', '2', '--key', 'bluewater logistics', '--json']));
    expect(doc['total']).toBe(1);
    expect((doc['entries'] as { action: string }[])[0]?.action).toBe('created');
    const last = jsonOf(await cli(['show', 'last', '--json', '--limit', '2']));
    expect((last['run'] as { id: number }).id).toBe(3);
    expect(last['entries']).toHaveLength(2);
  });

  it('show: an unknown run is exit 2', async () => {
    const r = await cli(['show', '99']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('run 99 does not exist');
  });

  it('rejects: lists the bad rows with reasons, and --csv writes them spreadsheet-safe', async () => {
    const r = await cli(['rejects', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/contacts\.csv:42\s+\w+/);
    const doc = jsonOf(await cli(['rejects', '2', '--json']));
    const rows = doc['rejects'] as { location: string; reason: string; row: Record<string, string> }[];
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.find((x) => x.location.endsWith(':42'))?.row['Company']).toBe('No Such Company Ltd');
    const csv = await cli(['rejects', '2', '--csv', 'rejects.csv', '--json']);
    expect(jsonOf(csv)['rows']).toBe(rows.length);
    const text = readFileSync(join(dir, 'rejects.csv'), 'utf8');
    expect(text.split('\n')[0]).toContain('_reason');
    expect(text).toContain(`'=HYPERLINK`);
    // The bad rows are still bad on the next run: they are reported again, not forgotten.
    const again = await cli(['rejects', 'last']);
    expect(again.stdout).toMatch(/contacts\.csv:42/);
  });
});
