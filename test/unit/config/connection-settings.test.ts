import { describe, expect, expectTypeOf, it } from 'vitest';

import type { AutotaskClientOptions } from '../../../src/autotask/client-types.js';
import {
  describeConnection,
  parseConfig,
  resolveConnectionSettings,
  type AutotaskConnectionSettings,
} from '../../../src/config/index.js';
import { ConfigError } from '../../../src/shared/errors.js';

const token = Buffer.from('api@example.com:s3cr:et').toString('base64');

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveConnectionSettings', () => {
  it('plugs into the Autotask client options', () => {
    expectTypeOf<AutotaskConnectionSettings>().toExtend<Partial<AutotaskClientOptions>>();
  });

  it('decodes AUTOTASK_TOKEN (the secret may hold colons) and applies defaults', () => {
    const settings = resolveConnectionSettings(undefined, {
      AUTOTASK_TOKEN: token,
      AUTOTASK_INTEGRATION_CODE: 'CODE',
    });
    expect(settings).toEqual({
      username: 'api@example.com',
      secret: 's3cr:et',
      integrationCode: 'CODE',
      budget: { share: 0.5 },
      retry: { maxAttempts: 5 },
      timeoutMs: 120_000,
    });
    expect(describeConnection(settings, false)).toEqual({
      username: 'api@example.com',
      url: '(zone discovered from the user name)',
      credentialsFrom: 'environment',
    });
  });

  it('accepts a token wrapped over several lines, as `base64` prints long ones', () => {
    const long = Buffer.from(`${'u'.repeat(40)}@example.com:${'s'.repeat(60)}`).toString('base64');
    const wrapped = long.replace(/(.{76})/g, '$1\n');
    expect(wrapped).toContain('\n');
    expect(
      resolveConnectionSettings(undefined, { AUTOTASK_TOKEN: wrapped, AUTOTASK_INTEGRATION_CODE: 'C' })
        .secret,
    ).toBe('s'.repeat(60));
  });

  it('takes username + secret, URL and impersonation from the environment, settings from the config', () => {
    const { config } = parseConfig(
      'version: 1\nautotask:\n  url: ${AUTOTASK_URL}\n  budget: { share: 0.25 }\n  requests: { timeoutSeconds: 30, maxRetries: 0 }\n',
      { file: '/c.yaml', env: { AUTOTASK_URL: 'https://webservices5.autotask.net/ATServicesRest/' } },
    );
    const settings = resolveConnectionSettings(config.autotask, {
      AUTOTASK_USERNAME: 'u@example.com',
      AUTOTASK_SECRET: 'pw',
      AUTOTASK_INTEGRATION_CODE: 'CODE',
      AUTOTASK_IMPERSONATION_RESOURCE_ID: '29682885',
    });
    expect(settings).toEqual({
      username: 'u@example.com',
      secret: 'pw',
      integrationCode: 'CODE',
      url: 'https://webservices5.autotask.net/ATServicesRest/',
      impersonationResourceId: 29682885,
      budget: { share: 0.25 },
      retry: { maxAttempts: 1 },
      timeoutMs: 30_000,
    });
  });

  it('names every missing piece and where to set it', () => {
    const error = errorOf(() => resolveConnectionSettings(undefined, {}));
    expect(error.issues.map((i) => i.path)).toEqual(['AUTOTASK_TOKEN', 'AUTOTASK_INTEGRATION_CODE']);
    expect(error.message).toMatch(
      /AUTOTASK_TOKEN \(base64 of username:secret\) is not set, nor AUTOTASK_USERNAME \+ AUTOTASK_SECRET/,
    );
    expect(error.message).toMatch(/AUTOTASK_INTEGRATION_CODE is not set: it is the API tracking identifier/);
    const half = errorOf(() =>
      resolveConnectionSettings(undefined, { AUTOTASK_USERNAME: 'u', AUTOTASK_INTEGRATION_CODE: 'C' }),
    );
    expect(half.message).toMatch(/AUTOTASK_SECRET is not set \(AUTOTASK_USERNAME is\)/);
  });

  it('rejects a malformed token, URL or resource id without echoing them', () => {
    const badToken = 'not base64 at all!';
    const error = errorOf(() =>
      resolveConnectionSettings(undefined, {
        AUTOTASK_TOKEN: badToken,
        AUTOTASK_INTEGRATION_CODE: 'C',
        AUTOTASK_URL: 'webservices5.autotask.net',
        AUTOTASK_IMPERSONATION_RESOURCE_ID: 'abc',
      }),
    );
    expect(error.issues.map((i) => i.path)).toEqual([
      'AUTOTASK_TOKEN',
      'AUTOTASK_URL',
      'AUTOTASK_IMPERSONATION_RESOURCE_ID',
    ]);
    expect(error.message).toMatch(/not base64 of "username:secret"/);
    expect(error.message).not.toContain(badToken);
    const noColon = Buffer.from('justauser').toString('base64');
    expect(() =>
      resolveConnectionSettings(undefined, { AUTOTASK_TOKEN: noColon, AUTOTASK_INTEGRATION_CODE: 'C' }),
    ).toThrow(/not base64 of "username:secret"/);
  });

  it('prefers values written in the configuration, and catches a token and user name that disagree', () => {
    const { config } = parseConfig('version: 1\nautotask:\n  integrationCode: ${MY_CODE}\n', {
      file: '/c.yaml',
      env: { MY_CODE: 'FROM-CONFIG' },
    });
    expect(
      resolveConnectionSettings(config.autotask, {
        AUTOTASK_TOKEN: token,
        AUTOTASK_INTEGRATION_CODE: 'FROM-ENV',
      }).integrationCode,
    ).toBe('FROM-CONFIG');
    expect(() =>
      resolveConnectionSettings(undefined, {
        AUTOTASK_TOKEN: token,
        AUTOTASK_USERNAME: 'other@example.com',
        AUTOTASK_INTEGRATION_CODE: 'C',
      }),
    ).toThrow(/name different users/);
  });
});
