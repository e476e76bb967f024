import { describe, expect, it } from 'vitest';

import {
  RequestAuthenticator,
  intakeSignature,
  signedHeaders,
} from '../../../src/intake/http/request-auth.js';
import { ManualClock } from '../../../src/shared/clock.js';

const SECRET = 'unit-test-secret-0123456789';
const body = new TextEncoder().encode('{"a":1}');

function headers(h: Record<string, string>): Headers {
  return new Headers(h);
}

describe('RequestAuthenticator (hmac)', () => {
  const clock = new ManualClock(Date.UTC(2026, 10, 27, 12));
  const auth = (): RequestAuthenticator =>
    new RequestAuthenticator({ type: 'hmac', secret: SECRET, toleranceSeconds: 300 }, clock);

  it('accepts a fresh signature once, and the same body again with another nonce', () => {
    const a = auth();
    const h = headers(signedHeaders(SECRET, '{"a":1}', clock.now()));
    expect(a.verify(h, body)).toEqual({ ok: true });
    expect(a.verify(h, body)).toMatchObject({ ok: false, code: 'REPLAYED' });
    expect(a.verify(headers(signedHeaders(SECRET, '{"a":1}', clock.now(), 'n-1')), body)).toEqual({
      ok: true,
    });
  });

  it('refuses a timestamp outside the tolerance either way, and a missing or wrong signature', () => {
    const a = auth();
    const ts = Math.floor(clock.now() / 1000);
    for (const t of [ts - 301, ts + 301])
      expect(
        a.verify(
          headers({
            'X-Intake-Timestamp': String(t),
            'X-Intake-Signature': intakeSignature(SECRET, t, body),
          }),
          body,
        ),
      ).toMatchObject({ ok: false, code: 'STALE_TIMESTAMP' });
    expect(a.verify(headers({ 'X-Intake-Timestamp': String(ts) }), body)).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(
      a.verify(
        headers({
          'X-Intake-Timestamp': String(ts),
          'X-Intake-Signature': intakeSignature('other-secret-xxxxxxxx', ts, body),
        }),
        body,
      ),
    ).toMatchObject({ code: 'BAD_SIGNATURE' });
    // The nonce is part of what is signed.
    const signed = signedHeaders(SECRET, '{"a":1}', clock.now(), 'n-2');
    expect(a.verify(headers({ ...signed, 'X-Intake-Nonce': 'n-3' }), body)).toMatchObject({
      code: 'BAD_SIGNATURE',
    });
  });
});

describe('RequestAuthenticator (bearer)', () => {
  it('accepts the secret only', () => {
    const a = new RequestAuthenticator({ type: 'bearer', secret: SECRET }, new ManualClock());
    expect(a.verify(headers({ Authorization: `Bearer ${SECRET}` }), body)).toEqual({ ok: true });
    expect(a.verify(headers({ Authorization: `Bearer ${SECRET}x` }), body)).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(a.verify(headers({}), body)).toMatchObject({ ok: false, status: 401 });
  });
});
