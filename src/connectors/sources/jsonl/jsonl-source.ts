/**
 * JSON Lines files as a `Source`: one JSON object per line (UTF-8; a BOM is dropped; blank lines are
 * skipped).
 *
 * - Nested objects are flattened into dotted columns by default (`{"address":{"city":"Lyon"}}` →
 *   `address.city`); with `flatten: false` they stay objects under their top-level key. Arrays are
 *   kept as values either way.
 * - A line that is not valid JSON, is not an object, is not UTF-8, or is longer than 8 MiB is yielded
 *   with an error (file and line); the lines after it are read as usual.
 * - `describe()` has no header to read: it lists the columns of the first 1,000 records, in the order
 *   they first appear.
 */
import { basename } from 'node:path';

import { SourceError } from '../../../shared/errors.js';
import { fileSizeBytes, type Source, type SourceOptions, type SourceRecord } from '../../source.js';
import { readLines } from '../line-splitter.js';

/** Longest line accepted. */
export const MAX_JSONL_LINE_BYTES = 8 * 1024 * 1024;

/** Records `describe()` looks at to list columns. */
export const JSONL_DESCRIBE_SAMPLE = 1000;

export interface JsonlSourceSettings {
  /** The file (absolute, or relative to the process's working folder). */
  path: string;
  /**
   * Flatten nested objects into dotted columns.
   * @default true
   */
  flatten?: boolean;
}

export function createJsonlSource(settings: JsonlSourceSettings, options: SourceOptions = {}): Source {
  const file = settings.path;
  const flatten = settings.flatten ?? true;
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

  async function* read(): AsyncGenerator<SourceRecord, void, undefined> {
    let index = 0;
    for await (const item of readLines(file, {
      maxLineBytes: MAX_JSONL_LINE_BYTES,
      signal: options.signal,
    })) {
      const where = `${file}:${item.line}`;
      const location = { file, line: item.line, index };
      const fail = (reason: string, values: Record<string, unknown> = {}): SourceRecord => ({
        values,
        location,
        error: new SourceError(`${where}: ${reason}`, { location: where, line: item.line }),
      });
      if (item.tooLong) {
        index++;
        yield fail(`this line is longer than ${MAX_JSONL_LINE_BYTES / 1024 / 1024} MiB: split the record`);
        continue;
      }
      let text: string;
      try {
        text = decoder.decode(item.bytes);
      } catch {
        index++;
        yield fail('this line is not valid UTF-8: save the file as UTF-8');
        continue;
      }
      if (item.line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (text.trim() === '') continue;
      index++;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        yield fail(`not valid JSON (${(error as Error).message}): each line must hold one JSON object`);
        continue;
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        yield fail(
          `expected a JSON object ({"column": value, ...}), found ${Array.isArray(parsed) ? 'an array' : parsed === null ? 'null' : `a ${typeof parsed}`}`,
        );
        continue;
      }
      if (!flatten) {
        yield { values: parsed as Record<string, unknown>, location };
        continue;
      }
      const values: Record<string, unknown> = {};
      const clash = flattenInto(values, parsed as Record<string, unknown>, '');
      yield clash === undefined
        ? { values, location }
        : fail(`two values for column "${clash}" (a dotted key and a nested object): rename one`, values);
    }
  }

  return {
    name: basename(file),
    sizeBytes: () => fileSizeBytes(file),
    async describe() {
      const columns = new Set<string>();
      let seen = 0;
      for await (const record of read()) {
        if (record.error) continue;
        for (const key of Object.keys(record.values)) columns.add(key);
        if (++seen >= JSONL_DESCRIBE_SAMPLE) break;
      }
      return { columns: [...columns] };
    },
    read,
  };
}

/** Copies `object` into `out` with nested objects flattened; returns a key written twice, if any. */
function flattenInto(
  out: Record<string, unknown>,
  object: Record<string, unknown>,
  prefix: string,
): string | undefined {
  let clash: string | undefined;
  for (const [key, value] of Object.entries(object)) {
    const column = prefix + key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      clash ??= flattenInto(out, value as Record<string, unknown>, `${column}.`);
    } else {
      if (Object.hasOwn(out, column)) clash ??= column;
      out[column] = value;
    }
  }
  return clash;
}
