/**
 * Crash safety (issue 4 item 11): a create is preceded by a durable intent. An intent still pending at
 * the start of a run means the process stopped between committing the intent and recording the link:
 * Autotask may or may not have the record. Once the key index has read every record created since the
 * last watermark (no extra call), each pending intent is settled by key: found → the link is recorded
 * and nothing is created again; not found → the intent is abandoned and the row will be created.
 */
import type { EngineContext } from './engine-context.js';
import { parseVersion } from './autotask-key-index.js';

export interface ReconcileResult {
  /** Intents whose record was found in Autotask (linked, not created again). */
  linked: number;
  /** Intents whose record was not found (the row is created again). */
  abandoned: number;
}

/** Call after the key indexes of the intents' objects are refreshed. */
export function reconcileIntents(ctx: EngineContext): ReconcileResult {
  const { state, logger } = ctx.deps;
  const result: ReconcileResult = { linked: 0, abandoned: 0 };
  for (const program of ctx.programs) {
    const index = ctx.indexes.get(program.object);
    if (index === undefined || !index.isReadyForMatching()) continue;
    for (const intent of state.listUnresolvedIntents(program.name)) {
      if (intent.object !== program.object) continue;
      const found = index.lookup(program.keyKind.kind, [intent.key]).get(intent.key) ?? [];
      const only = found[0];
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
            found.length === 0
              ? 'not found in Autotask after an interruption: the row will be created again'
              : `several Autotask records have this key (ids ${found.map((f) => f.autotaskId).join(', ')})`,
          );
          result.abandoned++;
        }
      });
    }
  }
  if (result.linked + result.abandoned > 0)
    logger.info({ ...result }, 'reconciled write intents left by an interrupted run');
  return result;
}
