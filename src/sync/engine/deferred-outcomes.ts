/**
 * Records of this run that other records depend on (a contact's company, an opportunity's contact):
 * each has an outcome that settles when the record has been processed, with its Autotask id, or with
 * the reason it was not written. Dependants wait on it, so contacts of companies that already exist
 * go ahead while other companies are still being created.
 */

/** Placeholder id for a record a plan would create (no id exists yet). */
export const PLANNED_ID = -1;

/** Why a record that others depend on was not written. */
export class DependencyNotWrittenError extends Error {
  constructor(
    readonly label: string,
    readonly reason: string,
  ) {
    super(`${label} was not written: ${reason}`);
    this.name = 'DependencyNotWrittenError';
  }
}

interface Slot {
  promise: Promise<number>;
  resolve: (id: number) => void;
  reject: (error: DependencyNotWrittenError) => void;
  settled: boolean;
  /** The Autotask id (or `PLANNED_ID`) once the record was written; undefined before or if not. */
  id: number | undefined;
  /** Stands for the id in keys computed before the record is written. */
  placeholder: number;
  label: string;
  sync: string;
}

export class DeferredOutcomes {
  /** Slots by sync, then key (no string building per record: every record settles its slot). */
  private readonly bySync = new Map<string, Map<string, Slot>>();

  /** Placeholders handed out so far. */
  private placeholders = 0;

  /**
   * Declares that the record `(sync, key)` is part of this run; `label` names it in messages. Returns
   * its placeholder id (negative, below `PLANNED_ID`, one per record): what its dependants' keys hold
   * until its Autotask id is known.
   */
  declare(sync: string, key: string, label: string): number {
    let slots = this.bySync.get(sync);
    if (slots === undefined) {
      slots = new Map();
      this.bySync.set(sync, slots);
    }
    const known = slots.get(key);
    if (known !== undefined) return known.placeholder;
    const placeholder = -2 - this.placeholders++;
    let resolve!: (id: number) => void;
    let reject!: (error: DependencyNotWrittenError) => void;
    const promise = new Promise<number>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // Dependants may never ask; avoid unhandled-rejection noise.
    promise.catch(() => undefined);
    slots.set(key, { promise, resolve, reject, settled: false, id: undefined, placeholder, label, sync });
    return placeholder;
  }

  has(sync: string, key: string): boolean {
    return this.slot(sync, key) !== undefined;
  }

  label(sync: string, key: string): string | undefined {
    return this.slot(sync, key)?.label;
  }

  /** Resolves with the record's Autotask id (or `PLANNED_ID` in a plan), rejects if not written. */
  wait(sync: string, key: string): Promise<number> {
    const slot = this.slot(sync, key);
    if (slot === undefined) return Promise.reject(new DependencyNotWrittenError(key, 'not part of this run'));
    return slot.promise;
  }

  /** The record's id when it has been written already (without waiting), else undefined. */
  settledId(sync: string, key: string): number | undefined {
    return this.slot(sync, key)?.id;
  }

  private slot(sync: string, key: string): Slot | undefined {
    return this.bySync.get(sync)?.get(key);
  }

  succeed(sync: string, key: string, autotaskId: number): void {
    const slot = this.slot(sync, key);
    if (slot === undefined || slot.settled) return;
    slot.settled = true;
    slot.id = autotaskId;
    slot.resolve(autotaskId);
  }

  fail(sync: string, key: string, reason: string): void {
    const slot = this.slot(sync, key);
    if (slot === undefined || slot.settled) return;
    slot.settled = true;
    slot.reject(new DependencyNotWrittenError(slot.label, reason));
  }

  /**
   * Settles every slot still open (of one sync, or all), e.g. when that sync's load is over or the run
   * stops, so that no dependant waits forever.
   */
  failRemaining(reason: string, sync?: string): void {
    for (const [slotSync, slots] of this.bySync) {
      if (sync !== undefined && slotSync !== sync) continue;
      for (const slot of slots.values()) this.settleFailed(slot, reason);
    }
  }

  private settleFailed(slot: Slot, reason: string): void {
    if (slot.settled) return;
    slot.settled = true;
    slot.reject(new DependencyNotWrittenError(slot.label, reason));
  }
}
