/**
 * Refusals over real HTTP: a bad signature, a replayed or stale request, an oversized body, a wrong
 * content type, too many requests; and that a refused request leaves nothing in the queue.
 */
import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { intakeSignature, signedHeaders } from '../../src/intake/http/request-auth.js';
import { createIntakeWorld, FORM_SECRET, formConfigYaml, type IntakeWorld } from './helpers/intake-world.js';

const BEARER_SECRET = 'bearer-intake-secret-0123456789';

let iw: IntakeWorld;
beforeAll(async () => {
  iw = await createIntakeWorld(
    formConfigYaml().replace(
      'intakes:\n',
      `intakes:
  - name: partner
    type: form
    auth: { type: bearer, secret: ${BEARER_SECRET} }
    maxBodyBytes: 1024
    rateLimit: { perMinute: 3 }
    records:
      - name: partner-companies
        object: Company
        fields:
          companyName: company
          phone: { value: '+1 555 0100' }
          companyType: { default: Prospect }
          ownerResourceID: { value: 29682885 }
`,
    ),
  );
}, 60_000);
afterAll(async () => {
  await iw.close();
});

const url = (name: string): string => `${iw.service.origin}/intake/${name}`;
const queued = (): number => iw.service.queue.list({ limit: 10_000 }).length;

async function errorCode(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code;
}

describe('intake authentication and limits', () => {
  it('refuses a bad signature with 401 and queues nothing', async () => {
    const before = queued();
    const raw = JSON.stringify({ company: 'Sig Co', email: 's@sig.example' });
    const headers = signedHeaders('another-secret-of-some-length', raw);
    const res = await fetch(url('website'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: raw,
    });
    expect(res.status).toBe(401);
    expect(await errorCode(res)).toBe('BAD_SIGNATURE');
    // A body changed after signing is refused too.
    const signed = signedHeaders(FORM_SECRET, raw);
    const tampered = await fetch(url('website'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...signed },
      body: raw.replace('Sig Co', 'Evil Co'),
    });
    expect(tampered.status).toBe(401);
    expect(queued()).toBe(before);
  });

  it('refuses a replayed request and a stale timestamp with 401', async () => {
    const raw = JSON.stringify({ company: 'Replay Co', first: 'R', last: 'P', email: 'r@replay.example' });
    const headers = { 'Content-Type': 'application/json', ...signedHeaders(FORM_SECRET, raw) };
    const first = await fetch(url('website'), { method: 'POST', headers, body: raw });
    expect(first.status).toBe(202);
    const before = queued();
    const replay = await fetch(url('website'), { method: 'POST', headers, body: raw });
    expect(replay.status).toBe(401);
    expect(await errorCode(replay)).toBe('REPLAYED');

    const oldTs = Math.floor(Date.now() / 1000) - 3600;
    const stale = await fetch(url('website'), {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Intake-Timestamp': String(oldTs),
        'X-Intake-Signature': intakeSignature(FORM_SECRET, oldTs, raw),
      },
      body: raw,
    });
    expect(stale.status).toBe(401);
    expect(await errorCode(stale)).toBe('STALE_TIMESTAMP');
    expect(queued()).toBe(before);
  });

  it('refuses an oversized body with 413 before reading it all', async () => {
    const before = queued();
    const raw = JSON.stringify({ company: 'Big Co', blob: 'x'.repeat(5000) });
    const res = await fetch(url('partner'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${BEARER_SECRET}` },
      body: raw,
    });
    expect(res.status).toBe(413);
    expect(await errorCode(res)).toBe('BODY_TOO_LARGE');
    // Also when the client streams it without announcing a length.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(raw));
        controller.close();
      },
    });
    const chunked = await fetch(url('partner'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${BEARER_SECRET}` },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    expect(queued()).toBe(before);
  });

  it('takes a bearer secret, refuses a wrong one, a wrong content type, an unknown intake', async () => {
    const noAuth = await fetch(url('partner'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer wrong-secret' },
      body: '{"company":"X"}',
    });
    expect(noAuth.status).toBe(401);
    const textPlain = await fetch(url('website'), {
      method: 'POST',
      headers: {
        'Content-Type': 'text/plain',
        ...signedHeaders(FORM_SECRET, 'company=X', Date.now(), randomUUID()),
      },
      body: 'company=X',
    });
    expect(textPlain.status).toBe(415);
    const unknown = await fetch(url('nope'), { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
  });

  it('answers 429 with Retry-After beyond the rate limit', async () => {
    // `partner` allows 3 a minute per client; earlier tests used some of them.
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res = await fetch(url('partner'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${BEARER_SECRET}` },
        body: JSON.stringify({ company: `Rate Co ${i}` }),
      });
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
      await res.arrayBuffer();
    }
    expect(statuses).toContain(429);
    expect(statuses.at(-1)).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });

  it('shows a submission only to a caller with the intake credentials', async () => {
    const res = await iw.submit({ company: 'Status Co', first: 'S', last: 'T', email: 's@status.example' });
    const { id, statusUrl } = (await res.json()) as { id: number; statusUrl: string };
    expect(statusUrl).toBe(`/intake/website/submissions/${id}`);
    const anonymous = await fetch(`${iw.service.origin}${statusUrl}`);
    expect(anonymous.status).toBe(401);
    // A signed GET of the empty body (may be re-sent).
    const headers = signedHeaders(FORM_SECRET, '');
    for (let i = 0; i < 2; i++) {
      const signed = await fetch(`${iw.service.origin}${statusUrl}`, { headers });
      expect(signed.status).toBe(200);
      const view = (await signed.json()) as { id: number; status: string; body?: unknown };
      expect(view.id).toBe(id);
      expect(view.body).toBeUndefined();
    }
    const other = await fetch(`${iw.service.origin}/intake/partner/submissions/${id}`, {
      headers: { Authorization: `Bearer ${BEARER_SECRET}` },
    });
    expect(other.status).toBe(404);
  });
});
