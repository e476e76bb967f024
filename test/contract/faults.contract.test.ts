/* eslint-disable @typescript-eslint/no-explicit-any --
   the contract suite inspects untyped wire JSON, exactly as a foreign client would */
/**
 * Issue 2, item 9: fault injection for tests — an error rate, 500s that happen after the write was
 * committed (the ambiguous case a client must survive), dropped connections, slow responses and forced
 * 429s (checklist §13 item 26). Emulator only: a sandbox cannot be told to fail.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { createFaultInjector } from '../../src/emulator/faults/index.js';
import { expectErrors, findOwnerResourceId, ok, query, uniqueName } from './helpers/fixtures.js';
import { againstSandbox, emulatorOf, openTarget, send, type ContractTarget } from './helpers/target.js';

const UNEXPECTED =
  /^An unexpected error has occurred\. {2}If the problem persists, please contact Autotask Support and reference Error ID: \d+$/;

let target: ContractTarget;
let owner: number;

describe.skipIf(againstSandbox)('fault injection (emulator)', () => {
  beforeAll(async () => {
    target = await openTarget({ seed: 'demo' });
    owner = await findOwnerResourceId(target);
  });
  afterAll(() => target.close());
  beforeEach(() => {
    const faults = emulatorOf(target).faults;
    faults.clearRules();
    faults.set({ faultRate: 0 });
  });

  const newCompany = (): Record<string, unknown> => ({
    companyName: uniqueName('fault'),
    companyType: 1,
    ownerResourceID: owner,
    phone: '555',
  });
  const companiesNamed = (name: unknown): Promise<any[]> =>
    query(target, 'Companies', [{ op: 'eq', field: 'companyName', value: name }]);

  it('a 500 after commit: the client sees the generic error, but the record exists (once)', async () => {
    emulatorOf(target).faults.addRule({
      match: { method: 'POST', entity: 'Companies' },
      kind: 'error-after-commit',
      times: 1,
    });
    const body = newCompany();
    const r = await target.call('POST', 'V1.0/Companies', { body });
    expect(expectErrors(r, 500)).toEqual([expect.stringMatching(UNEXPECTED)]);
    expect(await companiesNamed(body['companyName'])).toHaveLength(1);
    // the rule was used up: the next create succeeds normally
    expect(ok(await target.call('POST', 'V1.0/Companies', { body: newCompany() }))).toEqual({
      itemId: expect.any(Number),
    });
  });

  it('a 500 before the handler: nothing is written', async () => {
    emulatorOf(target).faults.addRule({
      match: { method: 'POST', entity: 'Companies' },
      kind: 'error-before',
    });
    const body = newCompany();
    expect(expectErrors(await target.call('POST', 'V1.0/Companies', { body }))).toEqual([
      expect.stringMatching(UNEXPECTED),
    ]);
    expect(await companiesNamed(body['companyName'])).toHaveLength(0);
  });

  it('a dropped connection before the handler: fetch rejects and nothing is written', async () => {
    emulatorOf(target).faults.addRule({ match: { entity: 'Companies', isWrite: true }, kind: 'drop-before' });
    const body = newCompany();
    await expect(target.call('POST', 'V1.0/Companies', { body })).rejects.toThrow();
    expect(await companiesNamed(body['companyName'])).toHaveLength(0);
  });

  it('a dropped connection after commit: fetch rejects, yet the update was applied', async () => {
    const id = ok(await target.call('POST', 'V1.0/Companies', { body: newCompany() })).itemId as number;
    emulatorOf(target).faults.addRule({ match: { method: 'PATCH' }, kind: 'drop-after-commit' });
    await expect(target.call('PATCH', 'V1.0/Companies', { body: { id, city: 'Dropped' } })).rejects.toThrow();
    expect(ok(await target.call('GET', `V1.0/Companies/${id}`)).item.city).toBe('Dropped');
  });

  it('forced 429s and the thread message with a 500 status', async () => {
    const faults = emulatorOf(target).faults;
    faults.addRule({ match: { pathContains: '/query' }, kind: 'rate-limit' });
    faults.addRule({ match: { pathContains: '/query' }, kind: 'thread-limit-500' });
    const q = { body: { filter: [{ op: 'gte', field: 'id', value: 0 }] } };
    const [limit] = expectErrors(await target.call('POST', 'V1.0/Companies/query', q), 429);
    expect(limit).toMatch(/threshold/i);
    expect(expectErrors(await target.call('POST', 'V1.0/Companies/query', q), 500)).toEqual([
      'The Autotask API thread threshold of 3 threads has been exceeded.',
    ]);
    ok(await target.call('POST', 'V1.0/Companies/query', q));
  });

  it('slow responses take at least the configured delay', async () => {
    emulatorOf(target).faults.addRule({ match: { method: 'GET' }, kind: 'slow', delayMs: 300 });
    const started = performance.now();
    ok(await target.call('GET', 'V1.0/Companies/0'));
    expect(performance.now() - started).toBeGreaterThanOrEqual(295);
  });

  it('401 and HTML 404 can be forced too', async () => {
    const faults = emulatorOf(target).faults;
    faults.addRule({ kind: 'unauthorized' });
    faults.addRule({ kind: 'not-found-html' });
    const unauthorized = await target.call('GET', 'V1.0/Version');
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.text).toBe('');
    const notFound = await target.call('GET', 'V1.0/Version');
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get('content-type') ?? '').toMatch(/text\/html/);
  });

  it('an error rate faults about that share of requests, and a write under it never half-fails silently', async () => {
    const faults = emulatorOf(target).faults;
    faults.set({ faultRate: 0.5, seed: 11, kinds: ['error-before', 'error-after-commit'] });
    const names: string[] = [];
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const body = newCompany();
      names.push(body['companyName'] as string);
      const r = await target.call('POST', 'V1.0/Companies', { body });
      statuses.push(r.status);
      if (r.status !== 200) expect(r.json.errors[0]).toMatch(UNEXPECTED);
    }
    faults.set({ faultRate: 0 });
    const failed = statuses.filter((s) => s === 500).length;
    expect(failed).toBeGreaterThan(8);
    expect(failed).toBeLessThan(32);
    // every 200 was written; some 500s were written too (after commit), none twice
    for (let i = 0; i < names.length; i++) {
      const found = await companiesNamed(names[i]);
      expect(found.length).toBeLessThanOrEqual(1);
      if (statuses[i] === 200) expect(found).toHaveLength(1);
    }
  });

  it('the same seed gives the same faults (fresh emulators)', async () => {
    const statuses = async (): Promise<number[]> => {
      const t = await openTarget({
        seed: 'empty',
        faults: { faultRate: 0.4, seed: 99, kinds: ['error-before', 'rate-limit'] },
      });
      try {
        const out: number[] = [];
        for (let i = 0; i < 30; i++)
          out.push((await send(t.root, t.credentials, 'GET', 'V1.0/Version')).status);
        return out;
      } finally {
        await t.close();
      }
    };
    const a = await statuses();
    expect(await statuses()).toEqual(a);
    expect(new Set(a)).toEqual(new Set([200, 500, 429]));
    // and it is the injector's own sequence
    const injector = createFaultInjector({ faultRate: 0.4, seed: 99, kinds: ['error-before', 'rate-limit'] });
    const expected = a.map(() =>
      injector.decide({ method: 'GET', path: '/Version', entity: 'Version', isWrite: false }),
    );
    expect(expected.map((d) => (d.kind === 'none' ? 200 : d.kind === 'rate-limit' ? 429 : 500))).toEqual(a);
  });
});
