/**
 * The CSV tokenizer: streams a file through csv-parse and yields its physical records with the line
 * each starts on. Values are still bytes (a Latin-1 transport string, one character per byte):
 * `text-decoding.ts` turns them into text.
 *
 * csv-parse is run with quotes relaxed (a stray `"` inside an unquoted value is kept as text), record
 * lengths relaxed (the caller reports ragged rows) and blank lines skipped. A quote left open at the
 * end of the file is yielded as an `unclosed-quote` event, after every record before it.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';

import { parse, type CsvError } from 'csv-parse';

import { SourceError } from '../../../shared/errors.js';
import { leadingNewlines, LineTracker } from './line-tracker.js';
import { detectDelimiter, detectUnsupportedEncoding, hasFirstRecord } from './sniff.js';

/** Longest record accepted (bytes). A longer one is almost always a quote that is never closed. */
export const MAX_RECORD_BYTES = 8 * 1024 * 1024;

/** Bytes read before deciding the delimiter when the first line is longer. */
const SNIFF_BYTES = 64 * 1024;

export interface CsvRow {
  /** Values as Latin-1 transport strings (one character per byte). */
  fields: string[];
  /** 1-based physical line where the record starts. */
  line: number;
  /** 1-based physical line where it ends (greater than `line` when a quoted value spans lines). */
  lastLine: number;
  /** The record's text (transport string), without blank lines before it. */
  raw: string;
}

export type CsvEvent =
  | { kind: 'start'; delimiter: string }
  | { kind: 'row'; row: CsvRow }
  | { kind: 'unclosed-quote'; line: number; raw: string };

export interface CsvReadSettings {
  file: string;
  /** One character, or `auto`. */
  delimiter: string;
  quote: string;
  signal?: AbortSignal | undefined;
}

/** Options shared by the streaming parser and the re-parse of a suspicious span. */
export function parserOptions(delimiter: string, quote: string) {
  return {
    encoding: 'latin1' as const,
    // `readCsvRows` drops a UTF-8 BOM itself (see there).
    bom: false,
    raw: true,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_BYTES,
    info: true,
    delimiter: toTransport(delimiter),
    quote: toTransport(quote),
    escape: toTransport(quote),
  };
}

/** A setting character as the transport string of its UTF-8 bytes. */
function toTransport(char: string): string {
  return Buffer.from(char, 'utf8').toString('latin1');
}

/**
 * Streams the records of `settings.file`, after a `start` event naming the delimiter in use. Throws
 * `SourceError` when the file cannot be read.
 */
