/**
 * Crash safety and unknown outcomes (issue 4 items 7 and 11, issue 8 item 1): a create is preceded by
 * a durable intent, marked sent when its request leaves. An intent still pending at the start of a
 * run is one of three kinds:
 * - left by a crash before its request was sent (it waited for its turn in the client's lanes):
 *   Autotask cannot have the record;
 * - left by a crash (or a stop) after its request was sent: Autotask may have the record, or may
 *   still be creating it, for up to its execution timeout;
 * - a create whose outcome was unknown (timeout, 5xx or dropped connection after sending) and that a
 *   lookup by key did not find: likewise, Autotask may still be processing it.
 * Once the key index has read every record created since the last watermark (no extra call), each
 * pending intent is settled by key: found → the link is recorded and nothing is created again. Not
 * found → an intent never sent is abandoned and the row will be created; a sent intent within its
 * settle period (`EngineOptions.intentSettleMs` after the request was sent or, for an unknown
 * outcome, after the client gave up) stays pending and its key is held back for this run, so a create
 * that lands late is never doubled; after the settle period it is abandoned and the row is created
 * again.
 */
import type { Intent } from '../../state/state-store.js';
import { parseVersion } from './autotask-key-index.js';
import type { EngineContext, HeldKey } from './engine-context.js';

export interface ReconcileResult {
  /** Intents whose record was found in Autotask (linked, not created again). */
  linked: number;
  /** Intents whose record was not found (the row is created again). */
  abandoned: number;
  /** Sent intents (unknown outcome, or left by a crash) within their settle period (rows held back). */
  held: number;
}

/**
 * When an intent not found by key may be given up: the settle period after its outcome became unknown
 * or, for an intent left by a crash, after its request was last sent; undefined for an intent whose
 * request was never sent (nothing can land).
 */
export function settlesAt(
  intent: Pick<Intent, 'outcomeUnknownAt' | 'sentAt'>,
  settleMs: number,
): number | undefined {
  const from = intent.outcomeUnknownAt ?? intent.sentAt;
  return from === null ? undefined : from + settleMs;
}

/**
 * Autotask's execution timeout for a request: how long a create may still land after the client gave
 * up on it (the default of `EngineOptions.intentSettleMs` and of two-way syncs' settle period).
 */
export const DEFAULT_INTENT_SETTLE_MS = 300_000;

/** What a pending intent comes to (`judgeIntent`). */
export type IntentVerdict =
  /** Autotask has exactly one record with the key: link it, never create it again. */
  | { kind: 'link'; autotaskId: number }
  /** Not found, but its create may still land: hold the row back until `settlesAt` (ms). */
  | { kind: 'hold'; settlesAt: number }
  /** Give the intent up with `reason`: the row is created (again) unless several records have the key. */
  | { kind: 'abandon'; reason: string };

/**
 * The rule every pending intent is settled by, one-way and two-way alike, given the ids of the
 * Autotask records its key finds now (read after the intent's run: the key index, or a read of both
 * sides): one → link; none, and its request was sent (or its outcome was unknown) less than
 * `settleMs` ago → hold; otherwise → abandon (never sent: nothing can land; settled: it did not land;
 * several: a conflict the caller reports).
 */
export function judgeIntent(
  intent: Pick<Intent, 'outcomeUnknownAt' | 'sentAt'>,
  foundIds: readonly number[],
  now: number,
  settleMs: number,
): IntentVerdict {
  const until = settlesAt(intent, settleMs);
  if (foundIds.length === 0 && until !== undefined && now < until) return { kind: 'hold', settlesAt: until };
  const only = foundIds[0];
  if (foundIds.length === 1 && only !== undefined) return { kind: 'link', autotaskId: only };
  return {
    kind: 'abandon',
    reason:
      foundIds.length > 1
        ? `several Autotask records have this key (ids ${foundIds.join(', ')})`
        : intent.outcomeUnknownAt !== null
          ? `outcome unknown and still not found in Autotask by key after the settle period (${settleMs} ms): the row will be created again`
          : until !== undefined
            ? `sent before an interruption and still not found in Autotask by key after the settle period (${settleMs} ms): the row will be created again`
            : 'never sent (the run was interrupted before its turn): the row will be created',
  };
}

