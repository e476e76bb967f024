/**
 * The rule pending write intents are settled by (one-way and two-way alike), and the held-back
 * reason's time read back (the intake waits for it).
 */
import { describe, expect, it } from 'vitest';

import {
  heldBackReason,
  heldUntilOf,
  isHeldBackReason,
  judgeIntent,
} from '../../../../src/sync/engine/reconcile-intents.js';

const SETTLE = 60_000;
const NOW = Date.parse('2026-11-27T12:00:00.000Z');
const unsent = { sentAt: null, outcomeUnknownAt: null };
const sent = (ago: number): { sentAt: number; outcomeUnknownAt: null } => ({
  sentAt: NOW - ago,
  outcomeUnknownAt: null,
});

describe('judgeIntent', () => {
  it('links a record found by key, whatever the intent', () => {
    expect(judgeIntent(sent(1_000), [42], NOW, SETTLE)).toEqual({ kind: 'link', autotaskId: 42 });
    expect(judgeIntent(unsent, [42], NOW, SETTLE)).toEqual({ kind: 'link', autotaskId: 42 });
  });

  it('gives up an intent never sent at once: nothing can land', () => {
    expect(judgeIntent(unsent, [], NOW, SETTLE)).toMatchObject({ kind: 'abandon', reason: /never sent/ });
  });

  it('holds a sent intent not found within the settle period, counted from when it was sent', () => {
    expect(judgeIntent(sent(1_000), [], NOW, SETTLE)).toEqual({
      kind: 'hold',
      settlesAt: NOW - 1_000 + SETTLE,
    });
    expect(judgeIntent(sent(SETTLE + 1), [], NOW, SETTLE)).toMatchObject({
      kind: 'abandon',
      reason: /sent before an interruption/,
    });
  });

  it('counts an unknown outcome from when the client gave up, not from when it was sent', () => {
    const intent = { sentAt: NOW - 2 * SETTLE, outcomeUnknownAt: NOW - 1_000 };
    expect(judgeIntent(intent, [], NOW, SETTLE)).toEqual({ kind: 'hold', settlesAt: NOW - 1_000 + SETTLE });
  });

  it('never links when several records have the key', () => {
    expect(judgeIntent(sent(SETTLE + 1), [1, 2], NOW, SETTLE)).toMatchObject({
      kind: 'abandon',
      reason: /several Autotask records have this key \(ids 1, 2\)/,
    });
  });
});

describe('held-back reasons', () => {
  it('name the time the hold ends, read back rounded up to the next second', () => {
    const until = Date.parse('2026-11-27T12:35:07.400Z');
    const reason = heldBackReason(12, until);
    expect(reason).toContain('(run 12)');
    expect(reason).toContain('2026-11-27 12:35:07 UTC');
    expect(isHeldBackReason(reason)).toBe(true);
    expect(heldUntilOf(reason)).toBe(Date.parse('2026-11-27T12:35:08.000Z'));
    expect(heldUntilOf(reason)).toBeGreaterThanOrEqual(until);
  });

  it('an unknown outcome in this run names a time too, but is not a hold without a request', () => {
    const reason =
      'The create timed out. Autotask may still be creating it: it will be reconciled by key after 2026-11-27 12:35:07 UTC, before any retry';
    expect(heldUntilOf(reason)).toBe(Date.parse('2026-11-27T12:35:08.000Z'));
    expect(isHeldBackReason(reason)).toBe(false);
  });

  it('other reasons name no hold', () => {
    expect(heldUntilOf('Autotask refused it (retried on the next run)')).toBeUndefined();
    expect(heldUntilOf(null)).toBeUndefined();
    expect(isHeldBackReason(undefined)).toBe(false);
  });
});
