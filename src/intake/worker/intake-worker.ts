/**
 * Workers of `serve`: take due items from the durable queue and process them — form submissions in
 * batches through the sync engine (one engine run at a time, so runs never race on links and key
 * indexes), webhook events in batches into their SQL table — then settle each item: `done`, `queued`
 * again with exponential backoff and jitter, or `dead` after `retry.maxAttempts` or a permanent error.
 *
 * Failures of the run as a whole (Autotask down, throttled, over budget, credentials refused) retry
 * the batch; an exhausted budget or a configuration error does not count as an attempt, so waiting
 * for the next hour never sends submissions to the dead-letter list. Nor does a submission whose record
 * is held back because an earlier create of it may still land in Autotask: it waits until the hold
 * ends (the time its reason names), then goes through again.
 */
import type { SqlSystem } from '../../connectors/sql-system/sql-system.js';
import type { EngineDeps, EngineOptions } from '../../sync/engine/index.js';
import { runTwoWaySyncs } from '../../sync/two-way/run-two-way-syncs.js';
import type { TwoWaySpec } from '../../sync/two-way/two-way-spec.js';
import {
  hasTable,
  type FormIntakeSpec,
  type IntakeSpec,
  type WebhookIntakeSpec,
} from '../intake-config-schema.js';
import { compileBatchKeys, pickBatch, type KeysOf, type SharedRecords } from '../forms/batch-keys.js';
import { processFormBatch } from '../forms/form-batch.js';
import type { IntakeItem, IntakeOutcome, IntakeQueue, SettleInput } from '../queue/intake-queue.js';
import { processWebhookBatch, reconcileWebhookTable } from '../webhooks/webhook-processor.js';

export interface IntakeWorkerOptions {
  queue: IntakeQueue;
  intakes: readonly IntakeSpec[];
  /** The engine's collaborators (client, state store, clock, logger). */
  engine: Omit<EngineDeps, 'openSource'>;
  /** Engine options of form batches, from the configuration's `engine:` (`engineOptionsOf`). @default the engine's */
  engineOptions?: Pick<EngineOptions, 'intentSettleMs'>;
  /**
   * Runs a batch that writes to Autotask while holding the state database's run lock (one process,
   * and one batch of this process, at a time), passing a signal aborted if the lock is lost. A held
   * lock makes it throw `RunLockedError`: the batch goes back to the queue without using an attempt.
   * @default runs the batch directly (no lock)
   */
  runExclusive?: RunExclusive;
  /** The SQL table of each webhook intake that writes its own, by intake name. */
  tables: ReadonlyMap<string, SqlSystem>;
  /** The configuration's two-way syncs (webhook intakes naming one run its incremental pass). @default none */
  twoWay?: readonly TwoWaySpec[];
  /** Submissions per engine run. @default 200 */
  batchSize?: number;
  /** How long a claimed item stays leased before another worker may take it (crash recovery). @default 600_000 */
  leaseMs?: number;
  /** Longest sleep when nothing is due (a new item wakes the worker at once). @default 1000 */
  idleMs?: number;
  /**
   * A form batch smaller than `batchSize` waits until its oldest submission is this old, so that a
   * burst becomes a few engine runs (each costs a few reads besides the writes) instead of many.
   * @default 250
   */
  lingerMs?: number;
  /** Jitter source. @default Math.random */
  random?: () => number;
}

/** Codes of run failures that are not the submissions' fault and do not count as attempts. */
const UNCOUNTED = new Set(['AUTOTASK_BUDGET_EXHAUSTED', 'CONFIG_INVALID', 'ABORTED', 'STATE_LOCKED']);

/** See `IntakeWorkerOptions.runExclusive`; `what` names the batch for the lock (`intake "leads"`). */
export type RunExclusive = <T>(
  what: string,
  fn: (signal: AbortSignal | undefined) => Promise<T>,
) => Promise<T>;

const unlocked: RunExclusive = (_what, fn) => fn(undefined);

export class IntakeWorker {
  private readonly waiters = new Set<() => void>();
  private readonly keys = new Map<string, KeysOf>();
  private readonly nextReconcile = new Map<string, number>();
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly idleMs: number;
  private readonly lingerMs: number;
  private readonly random: () => number;
  private readonly runExclusive: RunExclusive;

  constructor(private readonly options: IntakeWorkerOptions) {
    this.batchSize = options.batchSize ?? 200;
    this.leaseMs = options.leaseMs ?? 600_000;
    this.idleMs = options.idleMs ?? 1000;
    this.lingerMs = options.lingerMs ?? 250;
    this.random = options.random ?? Math.random;
    this.runExclusive = options.runExclusive ?? unlocked;
  }

