/**
 * Authentication of form intakes: a bearer secret, or a timestamped HMAC signature that can be used
 * once. The HMAC scheme (like Stripe's and Slack's): `X-Intake-Timestamp: <unix seconds>` and
 * `X-Intake-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`; a caller that may
 * send one body twice within a second adds `X-Intake-Nonce: <random>` and signs
 * `"<timestamp>.<nonce>.<raw body>"`. A request whose
 * timestamp is outside the tolerance, or whose signature was already accepted within it, is refused:
 * a captured request cannot be replayed.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

import type { Clock } from '../../shared/clock.js';
import type { IntakeAuthSpec } from '../intake-config-schema.js';

export const TIMESTAMP_HEADER = 'X-Intake-Timestamp';
export const SIGNATURE_HEADER = 'X-Intake-Signature';
export const NONCE_HEADER = 'X-Intake-Nonce';

export type AuthResult =
  | { ok: true }
  | {
      ok: false;
      status: 401;
      code: 'UNAUTHENTICATED' | 'BAD_SIGNATURE' | 'STALE_TIMESTAMP' | 'REPLAYED';
      message: string;
    };

/** The signature header value a caller sends for `rawBody` at `timestamp` (unix seconds). */
export function intakeSignature(
  secret: string,
  timestamp: number | string,
  rawBody: Uint8Array | string,
  nonce?: string,
): string {
  const prefix = nonce === undefined || nonce === '' ? `${timestamp}.` : `${timestamp}.${nonce}.`;
  const mac = createHmac('sha256', secret).update(prefix).update(rawBody).digest('hex');
  return `sha256=${mac}`;
}

/** Headers a caller sends to an HMAC intake (used by tests, the bench and docs). */
export function signedHeaders(
  secret: string,
  rawBody: string,
  nowMs: number = Date.now(),
  nonce?: string,
): Record<string, string> {
  const ts = Math.floor(nowMs / 1000);
  return {
    [TIMESTAMP_HEADER]: String(ts),
    [SIGNATURE_HEADER]: intakeSignature(secret, ts, rawBody, nonce),
    ...(nonce === undefined ? {} : { [NONCE_HEADER]: nonce }),
  };
}

/** Constant-time comparison of two secrets. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Verifies requests of one intake; remembers accepted signatures for the tolerance window. */
export class RequestAuthenticator {
  /** Digest of an accepted signature → when it may be forgotten. */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly spec: IntakeAuthSpec,
    private readonly clock: Clock,
  ) {}

  verify(headers: Headers, rawBody: Uint8Array): AuthResult {
    if (this.spec.type === 'bearer') {
      const header = headers.get('authorization') ?? '';
      const match = /^Bearer\s+(.+)$/i.exec(header.trim());
      if (match?.[1] === undefined || !safeEqual(match[1], this.spec.secret))
        return {
          ok: false,
          status: 401,
          code: 'UNAUTHENTICATED',
          message: 'send `Authorization: Bearer <the intake secret>`',
        };
      return { ok: true };
    }
    const tsText = headers.get(TIMESTAMP_HEADER) ?? '';
    const signature = headers.get(SIGNATURE_HEADER) ?? '';
    if (!/^\d{1,12}$/.test(tsText) || signature === '')
      return {
        ok: false,
        status: 401,
        code: 'UNAUTHENTICATED',
        message: `send ${TIMESTAMP_HEADER} (unix seconds) and ${SIGNATURE_HEADER} (sha256=<hex HMAC>)`,
      };
    const nonce = headers.get(NONCE_HEADER)?.trim() ?? '';
    if (nonce.length > 200)
      return {
        ok: false,
        status: 401,
        code: 'UNAUTHENTICATED',
        message: `${NONCE_HEADER} is longer than 200 characters`,
      };
    if (!safeEqual(signature.trim(), intakeSignature(this.spec.secret, tsText, rawBody, nonce)))
      return {
        ok: false,
        status: 401,
        code: 'BAD_SIGNATURE',
        message: `${SIGNATURE_HEADER} does not match: sign "<timestamp>.<raw body>" with HMAC-SHA256 and the intake secret`,
      };
    const now = this.clock.now();
    const toleranceMs = this.spec.toleranceSeconds * 1000;
    if (Math.abs(now - Number(tsText) * 1000) > toleranceMs)
      return {
        ok: false,
        status: 401,
        code: 'STALE_TIMESTAMP',
        message: `${TIMESTAMP_HEADER} is more than ${this.spec.toleranceSeconds} s from the server's time: sign each request when it is sent`,
      };
    this.forgetOld(now);
    const digest = createHash('sha256').update(signature.trim()).digest('base64');
    if (this.seen.has(digest))
      return {
        ok: false,
        status: 401,
        code: 'REPLAYED',
        message:
          'this signed request was already received: sign each request anew (same body → same submission)',
      };
    this.seen.set(digest, now + 2 * toleranceMs);
    return { ok: true };
  }

  private forgetOld(now: number): void {
    if (this.seen.size < 1024) return;
    for (const [digest, until] of this.seen) if (until < now) this.seen.delete(digest);
  }
}
