import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

const hasStrace = spawnSync('strace', ['-V']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'autotask-sync-durability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Counts fsync/fdatasync calls the writer makes for its 10 commits (traced with strace). */
function fsyncsFor(mode: string, durability: string): number {
  const path = join(dir, `${mode}-${durability}.sqlite`);
  const writer = join(import.meta.dirname, 'fixtures/intent-writer.ts');
  const out = spawnSync(
    'strace',
    [
      '-f',
      '-e',
      'trace=fsync,fdatasync,write',
      process.execPath,
      '--import',
      'tsx',
      writer,
      path,
      mode,
      durability,
    ],
    {
      encoding: 'utf8',
    },
  );
  const trace = out.stderr;
  const body = trace.slice(trace.indexOf('MARK-START'), trace.indexOf('MARK-END'));
  expect(body.length).toBeGreaterThan(0);
  return (body.match(/\b(fsync|fdatasync)\(/g) ?? []).length;
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