export async function* readCsvRows(settings: CsvReadSettings): AsyncGenerator<CsvEvent, void, undefined> {
  const { file, quote, signal } = settings;
  const stream = createReadStream(file, { highWaterMark: 64 * 1024 });
  const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let input: Readable | undefined;
  let parser: ReturnType<typeof parse> | undefined;
  try {
    const head: Buffer[] = [];
    let headBytes = Buffer.alloc(0);
    while (headBytes.length < SNIFF_BYTES && !hasFirstRecord(headBytes, quote)) {
      const next = await nextChunk(chunks, file);
      if (next === undefined) break;
      head.push(next);
      headBytes = Buffer.concat([headBytes, next]);
    }
    const unsupported = detectUnsupportedEncoding(headBytes);
    if (unsupported !== undefined) throw new SourceError(`${file}: ${unsupported}`, { location: file });
    // The UTF-8 BOM of Excel's "CSV UTF-8" is dropped here, not by csv-parse: on seeing it, csv-parse
    // switches to decoding UTF-8 itself and hands over text where `text-decoding.ts` expects bytes
    // (every non-ASCII value then looked like Latin-1, or invalid with `encoding: utf-8`).
    if (headBytes[0] === 0xef && headBytes[1] === 0xbb && headBytes[2] === 0xbf) {
      headBytes = headBytes.subarray(3);
      head.splice(0, head.length, headBytes);
    }
    // Excel's "sep=;" first line names the delimiter; the header follows it.
    const excelSep = /^sep=(.)\r?\n/.exec(headBytes.subarray(0, 16).toString('latin1'))?.[1];
    const delimiter =
      settings.delimiter !== 'auto' ? settings.delimiter : (excelSep ?? detectDelimiter(headBytes, quote));

    yield { kind: 'start', delimiter };
    const tracker = new LineTracker();
    // Skipped records, kept until the records parsed before them have been yielded. Only a quote left
    // open at the end of the file (yielded as an event) and an over-long record (fatal) get here.
    const skipped: { after: number; error: CsvError | undefined; raw: string }[] = [];
    parser = parse({
      ...parserOptions(delimiter, quote),
      ...(excelSep === undefined ? {} : { from_line: 2 }),
      on_skip: (error: CsvError | undefined, raw: string | undefined): undefined => {
        const records = (error as { records?: number } | undefined)?.records;
        skipped.push({ after: records ?? Infinity, error, raw: raw ?? '' });
        return undefined;
      },
    });
    async function* feed(): AsyncGenerator<Buffer> {
      for (const chunk of head) {
        tracker.push(chunk);
        yield chunk;
      }
      for (;;) {
        const chunk = await nextChunk(chunks, file);
        if (chunk === undefined) return;
        tracker.push(chunk);
        yield chunk;
      }
    }
    const activeParser = parser;
    input = Readable.from(feed(), { objectMode: false });
    input.on('error', (error) => activeParser.destroy(error));
    input.pipe(activeParser);

    // Byte offset of the end of the last record yielded.
    let offset = 0;
    let consumed = 0;
    let fatal: SourceError | undefined;
    const flushSkipped = function* (upTo: number): Generator<CsvEvent> {
      while (skipped.length > 0 && (skipped[0]?.after ?? Infinity) <= upTo) {
        const { error, raw } = skipped.shift()!;
        const lead = leadingNewlines(raw);
        const line = tracker.lineAt(offset + lead);
        if (error?.code === 'CSV_QUOTE_NOT_CLOSED')
          yield { kind: 'unclosed-quote', line, raw: raw.slice(lead) };
        else
          fatal ??= new SourceError(
            error?.code === 'CSV_MAX_RECORD_SIZE'
              ? `${file}:${line}: this record is longer than ${MAX_RECORD_BYTES / 1024 / 1024} MiB, so a quote (${quote}) opened on line ${line} is probably never closed: fix that line`
              : `${file}:${line}: ${error?.message ?? 'unreadable record'}`,
            { location: `${file}:${line}`, line },
            error,
          );
      }
    };
    for await (const parsed of activeParser as AsyncIterable<{
      record: string[];
      raw: string;
      info: { bytes: number };
    }>) {
      signal?.throwIfAborted();
      const { record: fields, raw, info } = parsed;
      // `info.bytes` is exact; `raw` may lack the last byte of a CRLF, which only moves `start` within
      // the record's first line.
      const lead = leadingNewlines(raw);
      const line = tracker.lineAt(Math.max(offset, info.bytes - raw.length + lead));
      const lastLine = tracker.lineAt(info.bytes - 1);
      offset = info.bytes;
      yield {
        kind: 'row',
        row: { fields, line, lastLine: Math.max(line, lastLine), raw: lead === 0 ? raw : raw.slice(lead) },
      };
      consumed++;
      if (skipped.length > 0) yield* flushSkipped(consumed);
    }
    yield* flushSkipped(Infinity);
    if (fatal) throw fatal;
  } finally {
    input?.destroy();
    parser?.destroy();
    stream.destroy();
  }
}

async function nextChunk(chunks: AsyncIterator<Buffer>, file: string): Promise<Buffer | undefined> {
  try {
    const next = await chunks.next();
    return next.done ? undefined : next.value;
  } catch (error) {
    throw fileError(error, file);
  }
}

/** A `SourceError` for a file that cannot be opened or read, saying how to fix it. */
export function fileError(error: unknown, file: string): SourceError {
  const code = (error as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'file not found (a relative path in a configuration is resolved against the configuration file’s folder)'
      : code === 'EACCES'
        ? 'permission denied: make the file readable by this user'
        : code === 'EISDIR'
          ? 'this is a folder, not a file'
          : (error as Error).message;
  return new SourceError(`${file}: ${why}`, { location: file, reason: code ?? 'read-failed' }, error);
}
