import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { hasStrace, tracedFsyncs } from './traced-fsyncs.js';

const dir = mkdtempSync(join(tmpdir(), 'autotask-sync-durability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Counts fsync/fdatasync calls the writer makes for its 10 commits (traced with strace). */
function fsyncsFor(mode: string, durability: string): number {
  return tracedFsyncs('intent-writer.ts', [join(dir, `${mode}-${durability}.sqlite`), mode, durability]);
}

describe.skipIf(!hasStrace)('durability (traced with strace)', () => {
  it('fsyncs each intent, inside a transaction or not, but not ordinary commits, by default', () => {
    expect(fsyncsFor('link', 'intents')).toBe(0);
    expect(fsyncsFor('intent', 'intents')).toBeGreaterThanOrEqual(10);
    expect(fsyncsFor('intent-in-transaction', 'intents')).toBeGreaterThanOrEqual(10);
  });

  it('fsyncs every commit with durability full, none with normal', () => {
    expect(fsyncsFor('link', 'full')).toBeGreaterThanOrEqual(10);
    expect(fsyncsFor('intent', 'normal')).toBe(0);
  });
});
