/**
 * Secret redaction shared by errors, logs and reports. Credentials are removed both by key (a header
 * or config field called `Secret`, `token`, ...) and by value (the literal secret anywhere in a string).
 */

/** Keys whose values are always secrets, compared case-insensitively. */
export const SECRET_KEYS: readonly string[] = [
  'secret',
  'password',
  'token',
  'apiintegrationcode',
  'integrationcode',
  'authorization',
  'x-hook-signature',
  'secretkey',
];

export const REDACTED = '[REDACTED]';

export function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[_-]/g, '');
  return SECRET_KEYS.some((s) => k === s.replace(/[_-]/g, '') || k.endsWith(s.replace(/[_-]/g, '')));
}

/** Replaces every occurrence of each secret (and its base64 and URL-encoded forms) in `text`. */
export function redactText(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 3) continue;
    for (const form of new Set([
      secret,
      encodeURIComponent(secret),
      Buffer.from(secret).toString('base64'),
    ])) {
      out = out.split(form).join(REDACTED);
    }
  }
  return out;
}

/** Deep copy of `value` with secret keys replaced and secret values removed from strings. */
export function redactValue(value: unknown, secrets: readonly (string | undefined)[] = []): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secrets));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = isSecretKey(k) && v !== undefined && v !== null ? REDACTED : redactValue(v, secrets);
    }
    return out;
  }
  return value;
}
