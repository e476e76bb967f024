/**
 * An equality index on one field: folded value → ids. Most keys map to one id, so a single id is kept
 * as a number and only repeated keys get an array (this keeps 100,000-record indexes small).
 */
import { equalityKey } from './autotask-equality.js';

type Key = string | number | boolean;

export class ValueIndex {
  private readonly entries = new Map<Key, number | number[]>();

  constructor(readonly field: string) {}

  add(id: number, value: unknown): void {
    const key = equalityKey(value);
    if (key === undefined) return;
    const current = this.entries.get(key);
    if (current === undefined) this.entries.set(key, id);
    else if (typeof current === 'number') {
      if (current !== id) this.entries.set(key, [current, id]);
    } else if (!current.includes(id)) current.push(id);
  }

  remove(id: number, value: unknown): void {
    const key = equalityKey(value);
    if (key === undefined) return;
    const current = this.entries.get(key);
    if (current === undefined) return;
    if (typeof current === 'number') {
      if (current === id) this.entries.delete(key);
      return;
    }
    const at = current.indexOf(id);
    if (at >= 0) current.splice(at, 1);
    if (current.length === 1) this.entries.set(key, current[0] as number);
    else if (current.length === 0) this.entries.delete(key);
  }

  /** Ids whose value equals `value` (unordered); empty when none or when `value` is not indexable. */
  find(value: unknown): readonly number[] {
    const key = equalityKey(value);
    if (key === undefined) return [];
    const current = this.entries.get(key);
    if (current === undefined) return [];
    return typeof current === 'number' ? [current] : current;
  }
}
