/**
 * `export` as a user runs it: --verbose call lines (no secret), progress lines off a terminal and bars
 * on one, --prune and the deleted column, the JSON summary with the deletion scan and its calls.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { main } from '../../../src/cli/main.js';
import { createEmulator, type Emulator } from '../../../src/emulator/index.js';
import type { ExportRunSummary } from '../../../src/sync/export/index.js';
import { capturedCliContext, runCliInProcess } from '../../helpers/run-cli-in-process.js';
import { SECRETS } from './export-harness.js';

/** A configuration exporting contacts incrementally to out/mirror.sqlite, with these `deletions` (YAML). */
function contactsMirrorYaml(deletions: string): string {
  return [
    'version: 1',
    'state: state/state.sqlite',
    'exports:',
    '  - name: contacts-db',
    '    object: Contact',
    '    destination: { type: sqlite, path: out/mirror.sqlite, table: contacts }',
    '    incremental: true',
    `    deletions: ${deletions}`,
  ].join('\n');
}

let emulator: Emulator;
let env: Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), 'autotask-sync-export-display-'));

beforeAll(async () => {
  emulator = createEmulator({ seed: 'demo', credentials: SECRETS, records: 30 });
  const { url } = await emulator.listen({ port: 0 });
  env = {
    AUTOTASK_USERNAME: SECRETS.userName,
    AUTOTASK_SECRET: SECRETS.secret,
    AUTOTASK_INTEGRATION_CODE: SECRETS.integrationCode,
    AUTOTASK_URL: url,
  };
  writeFileSync(join(dir, 'autotask-sync.yaml'), contactsMirrorYaml('{ every: 0, action: flag }'));
});
afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[]) => runCliInProcess(args, { cwd: dir, env });
const forms = [
  SECRETS.secret,
  SECRETS.integrationCode,
  Buffer.from(`${SECRETS.userName}:${SECRETS.secret}`).toString('base64'),
];

describe('export display', () => {
  it('--verbose prints each call without secrets, with plain progress lines when stderr is not a terminal', async () => {
    const { code, out, err } = await cli(['export', '--config', 'autotask-sync.yaml', '--verbose']);
    expect(code).toBe(0);
    expect(err).toMatch(/^api: POST Contacts query → 200 in \d+ ms \(budget \d+\/\d+\) http/m);
    expect(err).toMatch(/^api: GET Contacts metadata → 200/m);
    expect(err).toMatch(/^contacts-db\s+export\s+\d+/m);
    expect(err).toMatch(/^contacts-db\s+done\s+\d+/m);
    expect(err).not.toContain('\x1b['); // no cursor movement off a terminal
    for (const form of forms) expect(out + err).not.toContain(form);
    expect(out).toMatch(/^export\s+object\s+mode\s+read\s+written\s+skipped\s+deleted\s+calls/);
    // a full read in flag mode reconciles deletions at no cost
    expect(out).toMatch(/contacts-db\s+Contact\s+full\s+\d+\s+\d+\s+0\s+0 flagged\s+\d+/);
  });

  it('draws bars and the budget gauge on a terminal', async () => {
    const { ctx, err } = capturedCliContext({ cwd: dir, env });
    Object.assign(ctx.stderr, { isTTY: true, columns: 160 });
    const code = await main(['export', '--config', 'autotask-sync.yaml'], ctx);
    expect(code).toBe(0);
    expect(err()).toContain('contacts-db');
    expect(err()).toMatch(/API budget \[/);
    expect(err()).toContain('\x1b['); // redrawn in place
  });

  it('--prune scans the ids, flags the deleted contact and reports the scan and its calls in --json', async () => {
    const table = emulator.tenant.tables.Contacts;
    const goneId = [...table.scan()].at(-1)!.id;
    table.delete(goneId);
    const { code, out, err } = await cli(['export', '--config', 'autotask-sync.yaml', '--prune', '--json']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(out) as ExportRunSummary;
    const [result] = summary.exports;
    expect(result).toMatchObject({
      mode: 'incremental',
      deletions: { trigger: 'requested', action: 'flag', status: 'applied', flagged: 1, apiCalls: 1 },
    });
    expect(summary.apiCalls).toBe(result!.apiCalls);
    const db = new Database(join(dir, 'out/mirror.sqlite'), { readonly: true });
    try {
      expect(db.prepare('SELECT id FROM contacts WHERE deleted_at IS NOT NULL').all()).toEqual([
        { id: goneId },
      ]);
    } finally {
      db.close();
    }
    const table2 = await cli(['export', '--config', 'autotask-sync.yaml', '--prune']);
    expect(table2.out).toMatch(/contacts-db\s+Contact\s+incremental\s+\d+\s+\d+\s+\d+\s+0 flagged\s+\d+/);
    expect(table2.err).toMatch(/contacts-db: deletion scan \(requested\) read \d+ ids in 1 call/);
  });

  it('exits 1 and warns when the safety rail refuses a scan', async () => {
    const table = emulator.tenant.tables.Contacts;
    for (const r of [...table.scan()].slice(0, 12)) table.delete(r.id);
    writeFileSync(join(dir, 'strict.yaml'), contactsMirrorYaml('{ every: 1, action: flag, maxShare: 0.1 }'));
    const { code, out, err } = await cli(['export', '--config', 'strict.yaml']);
    expect(code).toBe(1);
    expect(out).toMatch(/contacts-db\s+Contact\s+incremental.*refused/);
    expect(err).toMatch(
      /warning: contacts-db: deletion scan refused: 12 of \d+ rows would be flagged as deleted/,
    );
  });
});
