import { describe, expect, it } from 'vitest';

import { IntakeQueue, bodyHash } from '../../../src/intake/queue/intake-queue.js';
import { ManualClock } from '../../../src/shared/clock.js';

function queue(): { q: IntakeQueue; clock: ManualClock } {
  const clock = new ManualClock();
  return { q: new IntakeQueue({ path: ':memory:', clock }), clock };
}

describe('IntakeQueue', () => {
  it('returns the first item for a repeated idempotency key, whatever the body', () => {
    const { q } = queue();
    const a = q.enqueue({
      intake: 'w',
      kind: 'form',
      body: { x: 1 },
      idempotencyKey: 'k',
      dedupeWindowMs: 0,
    });
    const b = q.enqueue({
      intake: 'w',
      kind: 'form',
      body: { x: 2 },
      idempotencyKey: 'k',
      dedupeWindowMs: 0,
    });
    expect(a.created).toBe(true);
    expect(b).toMatchObject({ created: false, duplicateOf: 'idempotency-key' });
    expect(b.item.id).toBe(a.item.id);
    // Keys are per intake.
    expect(
      q.enqueue({ intake: 'other', kind: 'form', body: { x: 2 }, idempotencyKey: 'k', dedupeWindowMs: 0 })
        .created,
    ).toBe(true);
  });

  it('treats an identical body (any key order) as the same submission within the window only', () => {
    const { q, clock } = queue();
    const a = q.enqueue({ intake: 'w', kind: 'form', body: { a: 1, b: 2 }, dedupeWindowMs: 1000 });
    const b = q.enqueue({ intake: 'w', kind: 'form', body: { b: 2, a: 1 }, dedupeWindowMs: 1000 });
    expect(b).toMatchObject({ created: false, duplicateOf: 'identical-body' });
    expect(b.item.id).toBe(a.item.id);
    clock.advance(1001);
    expect(q.enqueue({ intake: 'w', kind: 'form', body: { a: 1, b: 2 }, dedupeWindowMs: 1000 }).created).toBe(
      true,
    );
    expect(bodyHash({ a: 1, b: 2 })).toBe(bodyHash({ b: 2, a: 1 }));
  });

  it('claims due items oldest first with a lease, takes them back after the lease, honours backoff and solo', () => {
    const { q, clock } = queue();
    const ids = [1, 2, 3].map(
      (i) => q.enqueue({ intake: 'w', kind: 'form', body: { i }, dedupeWindowMs: 0 }).item.id,
    );
    expect(q.claim('w', 2, 1000).map((i) => i.id)).toEqual(ids.slice(0, 2));
    expect(q.claim('w', 10, 1000).map((i) => i.id)).toEqual([ids[2]]);
    expect(q.claim('w', 10, 1000)).toEqual([]);
    clock.advance(1001);
    const again = q.claim('w', 10, 1000);
    expect(again.map((i) => [i.id, i.attempts])).toEqual(ids.map((id) => [id, 2]));
    q.settle([
      { id: ids[0]!, status: 'queued', nextAttemptAt: clock.now() + 500 },
      { id: ids[1]!, status: 'queued', solo: true },
      { id: ids[2]!, status: 'queued' },
    ]);
    expect(q.claim('w', 10, 1000).map((i) => i.id)).toEqual([ids[1]]);
    q.settle([{ id: ids[1]!, status: 'done' }]);
    clock.advance(500);
    expect(q.claim('w', 10, 1000).map((i) => i.id)).toEqual([ids[0], ids[2]]);
  });

  it('requeues items left processing, refunds an attempt on request, and retries dead items', () => {
    const { q } = queue();
    const id = q.enqueue({ intake: 'w', kind: 'form', body: {}, dedupeWindowMs: 0 }).item.id;
    q.claim('w', 1, 60_000);
    expect(q.requeueInterrupted()).toBe(1);
    q.claim('w', 1, 60_000);
    q.settle([{ id, status: 'queued', refundAttempt: true }]);
    expect(q.get(id)?.attempts).toBe(1);
    q.claim('w', 1, 60_000);
    q.settle([{ id, status: 'dead', error: 'why' }]);
    expect(q.list({ status: 'dead' }).map((i) => i.lastError)).toEqual(['why']);
    expect(q.retryDead('w')).toBe(1);
    expect(q.get(id)).toMatchObject({ status: 'queued', attempts: 0 });
  });
});
