/**
 * Splits a byte stream into lines (`\n`, with a trailing `\r` removed), numbering them from 1.
 * A line longer than `maxLineBytes` is not kept in memory: it is reported as too long and skipped.
 */
import { createReadStream } from 'node:fs';

import { fileError } from './csv/csv-reader.js';

export type Line =
  { line: number; bytes: Buffer; tooLong?: undefined } | { line: number; bytes?: undefined; tooLong: true };

/** Yields every line of `file` (the last one even without a final newline). */
export async function* readLines(
  file: string,
  options: { maxLineBytes: number; signal?: AbortSignal | undefined },
): AsyncGenerator<Line, void, undefined> {
  const stream = createReadStream(file, { highWaterMark: 64 * 1024 });
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  let line = 1;
  const finish = (): Line => {
    const result: Line = tooLong
      ? { line, tooLong: true }
      : { line, bytes: stripCr(Buffer.concat(parts, size)) };
    parts = [];
    size = 0;
    tooLong = false;
    line++;
    return result;
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      options.signal?.throwIfAborted();
      let start = 0;
      for (let nl = chunk.indexOf(0x0a); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
        append(chunk.subarray(start, nl));
        yield finish();
        start = nl + 1;
      }
      append(chunk.subarray(start));
    }
    if (size > 0 || tooLong) yield finish();
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code !== undefined &&
      !(error instanceof Error && 'details' in error)
    )
      throw fileError(error, file);
    throw error;
  } finally {
    stream.destroy();
  }

  function append(piece: Buffer): void {
    if (tooLong || piece.length === 0) return;
    if (size + piece.length > options.maxLineBytes) {
      tooLong = true;
      parts = [];
      size = 0;
      return;
    }
    parts.push(piece);
    size += piece.length;
  }
}

function stripCr(bytes: Buffer): Buffer {
  return bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.subarray(0, bytes.length - 1) : bytes;
}
