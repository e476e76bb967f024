/**
 * The standard suite every `Source` passes (Singer's "tap tests" idea): a harness builds sources over
 * given rows, the suite checks what the engine relies on.
 *
 * - `describe()` lists the columns in order;
 * - `read()` yields every row, in the input's order, with a location, and the same again on a second
 *   read; leaving a read early releases the input (a later read starts from the top);
 * - an empty input yields nothing;
 * - a malformed record is yielded with an error and its location, and the records around it survive;
 * - a large input streams: the first record arrives while most of the input has not been read (the
 *   harness reports how much of its input the source has taken, or holds the rest back).
 *
 * Usage: `describeSourceContract('csv', () => csvHarness)` inside a test file.
 */
import { describe, expect, it } from 'vitest';

import type { Source, SourceLocation, SourceRecord } from '../../src/connectors/source.js';

export interface LargeInput {
  source: Source;
  /** How many input rows the source has taken so far (rows written to a pipe, rows the database produced). */
  inputConsumed(): Promise<number>;
  /** Lets the rest of the input through, for harnesses that hold it back until the first record arrived. */
  release?(): Promise<void>;
  /** Frees what the harness holds (pipes, connections). */
  dispose?(): Promise<void>;
}

export interface SourceContractHarness {
  /** A source whose input holds `rows` (text values) under `columns`. */
  withRows(columns: readonly string[], rows: readonly (readonly string[])[]): Promise<Source>;
  /**
   * A source whose input holds these rows, except that the one at `badIndex` is malformed in the way
   * this kind of source can be (a ragged CSV row, a JSON line that is not JSON, an out-of-range number).
   */
  withMalformedRow(
    columns: readonly string[],
    rows: readonly (readonly string[])[],
    badIndex: number,
  ): Promise<{ source: Source; badLocation: Partial<SourceLocation> }>;
  /** A source over `count` rows `row(i)` (ids in increasing order), streamed. */
  withLargeInput(
    columns: readonly string[],
    count: number,
    row: (i: number) => string[],
  ): Promise<LargeInput>;
}

async function readAll(source: Source): Promise<SourceRecord[]> {
  const records: SourceRecord[] = [];
  for await (const record of source.read()) records.push(record);
  return records;
}

const text = (record: SourceRecord, columns: readonly string[]): string[] =>
  columns.map((c) => String(record.values[c] as string));

/** Fails (rather than hanging) when `promise` does not settle: a source that reads everything first. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(what)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function describeSourceContract(
  name: string,
  harness: () => SourceContractHarness,
  options: { largeCount?: number } = {},
): void {
  const columns = ['id', 'name', 'email'] as const;
  const rows = [
    ['1', 'Acme, Inc.', 'info@acme.example'],
    ['2', 'Zoë "Z" Müller', 'zoe@example.com'],
    ['3', 'Smith & Doe', ''],
    ['4', '=SUM(A1:A9)', 'x@example.org'],
  ];

  describe(`Source contract: ${name}`, () => {
    it('describes its columns in order', async () => {
      const source = await harness().withRows(columns, rows);
      expect((await source.describe()).columns).toEqual(columns);
      expect(source.name).not.toBe('');
    });

    it('yields every row in input order, with locations, and the same on a second read', async () => {
      const source = await harness().withRows(columns, rows);
      const first = await readAll(source);
      expect(first.map((r) => text(r, columns))).toEqual(rows);
      expect(first.every((r) => r.error === undefined)).toBe(true);
      expect(first.map((r) => r.location.index)).toEqual([0, 1, 2, 3]);
      for (const record of first)
        expect(record.location.line !== undefined || record.location.table !== undefined).toBe(true);
      const second = await readAll(source);
      expect(second.map((r) => text(r, columns))).toEqual(rows);
      expect(second.map((r) => r.location)).toEqual(first.map((r) => r.location));
    });

    it('releases its input when a read is left early, and reads again from the top', async () => {
      const source = await harness().withRows(columns, rows);
      for await (const record of source.read()) {
        expect(text(record, columns)).toEqual(rows[0]);
        break;
      }
      expect((await readAll(source)).map((r) => text(r, columns))).toEqual(rows);
    });

    it('yields nothing for an empty input', async () => {
      const source = await harness().withRows(columns, []);
      expect(await readAll(source)).toEqual([]);
      await expect(source.describe()).resolves.toBeDefined();
    });

    it('yields a malformed record with an error and its location, and keeps the others', async () => {
      const { source, badLocation } = await harness().withMalformedRow(columns, rows, 1);
      const records = await readAll(source);
      const bad = records.filter((r) => r.error !== undefined);
      expect(bad).toHaveLength(1);
      expect(bad[0]!.location).toMatchObject(badLocation);
      expect(bad[0]!.error!.code).toBe('SOURCE_ERROR');
      expect(bad[0]!.error!.message.length).toBeGreaterThan(10);
      const good = records.filter((r) => r.error === undefined).map((r) => text(r, columns));
      expect(good).toEqual([rows[0], rows[2], rows[3]]);
      expect(records.map((r) => r.location.index)).toEqual([0, 1, 2, 3]);
    });

    it('streams a large input: the first record arrives before the input is consumed', async () => {
      const count = options.largeCount ?? 200_000;
      const large = await harness().withLargeInput(columns, count, (i) => [
        String(i + 1),
        `Company ${i + 1}`,
        `contact${i + 1}@example.com`,
      ]);
      try {
        const iterator = large.source.read()[Symbol.asyncIterator]();
        const first = await within(
          iterator.next(),
          20_000,
          'the source yielded nothing while its input was held back: it does not stream',
        );
        expect(first.done).toBe(false);
        expect(first.value && text(first.value, columns)).toEqual(['1', 'Company 1', 'contact1@example.com']);
        const consumed = await large.inputConsumed();
        expect(consumed).toBeLessThan(count);
        await large.release?.();
        let n = 1;
        let last: SourceRecord | undefined;
        for (;;) {
          const next = await iterator.next();
          if (next.done) break;
          n++;
          last = next.value;
        }
        expect(n).toBe(count);
        expect(last && text(last, columns)).toEqual([
          String(count),
          `Company ${count}`,
          `contact${count}@example.com`,
        ]);
        expect(last?.location.index).toBe(count - 1);
      } finally {
        await large.dispose?.();
      }
    });
  });
}
