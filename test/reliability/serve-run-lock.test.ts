/**
 * `serve` takes the run lock per batch: while another process syncs the same state (here a store with
 * another process's identity holding the lock, as a `run` in a terminal would), a form submission is
 * accepted and queued, its batch is put back without using an attempt and nothing is written to
 * Autotask; once the lock is free the submission lands, once.
 */
import { afterEach, describe, expect, it } from 'vitest';

import type { StateStore } from '../../src/state/index.js';
import { openAsOtherProcess } from '../helpers/other-process-store.js';
import { countBy, createIntakeWorld, type IntakeWorld } from '../intake/helpers/intake-world.js';

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

describe('serve and the run lock', () => {
  let iw: IntakeWorld | undefined;
  let other: StateStore | undefined;
  afterEach(async () => {
    other?.close();
    await iw?.close();
  });

  it('holds a batch back while another process holds the lock, then lands it once', async () => {
    iw = await createIntakeWorld();
    other = openAsOtherProcess(iw.world.state.path);
    const lock = other.acquireRunLock({ command: 'run' });

    const res = await iw.submit({
      company: 'Lock Co',
      first: 'Ada',
      last: 'Lovelace',
      email: 'ada@lock.example',
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: number };
    const deadline = Date.now() + 20_000;
    while (!(iw.service.queue.get(id)?.lastError ?? '').includes('STATE_LOCKED')) {
      if (Date.now() > deadline) throw new Error(`never tried: ${JSON.stringify(iw.service.queue.get(id))}`);
      await sleep(20);
    }
    const held = iw.service.queue.get(id);
    expect(held?.status).toBe('queued');
    expect(held?.attempts).toBe(0);
    expect(held?.lastError).toContain('`run` (pid 4242 on host sync-01)');
    expect(countBy(iw.world, 'Companies', 'companyName', /^Lock Co$/).size).toBe(0);

    lock.release();
    await iw.drain();
    expect(iw.service.queue.get(id)?.status).toBe('done');
    expect(countBy(iw.world, 'Companies', 'companyName', /^Lock Co$/).get('Lock Co')).toBe(1);
    expect(countBy(iw.world, 'Contacts', 'emailAddress', /^ada@lock\.example$/).get('ada@lock.example')).toBe(
      1,
    );
    // the lock was the batch's only while it ran
    expect(other.runLockHolder()).toBeUndefined();
  }, 60_000);
});
