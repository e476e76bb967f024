import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  encodeToken,
  normaliseRestUrl,
  parseToken,
  resolveCredentials,
} from '../../../src/autotask/connection-settings.js';
import { ConfigError } from '../../../src/shared/errors.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const hasControl = (s: string) => [...s].some((c) => c.charCodeAt(0) < 0x20);

describe('parseToken', () => {
  it.each([
    [b64('api@example.com:s3cr3t'), 'api@example.com', 's3cr3t'],
    [`  ${b64('api@example.com:s3cr3t')}\n`, 'api@example.com', 's3cr3t'],
    [b64('api@example.com:pa:ss:word'), 'api@example.com', 'pa:ss:word'],
    [
      b64(`averyveryverylongusername@averyveryverylongdomain.example.com:${'s'.repeat(40)}`).replace(
        /(.{76})/g,
        '$1\n',
      ),
      'averyveryverylongusername@averyveryverylongdomain.example.com',
      's'.repeat(40),
    ],
    [b64('api@example.com:secret\n'), 'api@example.com', 'secret'],
    [b64('api@example.com:ü-secret').replace(/=+$/, ''), 'api@example.com', 'ü-secret'],
    [b64('api@example.com:s?>s').replace(/\+/g, '-').replace(/\//g, '_'), 'api@example.com', 's?>s'],
  ])('decodes %j', (token, username, secret) => {
    expect(parseToken(token)).toEqual({ username, secret });
  });

  it.each([
    ['', /empty/],
    ['api@example.com:secret', /plain "username:secret".*base64/],
    ['not base64!!', /not base64/],
    [b64('no-colon-here'), /without a ":"/],
    [b64(':secret'), /username .* is empty/],
    [b64('api@example.com:'), /secret .* is empty for user "api@example.com"/],
    ['A', /wrong length/],
    [Buffer.from([0xff, 0xfe, 0x00, 0x41]).toString('base64'), /not UTF-8|binary/],
    [b64('\u0001\u0002:\u0003'), /binary/],
  ])('rejects %j saying what is wrong', (token, message) => {
    let error: unknown;
    try {
      parseToken(token);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as ConfigError).issues[0]?.path).toBe('token');
  });

  it('never repeats the secret in its errors', () => {
    expect(() => parseToken('user:hunter2-secret')).toThrow(ConfigError);
    try {
      parseToken('user:hunter2-secret');
    } catch (e) {
      expect(JSON.stringify(e)).not.toContain('hunter2');
      expect((e as Error).message).not.toContain('hunter2');
    }
  });

  it('round-trips any username without ":" and any secret (property)', () => {
    fc.assert(
      fc.property(
        fc
          .string({ minLength: 1 })
          .filter((u) => !u.includes(':') && u.trim() === u && u.trim() !== '' && !hasControl(u)),
        fc.string({ minLength: 1 }).filter((s) => !hasControl(s)),
        (username, secret) => {
          expect(parseToken(encodeToken(username, secret))).toEqual({ username, secret });
        },
      ),
    );
  });
});

describe('resolveCredentials', () => {
  it('takes username and secret from the token', () => {
    expect(resolveCredentials({ token: encodeToken('u@x.com', 'sec'), integrationCode: 'CODE' })).toEqual({
      username: 'u@x.com',
      secret: 'sec',
      integrationCode: 'CODE',
    });
  });
  it('lists every missing setting', () => {
    try {
      resolveCredentials({});
      expect.unreachable();
    } catch (e) {
      expect((e as ConfigError).issues.map((i) => i.path)).toEqual(['username', 'secret', 'integrationCode']);
    }
  });
  it('refuses a token and a username that disagree', () => {
    expect(() =>
      resolveCredentials({ token: encodeToken('a@x.com', 's'), username: 'b@x.com', integrationCode: 'C' }),
    ).toThrow(/token is for user "a@x.com" but username is "b@x.com"/);
  });
});

describe('normaliseRestUrl', () => {
  const base = 'https://webservices14.autotask.net/ATServicesRest/V1.0/';
  it.each([
    'https://webservices14.autotask.net/ATServicesRest/',
    'https://webservices14.autotask.net/ATServicesRest',
    'https://webservices14.autotask.net/atservicesrest/v1.0',
    'https://webservices14.autotask.net/ATServicesRest/V1.0/',
    'https://WEBSERVICES14.autotask.net/ATSERVICESREST/V1.0/Companies/query',
    'webservices14.autotask.net',
    'https://webservices14.autotask.net',
    'https://webservices14.autotask.net/atservices/1.6/atws.wsdl',
    'https://webservices14.autotask.net/ATServices/1.6/atws.asmx',
    'https://webservices14.autotask.net/atservices/1.5/atws.asmx',
  ])('maps %s to the zone REST base', (input) => {
    expect(normaliseRestUrl(input)).toEqual({ origin: 'https://webservices14.autotask.net', apiBase: base });
  });

  it('keeps a reverse-proxy prefix and a loopback http origin', () => {
    expect(normaliseRestUrl('http://127.0.0.1:8080/proxy/ATServicesRest/V1.0')).toEqual({
      origin: 'http://127.0.0.1:8080',
      apiBase: 'http://127.0.0.1:8080/proxy/ATServicesRest/V1.0/',
    });
  });

  it.each([
    ['', /empty/],
    ['http://webservices14.autotask.net/ATServicesRest/', /plain http/],
    ['ftp://webservices14.autotask.net/', /scheme ftp: is not http/],
    ['https://ww14.autotask.net/Autotask/', /web UI address.*webservices14/],
    ['https://webservices14.autotask.net/ATServicesRest/V2.0/', /version V2.0 is not supported/],
    ['https://webservices14.autotask.net/ATServicesRest/Companies', /expected a version/],
    ['https://webservices14.autotask.net/api/v1', /no \/ATServicesRest\/ segment/],
    ['https://webservices14.autotask.net/atservices/1.6/other.asmx', /SOAP URL/],
    ['https://user:pw@webservices14.autotask.net/ATServicesRest/', /contains credentials/],
    ['https://webservices14.autotask.net/ATServicesRest/?foo=1', /query string/],
    ['http://[::1', /not a URL/],
  ])('rejects %j', (input, message) => {
    expect(() => normaliseRestUrl(input)).toThrow(message);
  });

  it('allows insecure http when asked', () => {
    expect(
      normaliseRestUrl('http://emulator:8080/ATServicesRest/', { allowInsecureHttp: true }).apiBase,
    ).toBe('http://emulator:8080/ATServicesRest/V1.0/');
  });
});
