import { describe, expect, it } from 'vitest';

import {
  AutotaskAuthenticationError,
  AutotaskBudgetExhaustedError,
  AutotaskConnectionError,
  AutotaskOutcomeUnknownError,
  AutotaskQueryError,
  AutotaskTimeoutError,
  createAutotaskApiError,
} from '../../../src/autotask/errors.js';
import { backoffDelay, decideRetry, DEFAULT_RETRY, type RequestKind } from '../../../src/autotask/retry.js';

const request = { method: 'POST', url: 'https://h/ATServicesRest/V1.0/Companies', entity: 'Companies' };
const api = (status: number, body = '', retryAfterMs?: number) =>
  createAutotaskApiError({
    status,
    bodyText: body,
    request,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
const thread = () =>
  api(500, JSON.stringify({ errors: ['API thread threshold of 3 threads has been exceeded (Itgenatr005)'] }));
const validation = () => api(500, JSON.stringify({ errors: ['The field Phone is required.'] }));
const refused = () => new AutotaskConnectionError('refused', { request, requestSent: false });
const reset = () => new AutotaskConnectionError('reset', { request, requestSent: true });
const timeout = () => new AutotaskTimeoutError('timeout', { request, timeoutMs: 10 });
const auth = () =>
  new AutotaskAuthenticationError('no', {
    status: 401,
    errors: [],
    request,
    reason: 'rejected',
    likelyCauses: [],
  });
const budget = () => new AutotaskBudgetExhaustedError('spent', { until: 1, used: 1, allowed: 1, limit: 2 });

type Expect = 'retry' | 'throw' | 'unknown';
const table: [string, () => unknown, RequestKind, Expect][] = [
  ['429 read', () => api(429), 'read', 'retry'],
  ['429 create', () => api(429), 'create', 'retry'],
  ['429 update', () => api(429), 'idempotent-write', 'retry'],
  ['thread limit (500 status) read', thread, 'read', 'retry'],
  ['thread limit (500 status) create', thread, 'create', 'retry'],
  ['500 unexpected read', () => api(500), 'read', 'retry'],
  ['500 unexpected update', () => api(500), 'idempotent-write', 'retry'],
  ['500 unexpected create', () => api(500), 'create', 'unknown'],
  ['503 create', () => api(503, 'Service Unavailable'), 'create', 'unknown'],
  ['connection refused read', refused, 'read', 'retry'],
  ['connection refused create', refused, 'create', 'retry'],
  ['connection reset read', reset, 'read', 'retry'],
  ['connection reset create', reset, 'create', 'unknown'],
  ['timeout read', timeout, 'read', 'retry'],
  ['timeout create', timeout, 'create', 'unknown'],
  ['validation read', validation, 'read', 'throw'],
  ['validation create', validation, 'create', 'throw'],
  ['401 read', auth, 'read', 'throw'],
  ['404 read', () => api(404), 'read', 'throw'],
  ['405 read', () => api(405), 'read', 'throw'],
  ['permission update', () => api(403), 'idempotent-write', 'throw'],
  ['budget exhausted', budget, 'read', 'throw'],
  ['query error', () => new AutotaskQueryError('x'), 'read', 'throw'],
  ['unknown bug', () => new TypeError('x'), 'read', 'throw'],
];

describe('decideRetry (table)', () => {
  it.each(table)('%s → %s', (_name, make, kind, expected) => {
    const error = make();
    const d = decideRetry({ error, attempt: 1, kind, options: DEFAULT_RETRY, random: 0 });
    if (expected === 'retry') expect(d).toEqual({ retry: true, delayMs: 1000 });
    else if (expected === 'throw') expect(d).toEqual({ retry: false, error });
    else {
      expect(d.retry).toBe(false);
      const e = (d as { error: unknown }).error;
      expect(e).toBeInstanceOf(AutotaskOutcomeUnknownError);
      expect((e as AutotaskOutcomeUnknownError).code).toBe('AUTOTASK_OUTCOME_UNKNOWN');
      expect((e as Error).cause).toBe(error);
      expect((e as Error).message).toMatch(/look the record up by its key/);
    }
  });

  it('stops after maxAttempts with the last error', () => {
    const error = api(429);
    expect(decideRetry({ error, attempt: 5, kind: 'read', options: DEFAULT_RETRY, random: 0 })).toEqual({
      retry: false,
      error,
    });
    expect(decideRetry({ error, attempt: 4, kind: 'read', options: DEFAULT_RETRY, random: 0 }).retry).toBe(
      true,
    );
  });

  it('honours Retry-After, capped at maxDelayMs', () => {
    expect(
      decideRetry({
        error: api(429, '', 7000),
        attempt: 1,
        kind: 'read',
        options: DEFAULT_RETRY,
        random: 0.9,
      }),
    ).toEqual({
      retry: true,
      delayMs: 7000,
    });
    expect(
      decideRetry({
        error: api(429, '', 600_000),
        attempt: 1,
        kind: 'read',
        options: DEFAULT_RETRY,
        random: 0,
      }),
    ).toEqual({ retry: true, delayMs: 60_000 });
  });
});

describe('backoffDelay', () => {
  it.each([
    [1, 0, 1000],
    [2, 0, 2000],
    [3, 0, 4000],
    [3, 0.5, 3500],
    [3, 0.999, 3001],
    [10, 0, 60_000],
  ])('attempt %i, random %d → %i ms', (attempt, random, expected) => {
    expect(backoffDelay(attempt, DEFAULT_RETRY, random)).toBe(expected);
  });
});
