/**
 * Durability of `serve`: a child process runs `autotask-sync serve` against an emulator served over
 * HTTP by this process. It is killed with SIGKILL in the middle of a burst of submissions (and of
 * their processing), restarted, and the client re-sends what was not acknowledged. In the end every
 * acknowledged submission is processed and Autotask holds exactly one record per company and person.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  formIntakeYaml,
  inParallel,
  postSignedJson,
  waitForDrain,
} from '../../bench/lib/form-intake-traffic.js';
import { emulatorEnv } from '../../bench/lib/bench-emulator.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { IntakeQueue } from '../../src/intake/queue/intake-queue.js';
import { systemClock } from '../../src/shared/clock.js';
import { spawnCliFromSource } from '../helpers/cli-child-process.js';
import { countRecords } from '../helpers/count-records.js';
import { FORM_SECRET } from './helpers/intake-world.js';

const PEOPLE = 300;
const COMPANIES = 30;
const KILLS = 3;
/**
 * The settle period: a submission whose create was in flight at a kill and is not in Autotask is held
 * back (retried) for this long after the request left, never created twice; the intake's retries
 * (about 3–6 s in all) outlast it.
 */
const CONFIG = `${formIntakeYaml({
  secret: FORM_SECRET,
  intakeSettings: `    rateLimit: { perMinute: 100000 }
    retry: { baseDelaySeconds: 0.05, maxDelaySeconds: 0.5, maxAttempts: 15 }
`,
})}engine: { intentSettleSeconds: 1 }
`;

interface Server {
  child: ChildProcess;
  origin: string;
  exited: Promise<void>;
}

describe('serve killed with SIGKILL mid-burst', () => {
  let emulator: Emulator;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'intake-kill-'));
    emulator = createEmulator({ seed: 'empty', latency: { baseMs: 10 } });
    const { url } = await emulator.listen({ port: 0 });
    env = {
      PATH: process.env['PATH'] ?? '',
      ...emulatorEnv({ url, credentials: emulator.credentials }),
    };
    writeFileSync(join(dir, 'intake.yaml'), CONFIG);
  });

  afterAll(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function startServer(): Promise<Server> {
    return new Promise((resolve, reject) => {
      const child = spawnCliFromSource(['serve', '--config', 'intake.yaml', '--port', '0', '--json'], {
        cwd: dir,
        env,
      });
      let out = '';
      let err = '';
      const exited = new Promise<void>((done) => child.on('exit', () => done()));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const line = out.split('\n')[0];
        if (out.includes('\n') && line !== undefined) {
          try {
            resolve({ child, origin: (JSON.parse(line) as { origin: string }).origin, exited });
          } catch (error) {
            reject(new Error(`unexpected serve output: ${out} ${err} ${String(error)}`));
          }
        }
      });
      child.on('exit', (code) => reject(new Error(`serve exited (${code}) before listening: ${out} ${err}`)));
    });
  }

  const body = (i: number): Record<string, unknown> => ({
    company: `Kill Form Co ${i % COMPANIES}`,
    first: `F${i}`,
    last: `L${i}`,
    email: `k${i}@killform.example`,
  });

  /** Sends one submission; resolves with its id when acknowledged, undefined when the server is gone. */
  async function send(origin: string, i: number): Promise<number | undefined> {
    try {
      const res = await postSignedJson(`${origin}/intake/website`, FORM_SECRET, body(i));
      if (res.status !== 202 && res.status !== 200)
        throw new Error(`status ${res.status}: ${await res.text()}`);
      return ((await res.json()) as { id: number }).id;
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('status')) throw error;
      return undefined;
    }
  }

  it('loses no acknowledged submission and creates no duplicate', async () => {
    const acked = new Map<number, number>(); // person → item id
    const states: string[] = [];
    for (let round = 0; round <= KILLS; round++) {
      const server = await startServer();
      const pending = Array.from({ length: PEOPLE }, (_, i) => i).filter((i) => !acked.has(i));
      // Re-send a few acknowledged ones too: the identical body must map to the same item.
      const resend = [...acked.keys()].slice(0, 10);
      let sent = 0;
      const killAt = round < KILLS ? Math.max(5, Math.floor(pending.length / 3)) : Infinity;
      await inParallel([...resend, ...pending], 10, async (i) => {
        const id = await send(server.origin, i);
        if (id === undefined) return;
        const earlier = acked.get(i);
        if (earlier !== undefined) expect(id).toBe(earlier);
        acked.set(i, id);
        if (++sent === killAt) server.child.kill('SIGKILL');
      });
      if (round < KILLS) {
        server.child.kill('SIGKILL');
        await server.exited;
        const queue = new IntakeQueue({ path: join(dir, '.autotask-sync/state.sqlite'), clock: systemClock });
        try {
          // Every acknowledged submission is in the queue after the kill, whatever its state.
          for (const id of acked.values()) expect(queue.get(id), `item ${id}`).toBeDefined();
          states.push(JSON.stringify(Object.fromEntries(queue.counts().map((c) => [c.status, c.count]))));
        } finally {
          queue.close();
        }
        continue;
      }
      // Final round: everything acknowledged; wait until the queue is drained, then stop.
      expect(acked.size).toBe(PEOPLE);
      const queue = new IntakeQueue({ path: join(dir, '.autotask-sync/state.sqlite'), clock: systemClock });
      try {
        await waitForDrain(queue, { timeoutMs: 120_000, pollMs: 100 });
        for (const id of acked.values()) expect(queue.get(id)?.status, `item ${id}`).toBe('done');
      } finally {
        queue.close();
      }
      server.child.kill('SIGTERM');
      await server.exited;
    }
    const count = (entity: 'Companies' | 'Contacts', field: string, re: RegExp): Map<string, number> =>
      countRecords(emulator, entity, field, re);
    console.log(`queue after each kill: ${states.join(' | ')}`);
    const companies = count('Companies', 'companyName', /^Kill Form Co /);
    const contacts = count('Contacts', 'emailAddress', /@killform\.example$/);
    expect(companies.size).toBe(COMPANIES);
    expect([...companies.values()].every((n) => n === 1)).toBe(true);
    expect(contacts.size).toBe(PEOPLE);
    expect([...contacts.values()].every((n) => n === 1)).toBe(true);
  }, 300_000);
});
