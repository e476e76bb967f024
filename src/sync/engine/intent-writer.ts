/**
 * Group commit of write intents. Every create is announced by a durable intent before its POST, and
 * a durable commit costs one fsync (milliseconds, during which nothing else runs). The load pass
 * starts many creates in one turn of the event loop, and the client then sends them at most 3 per
 * endpoint, so committing each intent on its own made the fsyncs, not Autotask, the limit on creates
 * per second. The writer collects the intents asked for during a turn and commits them together once
 * the turn is over (one transaction, one fsync); each caller's promise resolves with its intent only
 * after that commit, so no POST leaves before its intent is durable.
 *
 * What follows a create (the intent resolved, the record's link) is grouped the same way (`settle`),
 * without an fsync: a crash before that commit leaves the intent pending and sent, and the next run
 * links the record by key.
 */
import { StateStoreError } from '../../shared/errors.js';
import type { Intent, IntentInput, StateStore } from '../../state/state-store.js';

/**
 * Runs `flush` once the work already queued in this turn of the event loop is done.
 * @default setImmediate
 */
export type FlushScheduler = (flush: () => void) => void;

interface Waiting {
  input: IntentInput;
  resolve: (intent: Intent) => void;
  reject: (error: unknown) => void;
}

interface Settling {
  write: () => void;
  resolve: () => void;
  reject: (error: unknown) => void;
}

const nextTurn: FlushScheduler = (flush) => void setImmediate(flush);

export class IntentWriter {
  private waiting: Waiting[] = [];
  private settling: Settling[] = [];
  private groups = 0;

  /**
   * @param state where the intents are committed (`recordIntents`: one durable transaction per group;
   *   `transaction` for `settle`)
   * @param schedule when a group is committed, see `FlushScheduler` (@default setImmediate)
   */
  constructor(
    private readonly state: Pick<StateStore, 'recordIntents' | 'transaction'>,
    private readonly schedule: FlushScheduler = nextTurn,
  ) {}

  /**
   * Resolves with the intent once it is durable, together with the others asked for in the same turn.
   * Rejects with the state store's error when the group could not be committed (nothing of it was).
   */
  record(input: IntentInput): Promise<Intent> {
    return new Promise<Intent>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      if (this.waiting.length === 1) this.schedule(() => this.flush());
    });
  }

  /**
   * Runs `write` (state writes only, synchronous) in one transaction with the others asked for in
   * this turn, each in its own savepoint: one that throws is rolled back alone and its promise
   * rejects with the error. Resolves once the transaction is committed (not fsynced).
   */
  settle(write: () => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.settling.push({ write, resolve, reject });
      if (this.settling.length === 1) this.schedule(() => this.flushSettled());
    });
  }

  /** Intent groups committed so far (each one transaction and, by default, one fsync). */
  get commits(): number {
    return this.groups;
  }

  private flushSettled(): void {
    const group = this.settling;
    this.settling = [];
    const outcomes: (() => void)[] = [];
    try {
      this.state.transaction(() => {
        for (const s of group) {
          try {
            this.state.transaction(s.write);
            outcomes.push(s.resolve);
          } catch (error) {
            outcomes.push(() => s.reject(error));
          }
        }
      });
    } catch (error) {
      for (const s of group) s.reject(error);
      return;
    }
    for (const done of outcomes) done();
  }

  private flush(): void {
    const group = this.waiting;
    this.waiting = [];
    if (group.length === 0) return;
    let intents: Intent[];
    try {
      intents = this.state.recordIntents(group.map((w) => w.input));
      this.groups++;
    } catch (error) {
      for (const w of group) w.reject(error);
      return;
    }
    group.forEach((w, i) => {
      const intent = intents[i];
      if (intent === undefined)
        w.reject(new StateStoreError(`the state store returned no intent for key ${w.input.key}`));
      else w.resolve(intent);
    });
  }
}
