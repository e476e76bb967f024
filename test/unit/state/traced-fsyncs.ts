/**
 * Counting the fsync/fdatasync calls a state store makes, with strace: a fixture script (under
 * `fixtures/`) writes between a `MARK-START` and a `MARK-END` marker, and the calls traced between
 * them are counted. The durability tests skip where strace is not installed.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { expect } from 'vitest';

/** Whether strace runs on this machine. */
export const hasStrace = spawnSync('strace', ['-V']).status === 0;

/** fsync/fdatasync calls `fixtures/<fixture> <args…>` makes between its markers. */
export function tracedFsyncs(fixture: string, args: readonly string[]): number {
  const writer = join(import.meta.dirname, 'fixtures', fixture);
  const out = spawnSync(
    'strace',
    ['-f', '-e', 'trace=fsync,fdatasync,write', process.execPath, '--import', 'tsx', writer, ...args],
    { encoding: 'utf8' },
  );
  const trace = out.stderr;
  const body = trace.slice(trace.indexOf('MARK-START'), trace.indexOf('MARK-END'));
  expect(body.length).toBeGreaterThan(0);
  return (body.match(/\b(fsync|fdatasync)\(/g) ?? []).length;
}
