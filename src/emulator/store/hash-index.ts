/**
 * A compact equality index on one field: an open-addressing hash table of record ids (linear probing,
 * tombstones on removal) in typed arrays. It stores no keys: a probe compares the stored hash and then
 * reads the record's current value through `valueOf`, so results are exact while the index costs about
 * 8–16 bytes per record (a `Map` from folded strings to ids costs ~36 bytes per entry plus a lower-case
 * copy of every capitalised key, ~48 bytes). Suited to fields with few records per value (emails,
 * names, parent ids); ids must be 32-bit integers, as Autotask's are.
 */
import { equalityKey } from './autotask-equality.js';

const EMPTY = -1;
const TOMBSTONE = -2;
const MIN_CAPACITY = 16;
const MAX_LOAD = 0.75;

type Key = string | number | boolean;

/** FNV-1a over a string's UTF-16 code units; numbers and booleans get their own mixing. */
function hashKey(key: Key): number {
  if (typeof key === 'string') {
    let h = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) {
      h ^= key.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    return h | 0;
  }
  if (typeof key === 'boolean') return key ? 0x5bd1e995 : 0x1b873593;
  if (Number.isInteger(key) && Math.abs(key) < 2 ** 31) {
    const h = Math.imul(key ^ (key >>> 16), 0x45d9f3b);
    return (h ^ (h >>> 16)) | 0;
  }
  return hashKey(`n:${String(key)}`);
}

export class HashIndex {
  private slots = new Int32Array(MIN_CAPACITY).fill(EMPTY);
  private hashes = new Int32Array(MIN_CAPACITY);
  /** Occupied slots, tombstones included. */
  private used = 0;

  /**
   * @param field the indexed field (exact schema name)
   * @param valueOf reads the field's current value of the record with this id
   */
  constructor(
    readonly field: string,
    private readonly valueOf: (id: number) => unknown,
  ) {}

  add(id: number, value: unknown): void {
    const key = equalityKey(value);
    if (key === undefined) return;
    if ((this.used + 1) / this.slots.length > MAX_LOAD) this.resize();
    this.place(id, hashKey(key));
  }

  remove(id: number, value: unknown): void {
    const key = equalityKey(value);
    if (key === undefined) return;
    const h = hashKey(key);
    const mask = this.slots.length - 1;
    for (let i = h & mask; this.slots[i] !== EMPTY; i = (i + 1) & mask) {
      if (this.slots[i] === id && this.hashes[i] === h) {
        this.slots[i] = TOMBSTONE;
        return;
      }
    }
  }

  /** Ids (in no particular order) whose value equals `value` under Autotask's string equality. */
  find(value: unknown): number[] {
    const key = equalityKey(value);
    const out: number[] = [];
    if (key === undefined) return out;
    const h = hashKey(key);
    const mask = this.slots.length - 1;
    for (let i = h & mask; this.slots[i] !== EMPTY; i = (i + 1) & mask) {
      const id = this.slots[i] as number;
      if (id >= 0 && this.hashes[i] === h && equalityKey(this.valueOf(id)) === key) out.push(id);
    }
    return out;
  }

  private place(id: number, h: number): void {
    const mask = this.slots.length - 1;
    let i = h & mask;
    while (this.slots[i] !== EMPTY) i = (i + 1) & mask;
    this.slots[i] = id;
    this.hashes[i] = h;
    this.used++;
  }

  /**
   * Rebuilds the table without tombstones, at the smallest power-of-two capacity that is at most half
   * full (so the load stays between 3/8 and 3/4 as the table grows).
   */
  private resize(): void {
    const oldSlots = this.slots;
    const oldHashes = this.hashes;
    let live = 0;
    for (const id of oldSlots) if (id >= 0) live++;
    let capacity = oldSlots.length;
    while ((live + 1) / capacity > 0.5) capacity *= 2;
    this.slots = new Int32Array(capacity).fill(EMPTY);
    this.hashes = new Int32Array(capacity);
    this.used = 0;
    for (let i = 0; i < oldSlots.length; i++) {
      const id = oldSlots[i] as number;
      if (id >= 0) this.place(id, oldHashes[i] as number);
    }
  }
}
