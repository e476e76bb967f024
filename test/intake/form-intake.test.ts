/**
 * Web-form intake over real HTTP on loopback: bursts of submissions with duplicates among them land
 * in Autotask (the emulator) exactly once; status is queryable; dead letters are retryable.
 */
import { randomUUID } from 'node:crypto';

import { afterEach, describe, expect, it } from 'vitest';

import { signedHeaders } from '../../src/intake/http/request-auth.js';
import { formIntakeYaml, inParallel } from '../../bench/lib/form-intake-traffic.js';
import { countBy, createIntakeWorld, FORM_SECRET, type IntakeWorld } from './helpers/intake-world.js';

const COMPANIES = 40;
const PEOPLE = 700;

let iw: IntakeWorld | undefined;
afterEach(async () => {
  await iw?.close();
  iw = undefined;
});

function person(i: number): Record<string, unknown> {
  return {
    company: `Burst Co ${i % COMPANIES}`,
    first: `First${i}`,
    last: `Last${i}`,
    email: `p${i}@burst.example`,
  };
}

describe('form intake', () => {
  it('lands 1,000 submissions sent in bursts with duplicates exactly once', async () => {
    iw = await createIntakeWorld();
    const { submit } = iw;
    // 700 people; 150 identical resubmissions (no key), 150 repeats of an Idempotency-Key with a
    // changed body (other people: a key-less copy of a keyed body that changed is a new submission).
    const sends: { body: Record<string, unknown>; headers: Record<string, string> }[] = [];
    for (let i = 0; i < PEOPLE; i++)
      sends.push({ body: person(i), headers: { 'Idempotency-Key': `k-${i}` } });
    for (let i = 0; i < 150; i++) sends.push({ body: person(i * 3), headers: {} });
    for (let i = 0; i < 150; i++)
      sends.push({
        body: { ...person(i * 3 + 1), note: 'retry' },
        headers: { 'Idempotency-Key': `k-${i * 3 + 1}` },
      });
    // Deterministic shuffle, then five bursts.
    for (let i = sends.length - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1);
      [sends[i], sends[j]] = [sends[j]!, sends[i]!];
    }
    expect(sends).toHaveLength(1000);
    const statuses: number[] = [];
    const ids = new Set<number>();
    for (let burst = 0; burst < 5; burst++) {
      const part = sends.slice(burst * 200, burst * 200 + 200);
      const replies = await inParallel(part, 50, async (s) => {
        // A client retries a send that failed on the network (the body dedupes it server-side).
        for (let attempt = 1; ; attempt++) {
          try {
            const res = await submit(s.body, s.headers);
            return { status: res.status, json: (await res.json()) as { id: number } };
          } catch (error) {
            if (attempt >= 3) throw error;
          }
        }
      });
      for (const r of replies) {
        statuses.push(r.status);
        ids.add(r.json.id);
      }
    }
    expect(statuses.every((s) => s === 202 || s === 200)).toBe(true);
    expect(ids.size).toBe(PEOPLE);
    expect(statuses.filter((s) => s === 202).length).toBeLessThanOrEqual(PEOPLE);

    await iw.drain();
    const companies = countBy(iw.world, 'Companies', 'companyName', /^Burst Co /);
    const contacts = countBy(iw.world, 'Contacts', 'emailAddress', /@burst\.example$/);
    expect(companies.size).toBe(COMPANIES);
    expect([...companies.values()].every((n) => n === 1)).toBe(true);
    expect(contacts.size).toBe(PEOPLE);
    expect([...contacts.values()].every((n) => n === 1)).toBe(true);
    const counts = iw.service.queue.counts();
    expect(counts).toEqual([{ intake: 'website', status: 'done', count: PEOPLE }]);

    // Status over HTTP: the item says what became of each record.
    const first = [...ids][0]!;
    const res = await fetch(`${iw.service.origin}/intake/website/submissions/${first}`, {
      headers: { Authorization: `Bearer ${FORM_SECRET}` },
    });
    expect(res.status).toBe(200);
    const view = (await res.json()) as {
      status: string;
      outcome: { records: { name: string; action: string; autotaskId: number }[] };
    };
    expect(view.status).toBe('done');
    expect(view.outcome.records.map((r) => r.name).sort()).toEqual(['web-companies', 'web-contacts']);
    expect(view.outcome.records.every((r) => r.autotaskId > 0)).toBe(true);
  }, 180_000);

  it('accepts form-encoded bodies and upserts a person who submits again with a new phone', async () => {
    iw = await createIntakeWorld(formConfigWithPhone());
    const post = (form: Record<string, string>): Promise<Response> => {
      const raw = new URLSearchParams(form).toString();
      return fetch(`${iw!.service.origin}/intake/website`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          ...signedHeaders(FORM_SECRET, raw, Date.now(), randomUUID()),
        },
        body: raw,
      });
    };
    const a = await post({
      company: 'Form Co',
      first: 'Ada',
      last: 'L',
      email: 'ada@form.example',
      phone: '111',
    });
    expect(a.status).toBe(202);
    await iw.drain();
    const b = await post({
      company: 'Form Co',
      first: 'Ada',
      last: 'L',
      email: 'ada@form.example',
      phone: '222',
    });
    expect(b.status).toBe(202);
    await iw.drain();
    const contacts = [...iw.world.emulator.tenant.tables.Contacts.scan()].filter(
      (r) => r.values['emailAddress'] === 'ada@form.example',
    );
    expect(contacts).toHaveLength(1);
    expect(contacts[0]?.values['phone']).toBe('222');
    const item = iw.service.queue.get(((await b.json()) as { id: number }).id);
    expect(item?.outcome?.records.find((r) => r.name === 'web-contacts')?.action).toBe('updated');
  }, 60_000);

  it('sends an invalid submission to the dead-letter list with its reason, and retries it on request', async () => {
    iw = await createIntakeWorld();
    const res = await iw.submit({ company: 'Dead Co', first: 'No', last: 'Email', email: 'not-an-email' });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: number };
    await iw.drain();
    const item = iw.service.queue.get(id);
    expect(item?.status).toBe('dead');
    expect(item?.lastError).toMatch(/web-contacts: invalid/);
    expect(iw.service.queue.list({ status: 'dead' }).map((i) => i.id)).toEqual([id]);
    expect(iw.service.queue.retryDead('website', [id])).toBe(1);
    expect(iw.service.queue.get(id)?.status).toBe('queued');
  }, 60_000);
});

function formConfigWithPhone(): string {
  return formIntakeYaml({ secret: FORM_SECRET, contactFields: '          phone: phone\n' });
}
