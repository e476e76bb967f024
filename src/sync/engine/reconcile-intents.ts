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
      const only = found[0];
      const until = settlesAt(intent, ctx.intentSettleMs);
      if (found.length === 0 && until !== undefined && now < until) {
        // Autotask may still be creating it: neither create it again nor give up yet.
        if (held === undefined) {
          held = new Map<string, HeldKey>();
          ctx.heldKeys.set(program.name, held);
        }
        const earlier = held.get(intent.key);
        if (earlier === undefined || earlier.settlesAt < until)
          held.set(intent.key, { runId: intent.runId, settlesAt: until });
        result.held++;
        continue;
      }
      held?.delete(intent.key);
      if (ctx.mode === 'plan') {
        // A plan writes nothing, and needs no run lock: the intent may belong to a run going on now.
        // The plan predicts the same outcome without settling it (found: matched by key; else created).
        if (found.length === 1) result.linked++;
        else result.abandoned++;
        continue;
      }
      state.transaction(() => {
        if (found.length === 1 && only !== undefined) {
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
          state.abandonIntent(
            intent.id,
            found.length > 1
              ? `several Autotask records have this key (ids ${found.map((f) => f.autotaskId).join(', ')})`
              : intent.outcomeUnknownAt !== null
                ? `outcome unknown and still not found in Autotask by key after the settle period (${ctx.intentSettleMs} ms): the row will be created again`
                : until !== undefined
                  ? `sent before an interruption and still not found in Autotask by key after the settle period (${ctx.intentSettleMs} ms): the row will be created again`
                  : 'never sent (the run was interrupted before its turn): the row will be created',
          );
          result.abandoned++;
        }
      });
    }
  }
  if (result.linked + result.abandoned + result.held > 0)
    logger.info({ ...result }, 'reconciled write intents left by earlier runs');
  return result;
}

/** `2026-11-27 12:35:07 UTC`: when a held key settles, for ledger reasons. */
export function formatUtc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