  /** Something was queued: stop sleeping. */
  wake(): void {
    for (const w of this.waiters) w();
    this.waiters.clear();
  }

  /** Runs both loops (forms, webhooks) until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const forms = this.options.intakes.filter((i): i is FormIntakeSpec => i.type === 'form');
    const hooks = this.options.intakes.filter((i): i is WebhookIntakeSpec => i.type === 'autotask-webhook');
    await Promise.all([
      this.loop(signal, Math.min(this.idleMs, Math.max(10, this.lingerMs / 2)), () =>
        this.formPass(forms, signal),
      ),
      this.loop(signal, this.idleMs, () => this.webhookPass(hooks)),
    ]);
  }

  private async loop(signal: AbortSignal, idleMs: number, pass: () => Promise<boolean>): Promise<void> {
    const { logger } = this.options.engine;
    while (!signal.aborted) {
      let busy = false;
      try {
        busy = await pass();
      } catch (error) {
        logger.error(
          { err: error instanceof Error ? error.message : String(error) },
          'intake worker pass failed',
        );
      }
      if (!busy && !signal.aborted) await this.sleep(idleMs, signal);
    }
  }

  private sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done, { once: true });
      this.waiters.add(done);
    });
  }

  /** One pass over the form intakes; true when something was processed. */
  async formPass(intakes: readonly FormIntakeSpec[], signal?: AbortSignal): Promise<boolean> {
    let busy = false;
    const now = this.options.engine.clock.now();
    for (const spec of intakes) {
      const due = this.options.queue.due(spec.name);
      if (due.count === 0) continue;
      if (due.count < this.batchSize && now - (due.oldestReceivedAt ?? now) < this.lingerMs) continue;
      const claimed = this.options.queue.claim(spec.name, this.batchSize, this.leaseMs);
      if (claimed.length === 0) continue;
      busy = true;
      let keysOf = this.keys.get(spec.name);
      if (keysOf === undefined) {
        try {
          keysOf = await compileBatchKeys(this.options.engine.client, spec);
          this.keys.set(spec.name, keysOf);
        } catch {
          // Metadata unreachable: batch without keys this time (the engine still holds duplicates back).
          keysOf = () => [];
        }
      }
      const { batch, later, shared } = pickBatch(claimed, keysOf);
      this.options.queue.release(later);
      await this.processForms(spec, batch, shared, signal);
    }
    return busy;
  }

  private async processForms(
    spec: FormIntakeSpec,
    items: IntakeItem[],
    shared: SharedRecords,
    signal?: AbortSignal,
  ): Promise<void> {
    const { queue, engine } = this.options;
    let result;
    try {
      result = await this.runExclusive(`intake "${spec.name}"`, (lost) =>
        processFormBatch(engine, spec, items, shared, anySignal(signal, lost), this.options.engineOptions),
      );
    } catch (error) {
      const code = errorCode(error);
      const message = error instanceof Error ? error.message : String(error);
      engine.logger.error({ intake: spec.name, code, err: message }, 'intake batch could not run');
      queue.settle(items.map((i) => this.retry(spec, i, `${code}: ${message}`, UNCOUNTED.has(code))));
      return;
    }
    const uncounted = result.runError !== null && UNCOUNTED.has(result.runError.code);
    const settles: SettleInput[] = [];
    for (const r of result.results) {
      const item = items.find((i) => i.id === r.id);
      if (item === undefined) continue;
      if (r.verdict === 'done')
        settles.push({ id: r.id, status: 'done', outcome: r.outcome, runId: result.runId });
      else if (r.verdict === 'dead')
        settles.push({ id: r.id, status: 'dead', error: r.reason, outcome: r.outcome, runId: result.runId });
      else if (r.waitOnly === true && r.notBefore !== undefined)
        // An earlier create of its record may still land: wait for the hold to end, not an attempt.
        settles.push({
          id: r.id,
          status: 'queued',
          nextAttemptAt: Math.max(r.notBefore, engine.clock.now()),
          solo: item.solo,
          error: r.reason,
          outcome: r.outcome,
          runId: result.runId,
          refundAttempt: true,
        });
      else if (r.solo === true)
        // Not the submission's fault: it met another one of the same record in its batch.
        settles.push({
          id: r.id,
          status: 'queued',
          solo: true,
          error: r.reason,
          outcome: r.outcome,
          runId: result.runId,
        });
      else {
        const retry = this.retry(spec, item, r.reason ?? 'failed', uncounted);
        // a create whose outcome was unknown is held until its settle period ends: no use retrying sooner
        if (retry.status === 'queued' && r.notBefore !== undefined)
          retry.nextAttemptAt = Math.max(retry.nextAttemptAt ?? 0, r.notBefore);
        settles.push({ ...retry, outcome: r.outcome, runId: result.runId });
      }
    }
    queue.settle(settles);
  }

