/**
 * `create(fields, { onSend })`: the hook the engine uses to mark a write intent sent. It runs just
 * before each attempt is handed to fetch (after the lane slot was taken), once per attempt, and a
 * hook that throws stops the attempt before anything is sent.
 */
import { describe, expect, it } from 'vitest';

import { createAutotaskClient } from '../../../src/autotask/client.js';
import { encodeToken } from '../../../src/autotask/connection-settings.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { scriptedFetch, type ScriptedAnswer } from './support/scripted-fetch.js';

const BASE = 'https://webservices14.autotask.net/ATServicesRest/V1.0/';

function setup(answers: ScriptedAnswer[], threadsPerEntity = 3, signal?: AbortSignal) {
  const sf = scriptedFetch(answers);
  const client = createAutotaskClient({
    token: encodeToken('api@example.com', 'Sup3r$ecret-Value'),
    integrationCode: 'INTEGRATIONCODE0123456789AB',
    url: BASE,
    fetch: sf.fetch,
    clock: new ManualClock(Date.UTC(2026, 0, 1)),
    random: () => 0,
    budget: { reconcileIntervalMs: false },
    threadsPerEntity,
    ...(signal === undefined ? {} : { signal }),
  });
  return { sf, client };
}

describe('create onSend', () => {
  it('runs before each attempt reaches fetch, once per attempt', async () => {
    const { sf, client } = setup([
      { status: 429, json: { errors: ['thread threshold of 3 threads has been exceeded'] } },
      { status: 200, json: { itemId: 7 } },
    ]);
    const seenBySend: number[] = [];
    const id = await client.companies.create(
      { companyName: 'Acme' },
      { onSend: () => seenBySend.push(sf.log.length) },
    );
    expect(id).toBe(7);
    // Each time, fetch had not seen this attempt yet.
    expect(seenBySend).toEqual([0, 1]);
    expect(sf.log).toHaveLength(2);
  });

  it('is not called while the create waits for a free lane', async () => {
    const order: string[] = [];
    let release: (() => void) | undefined;
    const { client } = setup(
      [
        () =>
          new Promise<ScriptedAnswer>((resolve) => {
            order.push('fetch A');
            release = () => resolve({ status: 200, json: { itemId: 1 } });
          }),
        () => {
          order.push('fetch B');
          return { status: 200, json: { itemId: 2 } };
        },
      ],
      1,
    );
    const a = client.companies.create({ companyName: 'A' }, { onSend: () => order.push('send A') });
    const b = client.companies.create({ companyName: 'B' }, { onSend: () => order.push('send B') });
    await expect.poll(() => order.length).toBe(2);
    expect(order).toEqual(['send A', 'fetch A']); // B waits for A's lane slot, not yet sent
    release?.();
    expect(await Promise.all([a, b])).toEqual([1, 2]);
    expect(order).toEqual(['send A', 'fetch A', 'send B', 'fetch B']);
  });

  it('stops the attempt before anything is sent when it throws', async () => {
    const { sf, client } = setup([{ status: 200, json: { itemId: 7 } }]);
    const failure = new Error('state database is read-only');
    await expect(
      client.companies.create(
        { companyName: 'Acme' },
        {
          onSend: () => {
            throw failure;
          },
        },
      ),
    ).rejects.toBe(failure);
    expect(sf.log).toEqual([]);
  });

  it('is not called for a create stopped while it waited for its lane', async () => {
    const order: string[] = [];
    let release: (() => void) | undefined;
    const stop = new AbortController();
    const { sf, client } = setup(
      [
        () =>
          new Promise<ScriptedAnswer>((resolve) => {
            release = () => resolve({ status: 200, json: { itemId: 1 } });
          }),
      ],
      1,
      stop.signal,
    );
    const a = client.companies.create({ companyName: 'A' }, { onSend: () => order.push('send A') });
    const b = client.companies.create({ companyName: 'B' }, { onSend: () => order.push('send B') });
    await expect.poll(() => sf.log.length).toBe(1);
    const reason = new Error('stopped by the user');
    stop.abort(reason);
    release?.();
    await Promise.allSettled([a]);
    await expect(b).rejects.toBe(reason);
    expect(order).toEqual(['send A']);
    expect(sf.log).toHaveLength(1);
  });
});
