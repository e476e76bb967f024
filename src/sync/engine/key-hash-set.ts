/**
 * A compact set of record keys for the key pass and the load pass: each key is kept as a 64-bit hash
 * in typed arrays (open addressing), with one 32-bit number beside it (the row it was first seen on),
 * so a million keys cost about 24 MB instead of the ~200 bytes each of a `Map<string, ...>` entry.
 *
 * Two different keys with the same 64-bit hash are taken for one key. For a million keys the chance
 * of that happening at all is about 3 in 100 million, and its effect is the safe one: two rows are
 * reported as a duplicate in the source and held back, never written twice.
 */

/** Smallest table (slots); it doubles when more than half full. */
const MIN_CAPACITY = 1024;

export class KeyHashSet {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private values: Uint32Array;
  /** 1 where a slot is taken (a hash may be 0). */
  private used: Uint8Array;
  private count = 0;
  /** The hash of the key being looked at: [high half, low half]. */
  private readonly hash = new Uint32Array(2);

  constructor(expected = 0) {
    let capacity = MIN_CAPACITY;
    while (capacity < expected * 2) capacity *= 2;
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.values = new Uint32Array(capacity);
    this.used = new Uint8Array(capacity);
  }

  /** Keys in the set. */
  get size(): number {
    return this.count;
  }

  /**
   * Adds `key` with `value` (e.g. its row index) unless it is there: returns -1 when it was added,
   * else the value stored with it when it was first added.
   */
  addOrGet(key: string, value = 0): number {
    hashKey(key, this.hash);
    const h1 = this.hash[0] ?? 0;
    const h2 = this.hash[1] ?? 0;
    const slot = this.find(h1, h2);
    if (this.used[slot] === 1) return this.values[slot] ?? 0;
    this.used[slot] = 1;
    this.hi[slot] = h1;
    this.lo[slot] = h2;
    this.values[slot] = value >>> 0;
    this.count++;
    if (this.count * 2 > this.used.length) this.grow();
    return -1;
  }

  /** Adds `key`; false when it was there already. */
  add(key: string): boolean {
    return this.addOrGet(key) === -1;
  }

  has(key: string): boolean {
    hashKey(key, this.hash);
    return this.used[this.find(this.hash[0] ?? 0, this.hash[1] ?? 0)] === 1;
  }

  /** The slot holding this hash, or the empty slot where it would go. */
  private find(h1: number, h2: number): number {
    const mask = this.used.length - 1;
    let slot = (h2 ^ Math.imul(h1, 0x9e3779b1)) & mask;
    while (this.used[slot] === 1 && (this.hi[slot] !== h1 || this.lo[slot] !== h2)) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const { hi, lo, values, used } = this;
    const capacity = used.length * 2;
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.values = new Uint32Array(capacity);
    this.used = new Uint8Array(capacity);
    for (let i = 0; i < used.length; i++) {
      if (used[i] !== 1) continue;
      const h1 = hi[i] ?? 0;
      const h2 = lo[i] ?? 0;
      const slot = this.find(h1, h2);
      this.used[slot] = 1;
      this.hi[slot] = h1;
      this.lo[slot] = h2;
      this.values[slot] = values[i] ?? 0;
    }
  }
}

/** The 64-bit hash of a key, as two 32-bit halves written into `out` (no allocation per key). */
function hashKey(key: string, out: Uint32Array): void {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  out[0] = h1 >>> 0;
  out[1] = h2 >>> 0;
}
