import { describe, expect, it } from 'vitest';

import { createFaultInjector } from '../../../../src/emulator/faults/index.js';
import type { FaultDecision, FaultKind, FaultRequest } from '../../../../src/emulator/faults/index.js';
import { ConfigError } from '../../../../src/shared/errors.js';

const postCompany: FaultRequest = { method: 'POST', entity: 'Companies', path: '/Companies', isWrite: true };
const queryCompanies: FaultRequest = {
  method: 'POST',
  entity: 'Companies',
  path: '/Companies/query',
  isWrite: false,
};
const getContact: FaultRequest = { method: 'GET', entity: 'Contacts', path: '/Contacts/5', isWrite: false };

describe('createFaultInjector', () => {
  it('injects nothing by default', () => {
    const faults = createFaultInjector();
    for (let i = 0; i < 100; i++) expect(faults.decide(postCompany)).toEqual({ kind: 'none', delayMs: 0 });
    expect(faults.stats()).toEqual({ decided: 100, injected: {} });
  });

  it('fails exactly the next N matching writes after commit, then stops', () => {
    const faults = createFaultInjector();
    faults.addRule({ match: { method: 'POST', entity: 'companies' }, kind: 'error-after-commit', times: 2 });
    expect(faults.decide(getContact).kind).toBe('none');
    expect(faults.decide(queryCompanies).kind).toBe('none'); // a query is not a write
    const first = faults.decide(postCompany);
    expect(first).toMatchObject({ kind: 'error-after-commit', timing: 'after-commit', drop: false });
    if (first.kind !== 'error-after-commit') throw new Error('unreachable');
    expect(first.response?.status).toBe(500);
    expect(first.response?.body).toEqual({
      errors: [
        expect.stringMatching(
          /^An unexpected error has occurred\. {2}If the problem persists, please contact Autotask Support and reference Error ID: \d+$/,
        ),
      ],
    });
    expect(faults.decide(postCompany).kind).toBe('error-after-commit');
    expect(faults.decide(postCompany).kind).toBe('none');
    expect(faults.rules()).toEqual([]);
  });

  it('applies rules in order and keeps unlimited rules', () => {
    const faults = createFaultInjector({
      rules: [
        { match: { pathContains: '/query' }, kind: 'slow', delayMs: 1234, times: null },
        { kind: 'drop-before', times: 1 },
      ],
    });
    expect(faults.decide(queryCompanies)).toEqual({ kind: 'slow', delayMs: 1234 });
    expect(faults.decide(getContact)).toMatchObject({
      kind: 'drop-before',
      timing: 'before',
      drop: true,
      response: null,
    });
    expect(faults.decide(queryCompanies).kind).toBe('slow');
    expect(faults.decide(getContact).kind).toBe('none');
    expect(faults.rules()).toHaveLength(1);
  });

  it('produces the documented responses for every kind', () => {
    const faults = createFaultInjector({}, { thresholds: () => ({ hourlyLimit: 50, threadLimit: 3 }) });
    const by = (kind: FaultKind): FaultDecision => {
      faults.addRule({ kind });
      return faults.decide(postCompany);
    };
    expect(by('rate-limit')).toMatchObject({ response: { status: 429 } });
    expect(JSON.stringify(by('rate-limit'))).toMatch(/threshold of 50 requests/);
    expect(by('thread-limit')).toMatchObject({
      response: {
        status: 429,
        body: { errors: ['The Autotask API thread threshold of 3 threads has been exceeded.'] },
      },
    });
    expect(by('thread-limit-500')).toMatchObject({ response: { status: 500 } });
    expect(by('unauthorized')).toMatchObject({ response: { status: 401, body: null } });
    expect(by('not-found-html')).toMatchObject({ response: { status: 404, contentType: 'text/html' } });
    expect(by('drop-after-commit')).toMatchObject({ timing: 'after-commit', drop: true });
    expect(by('slow')).toEqual({ kind: 'slow', delayMs: 2000 });
  });

  it('draws random faults at about the configured rate, deterministically from the seed', () => {
    const run = (seed: number): string[] => {
      const faults = createFaultInjector({ faultRate: 0.2, seed });
      return Array.from({ length: 2000 }, (_, i) => faults.decide(i % 2 ? postCompany : getContact).kind);
    };
    const a = run(42);
    expect(run(42)).toEqual(a);
    expect(run(43)).not.toEqual(a);
    const faulted = a.filter((k) => k !== 'none');
    expect(faulted.length).toBeGreaterThan(300);
    expect(faulted.length).toBeLessThan(500);
    // reads never get after-commit faults
    a.forEach((kind, i) => {
      if (i % 2 === 0) expect(['error-after-commit', 'drop-after-commit']).not.toContain(kind);
    });
    expect(new Set(faulted)).toEqual(
      new Set([
        'error-before',
        'error-after-commit',
        'drop-before',
        'drop-after-commit',
        'slow',
        'rate-limit',
      ]),
    );
  });

  it('changes options at runtime; a new seed restarts the sequence', () => {
    const faults = createFaultInjector({ seed: 7, faultRate: 1, kinds: ['error-before'] });
    const first = faults.decide(getContact);
    faults.set({ seed: 7 });
    expect(faults.decide(getContact)).toEqual(first);
    faults.set({ faultRate: 0 });
    expect(faults.decide(getContact).kind).toBe('none');
    expect(faults.options()).toEqual({ faultRate: 0, seed: 7, kinds: ['error-before'], slowMs: 2000 });
  });

  it('a read is untouched when only after-commit kinds are configured', () => {
    const faults = createFaultInjector({ faultRate: 1, kinds: ['error-after-commit'] });
    expect(faults.decide(getContact).kind).toBe('none');
    expect(faults.decide(postCompany).kind).toBe('error-after-commit');
  });

  it('removes rules by id and validates input with ConfigError', () => {
    const faults = createFaultInjector();
    const id = faults.addRule({ kind: 'error-before', times: null });
    expect(faults.removeRule(id)).toBe(true);
    expect(faults.removeRule(id)).toBe(false);
    expect(() => faults.set({ faultRate: 2 })).toThrow(ConfigError);
    expect(() => faults.addRule({ kind: 'explode' as never })).toThrow(/faults\.kind/);
    expect(() => createFaultInjector({ rules: [{ kind: 'slow', times: 0 }] })).toThrow(
      /faults\.rules\.0\.times/,
    );
  });
});
