import { describe, expect, it } from 'vitest';

import { parseSubmission, readLimitedBody } from '../../../src/intake/http/read-body.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('parseSubmission', () => {
  it('reads a JSON object and refuses other JSON', () => {
    expect(parseSubmission('application/json; charset=utf-8', bytes('{"a":1,"b":"x"}'))).toEqual({
      ok: true,
      fields: { a: 1, b: 'x' },
    });
    expect(parseSubmission('application/json', bytes('[1]'))).toMatchObject({ ok: false, status: 400 });
    expect(parseSubmission('application/json', bytes('{oops'))).toMatchObject({
      ok: false,
      status: 400,
      code: 'BAD_JSON',
    });
  });

  it('reads form encoding, joining repeated fields', () => {
    expect(
      parseSubmission('application/x-www-form-urlencoded', bytes('name=J%C3%B6rg+M&topic=a&topic=b')),
    ).toEqual({
      ok: true,
      fields: { name: 'Jörg M', topic: 'a, b' },
    });
  });

  it('refuses other content types with 415', () => {
    expect(parseSubmission('multipart/form-data; boundary=x', bytes(''))).toMatchObject({
      ok: false,
      status: 415,
    });
    expect(parseSubmission(null, bytes('{}'))).toMatchObject({ ok: false, status: 415 });
  });
});

describe('readLimitedBody', () => {
  it('returns the bytes within the limit and 413 beyond it', async () => {
    const req = (body: string): Request => new Request('http://x/', { method: 'POST', body });
    const ok = await readLimitedBody(req('12345'), 5);
    expect(ok.ok && Buffer.from(ok.raw).toString()).toBe('12345');
    expect(await readLimitedBody(req('123456'), 5)).toMatchObject({ ok: false, status: 413 });
  });
});
