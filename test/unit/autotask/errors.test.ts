import { describe, expect, it } from 'vitest';

import {
  AutotaskAuthenticationError,
  AutotaskMethodNotAllowedError,
  AutotaskNotFoundError,
  AutotaskPermissionError,
  AutotaskRateLimitError,
  AutotaskServerError,
  AutotaskThreadLimitError,
  AutotaskValidationError,
  createAutotaskApiError,
  dispositionOf,
  parseErrorMessages,
  parseRetryAfter,
} from '../../../src/autotask/errors.js';

const request = {
  method: 'POST',
  url: 'https://webservices14.autotask.net/ATServicesRest/V1.0/Companies',
  entity: 'Companies',
};
const errors = (...m: string[]) => JSON.stringify({ errors: m });
const html404 =
  '<!DOCTYPE html><html><head><title>404 - File or directory not found.</title></head><body></body></html>';

describe('createAutotaskApiError (one factory, status + body)', () => {
  it.each([
    [401, '', AutotaskAuthenticationError, 'AUTOTASK_AUTHENTICATION_FAILED', 'abort', []],
    [
      500,
      errors('IntegrationCode is invalid.'),
      AutotaskAuthenticationError,
      'AUTOTASK_AUTHENTICATION_FAILED',
      'abort',
      ['IntegrationCode is invalid.'],
    ],
    [
      500,
      errors('Zone information could not be determined'),
      AutotaskAuthenticationError,
      'AUTOTASK_AUTHENTICATION_FAILED',
      'abort',
      ['Zone information could not be determined'],
    ],
    [403, '', AutotaskPermissionError, 'AUTOTASK_PERMISSION_DENIED', 'abort', []],
    [
      500,
      errors('The logged in Resource does not have the adequate permissions to update this entity type.'),
      AutotaskPermissionError,
      'AUTOTASK_PERMISSION_DENIED',
      'abort',
      ['The logged in Resource does not have the adequate permissions to update this entity type.'],
    ],
    [
      500,
      errors('The field companyName is required.'),
      AutotaskValidationError,
      'AUTOTASK_VALIDATION_FAILED',
      'skip',
      ['The field companyName is required.'],
    ],
    [
      500,
      errors('Unable to find foo in the Company Entity.', 'second'),
      AutotaskValidationError,
      'AUTOTASK_VALIDATION_FAILED',
      'skip',
      ['Unable to find foo in the Company Entity.', 'second'],
    ],
    [
      400,
      JSON.stringify({ errors: [{ message: 'bad', field: 'x' }] }),
      AutotaskValidationError,
      'AUTOTASK_VALIDATION_FAILED',
      'skip',
      ['bad'],
    ],
    [404, '', AutotaskNotFoundError, 'AUTOTASK_NOT_FOUND', 'skip', []],
    [
      404,
      html404,
      AutotaskNotFoundError,
      'AUTOTASK_NOT_FOUND',
      'abort',
      ['404 - File or directory not found.'],
    ],
    [
      405,
      JSON.stringify({ Message: "The requested resource does not support http method 'GET'." }),
      AutotaskMethodNotAllowedError,
      'AUTOTASK_METHOD_NOT_ALLOWED',
      'abort',
      ["The requested resource does not support http method 'GET'."],
    ],
    [
      429,
      errors('The Autotask API thread threshold of 3 threads has been exceeded.'),
      AutotaskThreadLimitError,
      'AUTOTASK_THREAD_LIMIT',
      'retry',
      ['The Autotask API thread threshold of 3 threads has been exceeded.'],
    ],
    [
      500,
      errors('Itgenatr005: thread threshold exceeded'),
      AutotaskThreadLimitError,
      'AUTOTASK_THREAD_LIMIT',
      'retry',
      ['Itgenatr005: thread threshold exceeded'],
    ],
    [
      429,
      errors('The external request threshold of 10000 requests per 60 minutes has been exceeded.'),
      AutotaskRateLimitError,
      'AUTOTASK_RATE_LIMITED',
      'retry',
      ['The external request threshold of 10000 requests per 60 minutes has been exceeded.'],
    ],
    [429, '', AutotaskRateLimitError, 'AUTOTASK_RATE_LIMITED', 'retry', []],
    [
      500,
      errors(
        'An unexpected error has occurred.  If the problem persists, please contact Autotask Support and reference Error ID: 1166',
      ),
      AutotaskServerError,
      'AUTOTASK_SERVER_ERROR',
      'retry',
      [
        'An unexpected error has occurred.  If the problem persists, please contact Autotask Support and reference Error ID: 1166',
      ],
    ],
    [500, '', AutotaskServerError, 'AUTOTASK_SERVER_ERROR', 'retry', []],
    [
      502,
      '<html><head><title>Bad Gateway</title></head></html>',
      AutotaskServerError,
      'AUTOTASK_SERVER_ERROR',
      'retry',
      ['Bad Gateway'],
    ],
    [
      503,
      'Service Unavailable',
      AutotaskServerError,
      'AUTOTASK_SERVER_ERROR',
      'retry',
      ['Service Unavailable'],
    ],
  ])('%i %s → %o', (status, bodyText, cls, code, disposition, messages) => {
    const e = createAutotaskApiError({ status, bodyText, request });
    expect(e).toBeInstanceOf(cls);
    expect(e.code).toBe(code);
    expect(e.disposition).toBe(disposition);
    expect(dispositionOf(e)).toBe(disposition);
    expect(e.errors).toEqual(messages);
    expect(e.status).toBe(status);
    expect(e.message).toContain('Companies');
    expect(e.toJSON().details).toMatchObject({ status, method: 'POST', entity: 'Companies' });
  });

  it('keeps Autotask messages verbatim in the message', () => {
    const e = createAutotaskApiError({
      status: 500,
      bodyText: errors('The field Phone is required.'),
      request,
    });
    expect(e.message).toContain('The field Phone is required.');
  });

  it('lists the likely causes of an empty 401', () => {
    const e = createAutotaskApiError({ status: 401, bodyText: '', request }) as AutotaskAuthenticationError;
    expect(e.reason).toBe('rejected');
    expect(e.likelyCauses).toContain('wrong secret');
    expect(e.likelyCauses).toContain('user is not an API-only user');
  });

  it('carries Retry-After for throttling', () => {
    const e = createAutotaskApiError({
      status: 429,
      bodyText: '',
      request,
      retryAfterMs: 3000,
    }) as AutotaskRateLimitError;
    expect(e.retryAfterMs).toBe(3000);
  });

  it('treats anything that is not a client error as abort', () => {
    expect(dispositionOf(new Error('bug'))).toBe('abort');
  });
});

describe('parseErrorMessages / parseRetryAfter', () => {
  it('reads each envelope', () => {
    expect(parseErrorMessages('')).toEqual({ messages: [], html: false, structured: false });
    expect(parseErrorMessages('{"Message":"m"}')).toEqual({ messages: ['m'], html: false, structured: true });
    expect(parseErrorMessages('"just a string"')).toEqual({
      messages: ['just a string'],
      html: false,
      structured: true,
    });
    expect(parseErrorMessages('plain text')).toEqual({
      messages: ['plain text'],
      html: false,
      structured: false,
    });
    expect(parseErrorMessages(html404).html).toBe(true);
  });
  it('parses seconds and dates, ignoring nonsense', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter(new Date(now + 10_000).toUTCString(), now)).toBe(10_000);
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('99999', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