  /** Back to the queue with backoff, or to the dead-letter list when attempts are used up. */
  private retry(spec: IntakeSpec, item: IntakeItem, reason: string, uncounted: boolean): SettleInput {
    const attempts = uncounted ? item.attempts - 1 : item.attempts;
    if (!uncounted && attempts >= spec.retry.maxAttempts)
      return { id: item.id, status: 'dead', error: `gave up after ${attempts} attempts: ${reason}` };
    const base = spec.retry.baseDelaySeconds * 1000 * 2 ** Math.max(0, attempts - 1);
    const delay = Math.min(spec.retry.maxDelaySeconds * 1000, base) * (0.5 + this.random() * 0.5);
    return {
      id: item.id,
      status: 'queued',
      nextAttemptAt: this.options.engine.clock.now() + Math.round(delay),
      solo: item.solo,
      error: reason,
      refundAttempt: uncounted,
    };
  }

  /** One pass over the webhook intakes (and their reconciliation when due). */
  async webhookPass(intakes: readonly WebhookIntakeSpec[]): Promise<boolean> {
    const { queue, engine, tables } = this.options;
    let busy = false;
    for (const spec of intakes) {
      const system = tables.get(spec.name);
      const items = queue.claim(spec.name, this.batchSize, this.leaseMs);
      if (items.length > 0) {
        busy = true;
        try {
          if (system !== undefined && hasTable(spec)) {
            const results = await processWebhookBatch(engine, spec, system, items);
            queue.settle(results.map((r) => ({ id: r.id, status: 'done', outcome: r.outcome })));
          } else {
            const outcome = await this.runTwoWay(spec);
            queue.settle(
              items.map((i) => ({
                id: i.id,
                status: 'done',
                outcome,
                ...(outcome.runId ? { runId: outcome.runId } : {}),
              })),
            );
          }
        } catch (error) {
          const code = errorCode(error);
          const message = error instanceof Error ? error.message : String(error);
          engine.logger.warn(
            { intake: spec.name, code, err: message },
            'webhook batch failed; retrying later',
          );
          queue.settle(items.map((i) => this.retry(spec, i, `${code}: ${message}`, UNCOUNTED.has(code))));
        }
      }
      await this.reconcileIfDue(spec, system);
    }
    return busy;
  }

  /** The incremental pass of the two-way sync a webhook intake names: it brings the changed records over. */
  private async runTwoWay(spec: WebhookIntakeSpec): Promise<IntakeOutcome & { runId?: number }> {
    const name = spec.twoWay ?? '';
    const summary = await this.runExclusive(`intake "${spec.name}", two-way sync "${name}"`, (lost) =>
      runTwoWaySyncs(this.options.engine, this.options.twoWay ?? [], {
        only: [name],
        ...this.options.engineOptions,
        ...(lost === undefined ? {} : { signal: lost }),
      }),
    );
    if (summary.status === 'failed' || summary.status === 'aborted')
      throw Object.assign(new Error(summary.error?.message ?? 'the two-way sync stopped'), {
        code: summary.error?.code ?? 'TWO_WAY_FAILED',
      });
    const r = summary.results[0];
    return {
      runId: summary.runId,
      records: [
        {
          name,
          action: 'two-way pass',
          autotaskId: null,
          reason:
            r === undefined
              ? null
              : `table: ${r.sql.created} created, ${r.sql.updated} updated; Autotask: ${r.autotask.created} created, ${r.autotask.updated} updated`,
        },
      ],
    };
  }

  /** Runs the reconciliation pass of a webhook intake when its interval has passed. */
  async reconcileIfDue(
    spec: WebhookIntakeSpec,
    system: SqlSystem | undefined,
    force = false,
  ): Promise<boolean> {
    if (spec.reconcileMinutes <= 0 && !force) return false;
    const { engine } = this.options;
    const now = engine.clock.now();
    const due = this.nextReconcile.get(spec.name) ?? now;
    if (!force && due > now) return false;
    this.nextReconcile.set(spec.name, now + spec.reconcileMinutes * 60_000);
    try {
      if (system !== undefined && hasTable(spec)) {
        const r = await reconcileWebhookTable(engine, spec, system);
        engine.logger.info({ intake: spec.name, ...r }, 'webhook reconciliation pass');
      } else await this.runTwoWay(spec);
    } catch (error) {
      engine.logger.warn(
        { intake: spec.name, err: error instanceof Error ? error.message : String(error) },
        'webhook reconciliation failed; next pass at the next interval',
      );
    }
    return true;
  }
}

function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const given = signals.filter((s): s is AbortSignal => s !== undefined);
  return given.length <= 1 ? given[0] : AbortSignal.any(given);
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'ERROR';
}
