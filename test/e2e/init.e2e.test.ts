/**
 * `init` through the built CLI: proposes mappings from CSV headers using the tenant's live metadata
 * (UDFs included) or the standard field list, writes a configuration that `check` accepts and `run`
 * uses, refuses to overwrite, and prints no secret.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { REPO, ensureBuilt, INIT_EXAMPLES, jsonOf, runCli, type CliResult } from './helpers/built-cli.js';
import { assertNoSecret, startTenant, type LoopbackTenant } from './helpers/emulator-tenant.js';

let tenant: LoopbackTenant;
let dir: string;

const cli = async (args: readonly string[], env?: Record<string, string>): Promise<CliResult> => {
  const result = await runCli(args, { cwd: dir, env: env ?? tenant.env });
  assertNoSecret(result.all, tenant.secrets);
  return result;
};

beforeAll(async () => {
  await ensureBuilt();
  tenant = await startTenant();
  dir = mkdtempSync(join(tmpdir(), 'ats-e2e-init-'));
  for (const f of ['companies.csv', 'contacts.csv', 'opportunities.csv'])
    copyFileSync(join(REPO, 'examples', f), join(dir, f));
}, 300_000);
afterAll(async () => tenant.close());

describe('init', () => {
  it('exit 2 without any source', async () => {
    const r = await cli(['init', '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('name at least one source');
  });

  it('proposes mappings from live metadata, writes a config that check accepts and run uses', async () => {
    const r = await cli(INIT_EXAMPLES);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("from the tenant's live metadata");
    expect(r.stdout).toMatch(/E?mail\s+emailAddress\s+required/);
    expect(r.stdout).toContain('Wrote sync.config.yaml');
    const text = readFileSync(join(dir, 'sync.config.yaml'), 'utf8');
    expect(text).toContain('companyName: Name # required');
    expect(text).toContain('ownerResourceID: { column: Account Manager, ref: Resource }');
    expect(text).toContain('udf:CRM ID: CRM ID');
    expect(text).toContain('isActive: { default: 1 }');
    expect(text).toContain('companyType: { column: Type, default: Prospect }');
    expect(text).toContain(
      'projectedCloseDate: { column: Expected Close, transform: [{ type: date, format: DD/MM/YYYY }] }',
    );

    const check = await cli(['check', '--config', 'sync.config.yaml', '--json']);
    expect(jsonOf(check)).toMatchObject({ ok: true, errors: 0 });
    expect(check.code).toBe(0);

    const run = await cli(['run', '--config', 'sync.config.yaml', '--json']);
    const counts = jsonOf(run)['counts'] as Record<string, number>;
    expect(counts).toMatchObject({ invalid: 0, failed: 0, conflict: 0 });
    expect(counts['created']).toBeGreaterThanOrEqual(70);
    expect(run.code).toBe(0);
  });

  it('refuses to overwrite without --force', async () => {
    const r = await cli(['init', '--company', 'companies.csv', '--yes']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('already exists');
    const forced = await cli([
      'init',
      '--company',
      'companies.csv',
      '--yes',
      '--force',
      '--output',
      'sync.config.yaml',
    ]);
    expect(forced.code).toBe(0);
  });

  it('--json describes the proposal; offline it uses the standard field list', async () => {
    const r = await cli(['init', '--contact', 'contacts.csv', '--output', 'offline.yaml', '--json'], {});
    expect(r.code).toBe(0);
    const doc = jsonOf(r);
    expect(doc).toMatchObject({ ok: true, written: true, metadata: 'standard' });
    const sync = (
      doc['syncs'] as { mappings: { column: string; field: string }[]; unmatched: string[] }[]
    )[0];
    expect(sync?.mappings).toEqual(
      expect.arrayContaining([expect.objectContaining({ column: 'Email', field: 'emailAddress' })]),
    );
    expect(sync?.unmatched).toContain('Newsletter');
    expect(existsSync(join(dir, 'offline.yaml'))).toBe(true);
  });

  it('exit 2 for a source it cannot read', async () => {
    const r = await cli(['init', '--company', 'missing.csv', '--yes', '--output', 'x.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing.csv');
  });
});