/** Call after the key indexes of the intents' objects are refreshed; safe to call again later. A plan writes nothing. */
export function reconcileIntents(ctx: EngineContext): ReconcileResult {
  const { state, logger, clock } = ctx.deps;
  const result: ReconcileResult = { linked: 0, abandoned: 0, held: 0 };
  const now = clock.now();
  for (const program of ctx.programs) {
    const index = ctx.indexes.get(program.object);
    if (index === undefined || !index.isReadyForMatching()) continue;
    let held = ctx.heldKeys.get(program.name);
    for (const intent of state.listUnresolvedIntents(program.name)) {
      if (intent.object !== program.object) continue;
      const found = index.lookup(program.keyKind.kind, [intent.key]).get(intent.key) ?? [];
      const verdict = judgeIntent(
        intent,
        found.map((f) => f.autotaskId),
        now,
        ctx.intentSettleMs,
      );
      if (verdict.kind === 'hold') {
        // Autotask may still be creating it: neither create it again nor give up yet.
        if (held === undefined) {
          held = new Map<string, HeldKey>();
          ctx.heldKeys.set(program.name, held);
        }
        const earlier = held.get(intent.key);
        if (earlier === undefined || earlier.settlesAt < verdict.settlesAt)
          held.set(intent.key, { runId: intent.runId, settlesAt: verdict.settlesAt });
        result.held++;
        continue;
      }
      held?.delete(intent.key);
      if (ctx.mode === 'plan') {
        // A plan writes nothing, and needs no run lock: the intent may belong to a run going on now.
        // The plan predicts the same outcome without settling it (found: matched by key; else created).
        if (verdict.kind === 'link') result.linked++;
        else result.abandoned++;
        continue;
      }
      state.transaction(() => {
        const only = verdict.kind === 'link' ? found[0] : undefined;
        if (only !== undefined) {
          state.resolveIntent(intent.id, only.autotaskId);
          const existing = state.getLink({ sync: program.name, object: program.object, key: intent.key });
          if (existing === undefined)
            state.upsertLinks([
              {
                sync: program.name,
                object: program.object,
                key: intent.key,
                autotaskId: only.autotaskId,
                payloadHash: intent.payloadHash,
                fields: parseVersion(only.version).values,
                runId: ctx.runId,
              },
            ]);
          result.linked++;
        } else {
          state.abandonIntent(intent.id, verdict.kind === 'abandon' ? verdict.reason : 'not found');
          result.abandoned++;
        }
      });
    }
  }
  if (result.linked + result.abandoned + result.held > 0)
    logger.info({ ...result }, 'reconciled write intents left by earlier runs');
  return result;
}

const HELD_BACK = 'the row is held back and will be reconciled by key after';

/**
 * Why a row is held back because an earlier create of its record (run `runId`) may still land: no
 * create of it is sent. Names the time the hold ends (`heldUntilOf` reads it back, e.g. for the
 * intake's retries; `isHeldBackReason` tells it apart).
 */
export function heldBackReason(runId: number, settlesAtMs: number): string {
  return `An earlier create of this record (run ${runId}) had an unknown outcome and Autotask does not show it yet; ${HELD_BACK} ${formatUtc(settlesAtMs)}, before any retry (retried on the next run).`;
}

/** True for a reason of `heldBackReason`: the row was held back and nothing of it was sent. */
export function isHeldBackReason(reason: string | null | undefined): boolean {
  return reason?.includes(HELD_BACK) === true;
}

const HELD_UNTIL = /reconciled by key after (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) UTC/;

/**
 * When the hold a `failed` reason names ends (`heldBackReason`, or the reason of a create whose
 * outcome was unknown in this run), in ms since the epoch: the first whole second after it, since
 * the reason shows the time to the second. Undefined for any other reason.
 */
export function heldUntilOf(reason: string | null | undefined): number | undefined {
  const m = reason === null || reason === undefined ? null : HELD_UNTIL.exec(reason);
  if (m === null) return undefined;
  const at = Date.parse(`${m[1]}T${m[2]}Z`);
  return Number.isNaN(at) ? undefined : at + 1000;
}

/** `2026-11-27 12:35:07 UTC`: when a held key settles, for ledger reasons. */
export function formatUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
