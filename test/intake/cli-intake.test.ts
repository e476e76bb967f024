/**
 * The CLI's view of the intake queue: `intake list --status dead` (the dead-letter list), `intake show`,
 * `intake retry`, and the queue line of `history` — against a real state database in a temp folder.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { IntakeQueue } from '../../src/intake/queue/intake-queue.js';
import { systemClock } from '../../src/shared/clock.js';
import { type InProcessCliResult, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { FORM_SECRET, formConfigYaml } from './helpers/intake-world.js';

let dir: string;
let deadId: number;
let doneId: number;

const cli = (args: string[]): Promise<InProcessCliResult> =>
  runCliInProcess(args, { env: { PATH: process.env['PATH'] }, cwd: dir });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'intake-cli-'));
  writeFileSync(join(dir, 'intake.yaml'), formConfigYaml());
  const queue = new IntakeQueue({ path: join(dir, '.autotask-sync/state.sqlite'), clock: systemClock });
  try {
    const a = queue.enqueue({
      intake: 'website',
      kind: 'form',
      body: { email: 'a@x.example' },
      dedupeWindowMs: 0,
    });
    const b = queue.enqueue({ intake: 'website', kind: 'form', body: { email: 'bad' }, dedupeWindowMs: 0 });
    doneId = a.item.id;
    deadId = b.item.id;
    queue.claim('website', 10, 60_000);
    queue.settle([
      {
        id: doneId,
        status: 'done',
        outcome: { records: [{ name: 'web-contacts', action: 'created', autotaskId: 7, reason: null }] },
      },
      { id: deadId, status: 'dead', error: 'web-contacts: invalid (emailAddress): not an e-mail address' },
    ]);
  } finally {
    queue.close();
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('intake CLI', () => {
  it('lists the dead-letter list with the reason, shows an item, and never prints the body or a secret', async () => {
    const list = await cli(['intake', 'list', '--config', 'intake.yaml', '--status', 'dead', '--json']);
    expect(list.code).toBe(0);
    const items = JSON.parse(list.out) as { id: number; status: string; lastError: string; body?: unknown }[];
    expect(items.map((i) => i.id)).toEqual([deadId]);
    expect(items[0]?.lastError).toContain('not an e-mail address');
    expect(items[0]?.body).toBeUndefined();

    const text = await cli(['intake', 'list', '--config', 'intake.yaml']);
    expect(text.out).toContain('dead');
    expect(text.out).toContain('web-contacts:created#7');
    expect(text.out + text.err).not.toContain(FORM_SECRET);

    const show = await cli(['intake', 'show', String(doneId), '--config', 'intake.yaml', '--json']);
    expect((JSON.parse(show.out) as { status: string }).status).toBe('done');
    const missing = await cli(['intake', 'show', '999999', '--config', 'intake.yaml']);
    expect(missing.code).toBe(2);
  });

  it('history mentions the dead letters; retry puts them back in the queue', async () => {
    const history = await cli(['history', '--config', 'intake.yaml']);
    expect(history.out).toMatch(/Intake queue \(serve\): 1 done, 1 dead/);
    const retry = await cli(['intake', 'retry', '--config', 'intake.yaml', '--json']);
    expect(JSON.parse(retry.out)).toEqual({ requeued: 1 });
    const queued = await cli(['intake', 'list', '--config', 'intake.yaml', '--status', 'queued', '--json']);
    expect(
      (JSON.parse(queued.out) as { id: number; attempts: number }[]).map((i) => [i.id, i.attempts]),
    ).toEqual([[deadId, 0]]);
  });
});
