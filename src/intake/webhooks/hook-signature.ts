/**
 * Autotask's webhook signature (API doc §10): header `X-Hook-Signature: sha1=<base64(HMAC-SHA1(secretKey,
 * rawBody))>`. Autotask escapes some characters as `\uXXXX` before signing, so the signature is checked
 * against the raw bytes received, never against a re-serialised body.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const HOOK_SIGNATURE_HEADER = 'X-Hook-Signature';

/** `sha1=<base64>` for `rawBody` under `secretKey`. */
export function hookSignature(secretKey: string, rawBody: Uint8Array | string): string {
  return `sha1=${createHmac('sha1', secretKey).update(rawBody).digest('base64')}`;
}

/** Whether `header` is the signature of `rawBody` under `secretKey` (constant-time comparison). */
export function verifyHookSignature(
  secretKey: string,
  rawBody: Uint8Array | string,
  header: string | null | undefined,
): boolean {
  if (header === null || header === undefined) return false;
  const expected = Buffer.from(hookSignature(secretKey, rawBody));
  const given = Buffer.from(header.trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}
