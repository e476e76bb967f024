import { describe, expect, it } from 'vitest';

import { REDACTED, redactText, redactValue } from '../../../src/shared/redact.js';

describe('redactText', () => {
  it('removes a secret in plain, URL-encoded and base64 form', () => {
    const secret = 's3cr+t/value';
    const text = `a ${secret} b ${encodeURIComponent(secret)} c ${Buffer.from(secret).toString('base64')}`;
    const out = redactText(text, [secret]);
    expect(out).not.toContain(secret);
    expect(out).not.toContain(encodeURIComponent(secret));
    expect(out.split(REDACTED)).toHaveLength(4);
  });
});

describe('redactValue', () => {
  it('replaces secret keys at any depth and keeps other values', () => {
    const out = redactValue({ headers: { Secret: 'x1', UserName: 'u' }, token: 'abc', n: 1 }) as Record<
      string,
      Record<string, unknown>
    >;
    expect(out['headers']?.['Secret']).toBe(REDACTED);
    expect(out['headers']?.['UserName']).toBe('u');
    expect(out['token']).toBe(REDACTED);
    expect(out['n']).toBe(1);
  });
});
