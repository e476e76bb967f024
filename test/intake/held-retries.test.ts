/**
 * A submission whose record is held back because an earlier create of it may still land in Autotask
 * (an intent left sent by a crashed batch) waits until the hold ends, without using up a retry
 * attempt: with a short retry setting (2 attempts, 50 ms apart) it used to go to the dead-letter list
 * within a fraction of a second. After the hold it goes through once: one company, one contact.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { formConfigYaml } from './helpers/intake-world.js';
import { postSignedJson, waitForDrain } from '../../bench/lib/form-intake-traffic.js';
import { startIntakeService, type IntakeService } from '../../src/intake/intake-service.js';
import { heldUntilOf } from '../../src/sync/engine/reconcile-intents.js';
import { createEngineWorld, type EngineWorld } from '../engine/helpers/engine-world.js';
import { countRecords } from '../helpers/count-records.js';
import { FORM_SECRET } from './helpers/intake-world.js';

/** Short enough for a test, long enough that the 50 ms retries would use up both attempts within it. */
const SETTLE_MS = 1_500;

let world: EngineWorld | undefined;
let service: IntakeService | undefined;

afterEach(async () => {
  await service?.close();
  await world?.close();
  service = undefined;
  world = undefined;
});

describe('a submission held back by an earlier create that may still land', () => {
  it('waits until the hold ends without counting an attempt, then lands once', async () => {
    world = await createEngineWorld();
    const w = world;
    const yaml = formConfigYaml().replace(
      'retry: { baseDelaySeconds: 0.05, maxDelaySeconds: 0.2, maxAttempts: 5 }',
      'retry: { baseDelaySeconds: 0.05, maxDelaySeconds: 0.05, maxAttempts: 2 }',
    );
    expect(yaml).toContain('maxAttempts: 2');
    const { intakes } = w.config(yaml);

    // A batch that crashed after sending the company's create left its intent pending and sent.
    const crashed = w.state.startRun({ mode: 'run', syncNames: ['web-companies'], configHash: 'x' });
    const [intent] = w.state.recordIntents([
      { runId: crashed.id, sync: 'web-companies', object: 'Company', key: 'held co', payloadHash: 'h' },
    ]);
    if (intent === undefined) throw new Error('intent not recorded');
    const sentAt = w.deps.clock.now();
    w.state.markIntentSent(intent.id, sentAt);

    service = await startIntakeService({
      intakes,
      statePath: w.state.path,
      engine: { client: w.client, state: w.state, clock: w.deps.clock, logger: w.deps.logger },
      engineOptions: { intentSettleMs: SETTLE_MS },
      port: 0,
      worker: { idleMs: 20 },
    });
    const res = await postSignedJson(`${service.origin}/intake/website`, FORM_SECRET, {
      company: 'Held Co',
      first: 'H',
      last: 'B',
      email: 'h@held.example',
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: number };
    const queue = service.queue;

    // Held back: queued again for when the hold ends, the attempt given back.
    await expect.poll(() => queue.get(id)?.lastError ?? '', { timeout: 10_000 }).toMatch(/held back/);
    const waiting = queue.get(id);
    expect(waiting?.status).toBe('queued');
    expect(waiting?.attempts).toBe(0);
    const until = heldUntilOf(waiting?.lastError);
    expect(until).toBeGreaterThanOrEqual(sentAt + SETTLE_MS);
    expect(waiting?.nextAttemptAt).toBe(until);
    expect(countRecords(w.emulator, 'Companies', 'companyName', /^Held Co$/).size).toBe(0);

    // After the hold: the intent is given up (its create never landed) and the submission lands once.
    expect(await waitForDrain(queue, { timeoutMs: 20_000 })).toBe(true);
    const done = queue.get(id);
    expect(done?.status).toBe('done');
    expect(done?.attempts).toBe(1);
    expect(countRecords(w.emulator, 'Companies', 'companyName', /^Held Co$/)).toEqual(
      new Map([['Held Co', 1]]),
    );
    expect(countRecords(w.emulator, 'Contacts', 'emailAddress', /@held\.example$/)).toEqual(
      new Map([['h@held.example', 1]]),
    );
    expect(w.state.listUnresolvedIntents()).toEqual([]);
  }, 30_000);
});
