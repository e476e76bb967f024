/**
 * Retries and dead letters: while Autotask is unreachable, queued submissions wait and are retried with
 * backoff, then land once it is back; a record Autotask keeps refusing goes to the dead-letter list after
 * `retry.maxAttempts` attempts, with the reason.
 */
import { afterEach, describe, expect, it } from 'vitest';

import { countBy, createIntakeWorld, formConfigYaml, type IntakeWorld } from './helpers/intake-world.js';

let iw: IntakeWorld | undefined;
afterEach(async () => {
  await iw?.close();
  iw = undefined;
});

async function until(probe: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('intake retries', () => {
  it('keeps a submission while Autotask is down and lands it once when it is back', async () => {
    iw = await createIntakeWorld();
    const { emulator } = iw.world;
    const rule = emulator.faults.addRule({ kind: 'drop-before', times: null });
    const res = await iw.submit({ company: 'Down Co', first: 'D', last: 'O', email: 'd@down.example' });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: number };
    await until(
      () => (iw?.service.queue.get(id)?.attempts ?? 0) >= 2 && iw?.service.queue.get(id)?.status === 'queued',
    );
    const waiting = iw.service.queue.get(id);
    expect(waiting?.lastError).toBeTruthy();
    expect(waiting?.nextAttemptAt).toBeGreaterThan(waiting?.updatedAt ?? 0);
    emulator.faults.removeRule(rule);
    await iw.drain();
    expect(iw.service.queue.get(id)?.status).toBe('done');
    expect(countBy(iw.world, 'Contacts', 'emailAddress', /@down\.example$/)).toEqual(
      new Map([['d@down.example', 1]]),
    );
    expect(countBy(iw.world, 'Companies', 'companyName', /^Down Co$/)).toEqual(new Map([['Down Co', 1]]));
  }, 60_000);

  it('sends a record Autotask keeps refusing to the dead-letter list after maxAttempts', async () => {
    // A 500 on a create is an unknown outcome: its row is held back (not sent again, no attempt
    // counted) for the settle period. Without one, every attempt sends the contact again.
    iw = await createIntakeWorld(formConfigYaml(), { intentSettleMs: 0 });
    iw.world.emulator.faults.addRule({
      kind: 'error-before',
      times: null,
      match: { pathContains: '/Contacts', isWrite: true },
    });
    const res = await iw.submit({ company: 'Refused Co', first: 'R', last: 'F', email: 'r@refused.example' });
    const { id } = (await res.json()) as { id: number };
    await iw.drain();
    const item = iw.service.queue.get(id);
    expect(item?.status).toBe('dead');
    expect(item?.attempts).toBe(5);
    expect(item?.lastError).toMatch(/^gave up after 5 attempts: web-contacts: failed/);
    // The company part was written once, however many attempts the contact took.
    expect(countBy(iw.world, 'Companies', 'companyName', /^Refused Co$/)).toEqual(
      new Map([['Refused Co', 1]]),
    );
  }, 60_000);
});
