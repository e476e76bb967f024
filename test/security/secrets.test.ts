/**
 * Secrets (issue 8 item 5): every CLI command runs (in-process `main()`, with debug logging on) with a
 * known token, secret and integration code; none of them may appear in stdout, stderr (where logs go),
 * the ledger, reject files, exports, generated configurations or the raw bytes of the state database
 * and its WAL. The state folder and files are private (0700 / 0600).
 */
import { readdirSync, readFileSync, statSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { main } from '../../src/cli/main.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { openStateStore } from '../../src/state/sqlite-state-store.js';
import { capturedCliContext } from '../helpers/run-cli-in-process.js';
import { companiesSyncYaml, PROSPECTS_ONE_PHONE } from '../../bench/lib/companies-sync-yaml.js';

const USER = 'canary.user@secret-scan.example';
const SECRET = 'K-canary-S3cret-7f3a9b';
const CODE = 'K-canary-INTEGRATION-51c2';
const TOKEN = Buffer.from(`${USER}:${SECRET}`).toString('base64');
/** Every form a secret could leak in. */
const CANARIES = [SECRET, CODE, TOKEN, Buffer.from(SECRET).toString('base64'), encodeURIComponent(SECRET)];

const CONFIG = `version: 1
state: .autotask-sync/state.sqlite
syncs:
${companiesSyncYaml(PROSPECTS_ONE_PHONE)}
  - name: contacts
    object: Contact
    source: { type: csv, path: contacts.csv }
    fields:
      companyID: { column: Company, ref: Company }
      firstName: First
      lastName: Last
      emailAddress: Email
exports:
  - name: companies-out
    object: Company
    destination: { type: csv, path: out/companies.csv }
  - name: contacts-db
    object: Contact
    destination: { type: sqlite, path: out/contacts.sqlite, table: contacts }
`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('secrets never leave the process', () => {
  let emulator: Emulator;
  let dir: string;
  let baseEnv: Record<string, string>;
  const outputs: { command: string; text: string }[] = [];

  beforeAll(async () => {
    emulator = createEmulator({
      seed: 'empty',
      credentials: { userName: USER, secret: SECRET, integrationCode: CODE },
    });
    const { url } = await emulator.listen({ port: 0 });
    dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    baseEnv = {
      AUTOTASK_TOKEN: TOKEN,
      AUTOTASK_INTEGRATION_CODE: CODE,
      AUTOTASK_URL: url,
      AUTOTASK_SYNC_LOG_LEVEL: 'debug',
      NO_COLOR: '1',
    };
    writeFileSync(join(dir, 'companies.csv'), 'Name\nCanary Co\nCanary Co\n=2+2 Formula Co\n');
    writeFileSync(
      join(dir, 'contacts.csv'),
      `Company,First,Last,Email\nCanary Co,Ann,Bird,ann@canary.example\nNowhere Inc,Bad,Ref,bad@canary.example\n`,
    );
    writeFileSync(join(dir, 'sync.yaml'), CONFIG);
  });

  afterAll(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function cli(
    args: string[],
    env: Record<string, string> = baseEnv,
    options: { stopAfterMs?: number } = {},
  ): Promise<number> {
    const controller = new AbortController();
    const timer =
      options.stopAfterMs === undefined
        ? undefined
        : setTimeout(() => controller.abort(), options.stopAfterMs);
    const { ctx, out, err } = capturedCliContext({ env, cwd: dir, signal: controller.signal });
    try {
      return await main(args, ctx);
    } finally {
      if (timer) clearTimeout(timer);
      outputs.push({ command: args.join(' '), text: `${out()}\n${err()}` });
    }
  }

  it('no command prints, logs or stores the token, secret or integration code', async () => {
    const codes = new Map<string, number>();
    const run = async (args: string[], env?: Record<string, string>, options?: { stopAfterMs?: number }) => {
      const label = args.join(' ');
      codes.set(codes.has(label) ? `${label} (again)` : label, await cli(args, env, options));
    };
    await run(['check', '--verbose', '--json']);
    await run(['check', '--config', 'sync.yaml', '--verbose']);
    await run(['describe', 'Company', '--verbose', '--json']);
    await run([
      'init',
      '--company',
      'companies.csv',
      '--contact',
      'contacts.csv',
      '--output',
      'init.yaml',
      '--yes',
      '--verbose',
    ]);
    await run(['plan', '--config', 'sync.yaml', '--json']);
    await run(['run', '--config', 'sync.yaml', '--rejects', 'rejects.csv']);
    await run(['run', '--config', 'sync.yaml', '--json']);
    await run(['export', '--config', 'sync.yaml']);
    await run(['history', '--config', 'sync.yaml', '--json']);
    await run(['show', 'last', '--config', 'sync.yaml']);
    await run(['rejects', 'last', '--config', 'sync.yaml', '--csv', 'rejects-again.csv']);
    // Username + secret instead of a token, and the failure paths: a wrong secret (401) and a
    // configuration error next to an inline secret.
    const { AUTOTASK_TOKEN: _token, ...withoutToken } = baseEnv;
    const split = { ...withoutToken, AUTOTASK_USERNAME: USER, AUTOTASK_SECRET: SECRET };
    await run(['run', '--config', 'sync.yaml', '--only', 'companies'], split);
    await run(['check', '--verbose'], { ...split, AUTOTASK_SECRET: `${SECRET}-wrong` });
    writeFileSync(
      join(dir, 'broken.yaml'),
      `version: 1\nautotask:\n  secret: ${SECRET}\n  integrationCode: ${CODE}\nsyncs:\n  - name: x\n    object: Widget\n`,
    );
    await run(['plan', '--config', 'broken.yaml'], {});
    // The tools that do not use the connection must not echo the environment's secrets either.
    await run(['emulator', '--port', '0', '--json'], baseEnv, { stopAfterMs: 300 });
    await run(['demo', '--dir', 'demo', '--json'], baseEnv);

    // The commands did their jobs (so their output was worth scanning); none crashed.
    const context = JSON.stringify([...codes]);
    expect(
      [...codes.values()].every((c) => c !== 70),
      context,
    ).toBe(true);
    expect(codes.get('run --config sync.yaml --rejects rejects.csv'), context).toBe(1); // rejects exist
    expect(codes.get('export --config sync.yaml'), context).toBe(0);
    expect(codes.get('show last --config sync.yaml'), context).toBe(0);
    expect(codes.get('check --verbose'), context).toBe(3); // the wrong secret
    expect(codes.get('plan --config broken.yaml'), context).toBe(2);
    expect(codes.get('demo --dir demo --json'), context).toBe(0);
    // Rows of several syncs: one rejects file per sync.
    expect(readFileSync(join(dir, 'rejects.contacts.csv'), 'utf8')).toMatch(/Nowhere Inc/);

    // Control: the captured output is real (the user name, not a secret, is shown).
    expect(outputs.some((o) => o.text.includes(USER))).toBe(true);
    for (const { command, text } of outputs)
      for (const canary of CANARIES)
        expect(text.includes(canary), `output of "${command}" holds a secret`).toBe(false);

    // Files: state database (raw bytes, WAL and SHM too), ledger rows, rejects, exports, generated config.
    const state = openStateStore({ path: join(dir, '.autotask-sync/state.sqlite') });
    try {
      for (const runRecord of state.listRuns({ limit: 100 }))
        for (const e of state.iterateLedger({ runId: runRecord.id })) {
          const row = JSON.stringify(e);
          for (const canary of CANARIES)
            expect(row.includes(canary), `ledger of run ${runRecord.id}`).toBe(false);
        }
    } finally {
      state.close();
    }
    const files = filesUnder(dir).filter((f) => !f.endsWith('broken.yaml'));
    expect(files.some((f) => f.endsWith('state.sqlite'))).toBe(true);
    expect(files.some((f) => /rejects-again(\.[^/]+)?\.csv$/.test(f))).toBe(true);
    expect(files.some((f) => f.endsWith('init.yaml'))).toBe(true);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const canary of CANARIES)
        expect(bytes.includes(Buffer.from(canary)), `${file} holds a secret`).toBe(false);
    }
  }, 240_000);

  it('keeps the state folder and its files private', () => {
    const stateDir = join(dir, '.autotask-sync');
    expect(statSync(stateDir).mode & 0o777).toBe(0o700);
    for (const file of readdirSync(stateDir).filter((f) => f.startsWith('state.sqlite')))
      expect(statSync(join(stateDir, file)).mode & 0o777, file).toBe(0o600);
  });
});
