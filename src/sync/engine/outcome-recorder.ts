/**
 * Records every record's outcome: in the state store's ledger (batched, so 100,000 records cost fifty
 * transactions, not 100,000) and in the per-sync counters and bounded samples the summary
 * shows. Reasons never carry secrets (they come from mapping messages and redacted client errors).
 */
import type { LedgerEntryInput, StateStore } from '../../state/state-store.js';
import { emptyCounts, type ActionCounts, type RecordAction, type RecordOutcome } from './types.js';

/** Ledger rows buffered before one insert transaction. */
const FLUSH_EVERY = 2000;

export interface OutcomeInput extends Omit<RecordOutcome, 'sync'> {
  /** The original source row, kept in the ledger for invalid/failed/conflict rows (rejects CSV). */
  sourceRow?: Readonly<Record<string, unknown>> | null;
}

export class OutcomeRecorder {
  private buffer: LedgerEntryInput[] = [];
  private readonly counts = new Map<string, ActionCounts>();
  private readonly samples = new Map<string, RecordOutcome[]>();

  constructor(
    private readonly state: StateStore,
    private readonly runId: number,
    /** Max outcomes kept per sync for the summary. */
    private readonly maxSamples: number,
    /**
     * `plan`: the ledger keeps the rows a user acts on or checks (updates with their changes, invalid,
     * conflict, failed, skipped); rows the run would create or leave unchanged are counted and sampled
     * in the report but not written, one per source row. `run`: every row.
     * @default 'run'
     */
    private readonly mode: 'run' | 'plan' = 'run',
  ) {}

  record(sync: string, outcome: OutcomeInput): void {
    const counts = this.countsOf(sync);
    counts[outcome.action]++;
    const keepRow =
      outcome.action === 'invalid' || outcome.action === 'failed' || outcome.action === 'conflict';
    const inLedger = this.mode === 'run' || (outcome.action !== 'created' && outcome.action !== 'unchanged');
    if (inLedger)
      this.buffer.push({
        runId: this.runId,
        sync,
        sourceLocation: outcome.location,
        key: outcome.key,
        action: outcome.action,
        autotaskId: outcome.autotaskId,
        reason: outcome.reason,
        field: outcome.field,
        diff: outcome.diff,
        sourceRow: keepRow && outcome.sourceRow ? { ...outcome.sourceRow } : null,
      });
    if (outcome.action !== 'unchanged') {
      const list = this.samples.get(sync) ?? [];
      if (list.length < this.maxSamples) {
        list.push({
          sync,
          action: outcome.action,
          key: outcome.key,
          location: outcome.location,
          autotaskId: outcome.autotaskId,
          reason: outcome.reason,
          field: outcome.field,
          diff: outcome.diff,
        });
        this.samples.set(sync, list);
      }
    }
    if (this.buffer.length >= FLUSH_EVERY) this.flush();
  }

  /**
   * Whether an outcome of `action` for `sync` recorded now would be kept anywhere (ledger or sample):
   * when not, `count` is all it takes (a plan's creates past the sample, its unchanged rows), and its
   * diff need not be computed.
   */
  keeps(sync: string, action: RecordAction): boolean {
    if (this.mode === 'run' || (action !== 'created' && action !== 'unchanged')) return true;
    return action !== 'unchanged' && (this.samples.get(sync)?.length ?? 0) < this.maxSamples;
  }

  /** Counts an outcome that is kept nowhere else (see `keeps`). */
  count(sync: string, action: RecordAction): void {
    this.countsOf(sync)[action]++;
  }

  flush(): void {
    if (this.buffer.length === 0) return;
    const entries = this.buffer;
    this.buffer = [];
    this.state.transaction(() => this.state.appendLedger(entries));
  }

  countsOf(sync: string): ActionCounts {
    let counts = this.counts.get(sync);
    if (counts === undefined) {
      counts = emptyCounts();
      this.counts.set(sync, counts);
    }
    return counts;
  }

  samplesOf(sync: string): RecordOutcome[] {
    return this.samples.get(sync) ?? [];
  }

  total(): ActionCounts {
    const total = emptyCounts();
    for (const counts of this.counts.values())
      for (const action of Object.keys(total) as RecordAction[]) total[action] += counts[action];
    return total;
  }
}
