/**
 * Crash safety (issue 4 item 11): a child process runs `autotask-sync run` against an emulator served
 * over HTTP by this process; it is killed with SIGKILL at random moments, restarted, and in the end
 * Autotask holds exactly one record per source record, every time.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { csv, OWNER_ID } from './helpers/engine-world.js';

const ENTRY = fileURLToPath(new URL('./helpers/cli-entry.ts', import.meta.url));
/** tsx's loader by absolute URL: the child runs in a temp folder, outside this package. */
const TSX = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
const COMPANIES = 40;
const CONTACTS = 80;
const KILLS = 6;

/** Small deterministic PRNG (mulberry32), so a failure can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('kill -9 at random moments, then resume', () => {
  let emulator: Emulator;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kill-test-'));
    // Writes take a little time, so that kills land in the middle of the load.
    emulator = createEmulator({
      seed: 'empty',
      dataFile: join(dir, 'tenant.sqlite'),
      hourlyLimit: 1_000_000, // the test is about kills, not the hour's budget
      latency: { baseMs: 20 },
    });
    const { url } = await emulator.listen({ port: 0 });
    env = {
      PATH: process.env['PATH'] ?? '',
      AUTOTASK_USERNAME: emulator.credentials.userName,
      AUTOTASK_SECRET: emulator.credentials.secret,
      AUTOTASK_INTEGRATION_CODE: emulator.credentials.integrationCode,
      AUTOTASK_URL: url,
    };
    writeFileSync(
      join(dir, 'companies.csv'),
      csv(
        ['Name'],
        Array.from({ length: COMPANIES }, (_, i) => [`Kill Co ${i}`]),
      ),
    );
    writeFileSync(
      join(dir, 'contacts.csv'),
      csv(
        ['Company', 'First', 'Last', 'Email'],
        Array.from({ length: CONTACTS }, (_, i) => [
          `Kill Co ${i % COMPANIES}`,
          `F${i}`,
          `L${i}`,
          `k${i}@kill.example`,
        ]),
      ),
    );
    writeFileSync(
      join(dir, 'sync.yaml'),
      `version: 1
syncs:
  - name: companies
    object: Company
    source: { type: csv, path: companies.csv }
    fields:
      companyName: Name
      phone: { value: '+1 555 0100' }
      companyType: { default: Prospect }
      ownerResourceID: { value: ${OWNER_ID} }
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

  /**
   * Runs the CLI; with `killAfterMs`, kills it that long after its first create reached the emulator
   * (so that kills land in the middle of the load, not during start-up).
   */
  function runCli(
    killAfterMs: number | undefined,
  ): Promise<{ code: number | null; killed: boolean; out: string }> {
    const createsBefore = emulator.stats().byOperation['create'] ?? 0;
    return new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--import', TSX, ENTRY, 'run', '--config', 'sync.yaml', '--json'],
        {
          cwd: dir,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (out += c.toString()));
      let killed = false;
      let timer: NodeJS.Timeout | undefined;
      const poll =
        killAfterMs === undefined
          ? undefined
          : setInterval(() => {
              if ((emulator.stats().byOperation['create'] ?? 0) === createsBefore) return;
              clearInterval(poll);
              timer = setTimeout(() => {
                killed = child.kill('SIGKILL');
              }, killAfterMs);
            }, 5);
      child.on('error', reject);
      child.on('exit', (code) => {
        if (poll) clearInterval(poll);
        if (timer) clearTimeout(timer);
        resolve({ code, killed, out });
      });
    });
  }

  const count = (
    entity: 'Companies' | 'Contacts',
    field: string,
    prefixOrDomain: RegExp,
  ): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const r of emulator.tenant.tables[entity].scan()) {
      const raw = r.values[field];
      const v = typeof raw === 'string' ? raw : '';
      if (prefixOrDomain.test(v)) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    return counts;
  };

  it('leaves exactly one Autotask record per source record', async () => {
    const seed = Number(process.env['KILL_TEST_SEED'] ?? Date.now() % 100_000);
    const random = prng(seed);
    const kills: number[] = [];
    let progress: number[] = [];
    for (let i = 0; i < KILLS; i++) {
      const delay = Math.round(random() * 700);
      const result = await runCli(delay);
      kills.push(delay);
      progress.push(
        count('Companies', 'companyName', /^Kill Co /).size +
          count('Contacts', 'emailAddress', /@kill\.example$/).size,
      );
      if (!result.killed) break; // it finished before the kill: the rest is the final run's job
    }
    const final = await runCli(undefined);
    expect(final.code, `seed ${seed}, kills ${kills.join(',')}: ${final.out}`).toBe(0);
    const summary = JSON.parse(final.out.trim().split('\n').pop() ?? '{}') as Record<string, number>;
    expect(summary['failed']).toBe(0);

    const companies = count('Companies', 'companyName', /^Kill Co /);
    const contacts = count('Contacts', 'emailAddress', /@kill\.example$/);
    const context = `seed ${seed}, kills after ${kills.join(', ')} ms, records after each: ${progress.join(', ')}`;
    console.log(`kill test: ${context}`);
    expect(companies.size, context).toBe(COMPANIES);
    expect(
      [...companies.values()].every((n) => n === 1),
      context,
    ).toBe(true);
    expect(contacts.size, context).toBe(CONTACTS);
    expect(
      [...contacts.values()].every((n) => n === 1),
      context,
    ).toBe(true);
    progress = [];
  }, 120_000);
});
