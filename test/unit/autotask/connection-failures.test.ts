import { createServer } from 'node:net';

import { describe, expect, it } from 'vitest';

import { createAutotaskClient } from '../../../src/autotask/client.js';
import { encodeToken } from '../../../src/autotask/connection-settings.js';
import {
  AutotaskAuthenticationError,
  AutotaskConnectionError,
  AutotaskOutcomeUnknownError,
  AutotaskWrongUrlError,
} from '../../../src/autotask/errors.js';
import { ManualClock } from '../../../src/shared/clock.js';
import {
  connectionRefused,
  connectionReset,
  scriptedFetch,
  type ScriptedAnswer,
} from './support/scripted-fetch.js';

const BASE = 'https://webservices14.autotask.net/ATServicesRest/V1.0/';
const USER = 'api@example.com';
const SECRET = 'Sup3r$ecret-Value';
const CODE = 'INTEGRATIONCODE0123456789AB';

/** A fetch failure the way undici reports a host name DNS does not know. */
function hostNotFound(host: string): { error: unknown } {
  const cause = Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return { error: new TypeError('fetch failed', { cause }) };
}

/** A client over a scripted fetch; `discover` leaves the URL out, `token` gives the user name in a token. */
function setup(answers: ScriptedAnswer[], how: { discover?: boolean; token?: boolean } = {}) {
  const sf = scriptedFetch(answers);
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const client = createAutotaskClient({
    ...(how.token === true ? { token: encodeToken(USER, SECRET) } : { username: USER, secret: SECRET }),
    integrationCode: CODE,
    ...(how.discover === true ? {} : { url: BASE }),
    fetch: sf.fetch,
    clock,
    random: () => 0,
    budget: { reconcileIntervalMs: false },
  });
  return { sf, clock, client };
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

/** A loopback port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('a host name that does not exist', () => {
  it('fails at once, saying it could not connect to the host and that nothing was sent', async () => {
    const { sf, client, clock } = setup([
      hostNotFound('webservices14.autotask.net'),
      { status: 200, json: {} },
    ]);
    const error = await failure(client.companies.get(1));
    expect(error).toBeInstanceOf(AutotaskConnectionError);
    expect(error).toMatchObject({ hostNotFound: true, requestSent: false, disposition: 'abort' });
    expect(sf.log).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
    expect(error.message).toMatch(
      /^Could not connect to webservices14\.autotask\.net \(ENOTFOUND\); nothing was sent/,
    );
    expect(error.message).toMatch(/typo/);
    expect(error.message).toMatch(/proxy/);
    expect(error.message).not.toMatch(/after the request was sent/);
  });

  it('is reported by check() once, without repeating the advice', async () => {
    const { sf, client } = setup([
      hostNotFound('webservices.autotask.net'),
      hostNotFound('webservices14.autotask.net'),
    ]);
    const error = await failure(client.check());
    expect(error).toBeInstanceOf(AutotaskWrongUrlError);
    // The zone cross-check is skipped when discovery is unreachable; Version is asked once.
    expect(sf.lines()).toEqual([
      `GET https://webservices.autotask.net/ATServicesRest/V1.0/zoneInformation?user=${encodeURIComponent(USER)}`,
      `GET ${BASE}Version`,
    ]);
    expect(error.message).toMatch(/^Could not connect to webservices14\.autotask\.net/);
    // The connection error's message as is: no second 'Check the URL and the network' around it.
    expect(error.cause).toBeInstanceOf(AutotaskConnectionError);
    expect(error.message).toBe((error.cause as Error).message);
    expect(error.message.match(/typo/g)).toHaveLength(1);
  });

  it('stops zone discovery at once too', async () => {
    const { sf, client } = setup([hostNotFound('webservices.autotask.net')], { discover: true });
    const error = await failure(client.check());
    expect(error).toBeInstanceOf(AutotaskWrongUrlError);
    expect(sf.log).toHaveLength(1);
    expect(error.message).toMatch(
      /^Zone discovery could not be reached: Could not connect to webservices\.autotask\.net/,
    );
    expect(error.message).toMatch(/set 'url'/);
  });

  it('is not a create whose outcome is unknown: nothing was written', async () => {
    const { sf, client } = setup([hostNotFound('webservices14.autotask.net')]);
    const error = await failure(client.companies.create({ companyName: 'Acme' }));
    expect(error).toBeInstanceOf(AutotaskConnectionError);
    expect(error).not.toBeInstanceOf(AutotaskOutcomeUnknownError);
    expect(sf.log).toHaveLength(1);
  });
});

describe('a refused connection', () => {
  it('is retried (nothing was sent), then says it could not connect, how to fix it, and only once', async () => {
    const { sf, client, clock } = setup(Array.from({ length: 5 }, connectionRefused));
    const error = await failure(client.companies.get(1));
    expect(error).toBeInstanceOf(AutotaskConnectionError);
    expect(error).toMatchObject({ requestSent: false, hostNotFound: false, disposition: 'retry' });
    expect(sf.log).toHaveLength(5);
    expect(clock.sleeps).toEqual([1000, 2000, 4000, 8000]);
    expect(error.message).toMatch(
      /^Could not connect to webservices14\.autotask\.net \(ECONNREFUSED\); nothing was sent/,
    );
    expect(error.message).toMatch(/host and port/);
    expect(error.message).not.toMatch(/broke after/);
    expect(error.message.match(/check/gi)).toHaveLength(1);
  });

  it('lets a create be sent again, since nothing was written', async () => {
    const { sf, client } = setup([connectionRefused(), { status: 200, json: { itemId: 7 } }]);
    expect(await client.companies.create({ companyName: 'Acme' })).toBe(7);
    expect(sf.log).toHaveLength(2);
  });

  it('is told apart on a real loopback port nothing listens on', async () => {
    const port = await closedPort();
    const client = createAutotaskClient({
      username: USER,
      secret: SECRET,
      integrationCode: CODE,
      url: `http://127.0.0.1:${port}/ATServicesRest/`,
      allowInsecureHttp: true,
      retry: { maxAttempts: 1 },
      budget: { reconcileIntervalMs: false },
    });
    const error = await failure(client.companies.get(1));
    expect(error).toMatchObject({ requestSent: false, hostNotFound: false });
    expect(error.message).toContain(`Could not connect to 127.0.0.1:${port} (ECONNREFUSED)`);
  });
});

describe('a port fetch refuses to use', () => {
  it('fails at once with the real fetch, saying nothing was sent and to check the port', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const client = createAutotaskClient({
      username: USER,
      secret: SECRET,
      integrationCode: CODE,
      url: 'http://127.0.0.1:9/ATServicesRest/',
      allowInsecureHttp: true,
      clock,
      budget: { reconcileIntervalMs: false },
    });
    const error = await failure(client.companies.get(1));
    expect(error).toMatchObject({ requestSent: false, disposition: 'abort' });
    expect(clock.sleeps).toEqual([]);
    expect(error.message).toMatch(/^Could not connect to 127\.0\.0\.1:9 \(bad port\); nothing was sent/);
    expect(error.message).toMatch(/check the port in the URL/);
  });
});

describe('a connection that broke after the request was sent', () => {
  it('says so, and a create is not repeated', async () => {
    const { sf, client } = setup([connectionReset()]);
    const error = await failure(client.companies.create({ companyName: 'Acme' }));
    expect(error).toBeInstanceOf(AutotaskOutcomeUnknownError);
    expect(error.message).toMatch(/The connection to webservices14\.autotask\.net broke after POST/);
    expect(sf.log).toHaveLength(1);
  });
});

describe('zone discovery not knowing the user', () => {
  const unknown: ScriptedAnswer = {
    status: 500,
    json: { errors: ['Zone information could not be determined'] },
  };

  it('names the API user name when the user name was given as such', async () => {
    const { client } = setup([unknown], { discover: true });
    const error = await failure(client.check());
    expect(error).toBeInstanceOf(AutotaskAuthenticationError);
    expect((error as AutotaskAuthenticationError).reason).toBe('unknown-user');
    expect(error.message).toContain(`does not know the API user "${USER}"`);
    expect(error.message).toContain('Check the API user name');
    expect(error.message).not.toContain('token');
  });

  it('points into the token when the user name came from one', async () => {
    const { client } = setup([unknown], { discover: true, token: true });
    const error = await failure(client.check());
    expect(error.message).toContain("the part before ':' in the token");
    expect(error.message).not.toContain(SECRET);
  });
});
