/**
 * CSV files as a `Source` (RFC 4180 with a header row).
 *
 * - Header: the first record. Names are trimmed; an empty or repeated name stops the read with the
 *   column's position, since values could not be told apart.
 * - Values stay text, exactly as written (no trimming, no type guessing), except the `'` that guards a
 *   value against running as a spreadsheet formula (`'+1 555 0100`, `'=x`, as `rejects --csv` and the
 *   CSV exports write them): it is dropped, so a fixed rejects file reads back as the original values.
 *   Rows whose values are all empty (`,,,` — what spreadsheets leave behind) are skipped like blank lines.
 * - Encoding: see `text-decoding.ts`; a UTF-8 BOM is dropped; UTF-16 is refused with how to convert.
 * - Delimiter: one character, or `auto` (`,` `;` tab or `|`, whichever the header uses most).
 * - A row with fewer values than the header has columns, or more non-empty ones, is yielded with an
 *   error (its line and the counts). When such a row spans several lines, a quote was probably left
 *   open on its first line: that line is reported and the lines after it are read again as rows of
 *   their own, so one stray quote costs one row, not the rest of the file (best effort: the line where
 *   the stray quote's partner sat may be reported too). A quote still open at the end of the file is
 *   handled the same way.
 * - Locations: the file and the physical line where the record starts.
 */
import { basename } from 'node:path';

import { parse as parseSync } from 'csv-parse/sync';

import { SourceError } from '../../../shared/errors.js';
import {
  fileSizeBytes,
  type Source,
  type SourceOptions,
  type SourceRecord,
  type SourceWarning,
} from '../../source.js';
import { readCsvRows, parserOptions, type CsvEvent, type CsvRow } from './csv-reader.js';
import { countNewlines, leadingNewlines } from './line-tracker.js';
import { ValueDecoder, type CsvEncoding, type DecodeEvent } from './text-decoding.js';

export interface CsvSourceSettings {
  /** The file (absolute, or relative to the process's working folder). */
  path: string;
  /**
   * One character, or `auto` to detect `,` `;` tab or `|` from the header.
   * @default 'auto'
   */
  delimiter?: string;
  /**
   * `utf-8`, `latin1` (read as Windows-1252), or `auto`.
   * @default 'auto'
   */
  encoding?: CsvEncoding;
  /**
   * The quote character; a quote inside a quoted value is written twice.
   * @default '"'
   */
  quote?: string;
}

export function createCsvSource(settings: CsvSourceSettings, options: SourceOptions = {}): Source {
  return new CsvSource(settings, options);
}

class CsvSource implements Source {
  readonly name: string;
  private readonly delimiter: string;
  private readonly encoding: CsvEncoding;
  private readonly quote: string;

  constructor(
    private readonly settings: CsvSourceSettings,
    private readonly options: SourceOptions,
  ) {
    this.name = basename(settings.path);
    this.delimiter = settings.delimiter ?? 'auto';
    this.encoding = settings.encoding ?? 'auto';
    this.quote = settings.quote ?? '"';
    if (this.quote === this.delimiter || [...this.quote].length !== 1)
      throw new SourceError(`${settings.path}: the quote must be one character other than the delimiter`, {
        location: settings.path,
      });
  }

  sizeBytes(): Promise<number | undefined> {
    return fileSizeBytes(this.settings.path);
  }

  async describe(): Promise<{ columns: string[] }> {
    const session = new ReadSession(this.settings.path, this.encoding, this.quote, () => undefined);
    const rows = readCsvRows({
      file: this.settings.path,
      delimiter: this.delimiter,
      quote: this.quote,
      signal: this.options.signal,
    });
    try {
      for await (const event of rows) {
        if (event.kind === 'start') session.delimiterUsed = event.delimiter;
        else return { columns: session.header(event) };
      }
      return { columns: [] };
    } finally {
      await rows.return(undefined);
    }
  }

  async *read(): AsyncGenerator<SourceRecord, void, undefined> {
    const session = new ReadSession(
      this.settings.path,
      this.encoding,
      this.quote,
      this.options.onWarning ?? (() => undefined),
    );
    let columns: string[] | undefined;
    for await (const event of readCsvRows({
      file: this.settings.path,
      delimiter: this.delimiter,
      quote: this.quote,
      signal: this.options.signal,
    })) {
      if (event.kind === 'start') session.delimiterUsed = event.delimiter;
      else if (columns === undefined) columns = session.header(event);
      else if (event.kind === 'row') yield* session.records(event.row, columns);
      else yield* session.unclosedQuote(event.line, event.raw, columns);
    }
  }
}

/** The state of one read: the decoder's decision, warnings already given, the record index. */
class ReadSession {
  private index = 0;
  private readonly warned = new Set<DecodeEvent>();
  private readonly decoder: ValueDecoder;
  private line = 0;
  /** The delimiter the file is read with (after `auto` detection). */
  delimiterUsed = ',';

  constructor(
    private readonly file: string,
    encoding: CsvEncoding,
    private readonly quote: string,
    private readonly onWarning: (warning: SourceWarning) => void,
  ) {
    this.decoder = new ValueDecoder(encoding, (event) => this.warn(event));
  }

  /** The column names from the first event; throws `SourceError` for an unusable header. */
  header(event: Exclude<CsvEvent, { kind: 'start' }>): string[] {
    if (event.kind !== 'row')
      throw new SourceError(
        `${this.file}:${event.line}: the header has a quote (${this.quote}) that is never closed: fix the header line`,
        { location: `${this.file}:${event.line}`, line: event.line },
      );
    this.line = event.row.line;
    const names = event.row.fields.map((bytes, i) => {
      const decoded = this.decoder.decode(bytes);
      if (!decoded.ok)
        throw new SourceError(`${this.file}:${event.row.line}: header column ${i + 1}: ${decoded.reason}`, {
          location: `${this.file}:${event.row.line}`,
          line: event.row.line,
        });
      return decoded.text.trim();
    });
    // Spreadsheets often leave unnamed empty columns at the right: ignore them (their values must be empty).
    let named = names.length;
    while (named > 1 && names[named - 1] === '') named--;
    if (named < names.length) {
      this.onWarning({
        code: 'CSV_UNNAMED_COLUMNS_IGNORED',
        message: `${basename(this.file)}:${event.row.line}: ${names.length - named} column(s) at the right of the header have no name and are ignored`,
        location: { file: this.file, line: event.row.line, index: 0 },
      });
      names.length = named;
    }
    const seen = new Map<string, number>();
    names.forEach((name, i) => {
      const where = `${this.file}:${event.row.line}`;
      if (name === '')
        throw new SourceError(
          `${where}: header column ${i + 1} has no name: name it, or delete the column if it is empty` +
            (names.length === 1
              ? ` (is the delimiter right? this file was read with "${this.delimiterUsed}")`
              : ''),
          { location: where, line: event.row.line, column: i + 1 },
        );
      const first = seen.get(name);
      if (first !== undefined)
        throw new SourceError(
          `${where}: the header names "${name}" twice (columns ${first + 1} and ${i + 1}): rename one of them`,
          { location: where, line: event.row.line, column: i + 1 },
        );
      seen.set(name, i);
    });
    return names;
  }

  /** Records for one parsed row: normally one; several when a stray quote swallowed lines. */
  *records(row: CsvRow, columns: readonly string[]): Generator<SourceRecord> {
    this.line = row.line;
    const fields = row.fields;
    if (fields.every((f) => f === '')) return;
    const width =
      fields.length > columns.length && fields.slice(columns.length).every((f) => f === '')
        ? columns.length
        : fields.length;
    if (width !== columns.length && row.lastLine > row.line) {
      yield* this.recoverSpan(row, columns, `has ${width} values instead of ${columns.length}`);
      return;
    }
    const values: Record<string, string> = {};
    let problem: string | undefined;
    for (let i = 0; i < Math.min(width, columns.length); i++) {
      const decoded = this.decoder.decode(fields[i] ?? '');
      if (decoded.ok) values[columns[i] ?? ''] = unguardFormula(decoded.text);
      else problem ??= `column "${columns[i]}": ${decoded.reason}`;
    }
    if (width !== columns.length)
      problem ??=
        `this row has ${width} values but the header has ${columns.length} columns: ` +
        (width < columns.length
          ? 'add the missing values (empty ones too)'
          : `remove the extra values, or quote values that contain the delimiter (${printable(this.delimiterUsed)})`);
    yield this.record(values, row.line, problem);
  }

  /** A quote opened at `line` and never closed before the end of the file. */
  *unclosedQuote(line: number, raw: string, columns: readonly string[]): Generator<SourceRecord> {
    yield* this.recoverSpan(
      { fields: [], line, lastLine: line + countNewlines(raw.replace(/\r?\n$/, '')), raw },
      columns,
      'opens a quote that is never closed',
    );
  }

  /**
   * Reports the first line of a record that ran over several lines because of a quote, and reads
   * the lines after it again as records of their own.
   */
  private *recoverSpan(row: CsvRow, columns: readonly string[], what: string): Generator<SourceRecord> {
    const newline = row.raw.indexOf('\n');
    const firstLine = (newline === -1 ? row.raw : row.raw.slice(0, newline)).replace(/\r$/, '');
    const values: Record<string, string> = {};
    firstLine.split(this.delimiterUsedTransport()).forEach((bytes, i) => {
      const decoded = this.decoder.decode(bytes);
      if (i < columns.length && decoded.ok) values[columns[i] ?? ''] = decoded.text;
    });
    yield this.record(
      values,
      row.line,
      `this row ${what} (it runs from line ${row.line} to line ${row.lastLine}): a quote (${this.quote}) on line ` +
        `${row.line} is probably not closed; write a quote inside a value as ${this.quote}${this.quote}, or quote the whole value. ` +
        `Lines ${row.line + 1}–${row.lastLine} were read again on their own`,
    );
    if (newline === -1) return;
    const rest = row.raw.slice(newline + 1);
    const parsed = parseSync(rest, {
      ...parserOptions(this.delimiterUsed, this.quote),
      bom: false,
      info: true,
    }) as unknown as { record: string[]; raw: string; info: { bytes: number } }[];
    let counted = 0;
    let linesBefore = 0;
    for (const sub of parsed) {
      const lead = leadingNewlines(sub.raw);
      const start = sub.info.bytes - sub.raw.length + lead;
      linesBefore += countNewlines(rest.slice(counted, start));
      counted = start;
      const body = sub.raw.slice(lead);
      const line = row.line + 1 + linesBefore;
      yield* this.records(
        { fields: sub.record, line, lastLine: line + countNewlines(body.replace(/\r?\n$/, '')), raw: body },
        columns,
      );
    }
  }

  private record(values: Record<string, string>, line: number, problem: string | undefined): SourceRecord {
    const location = { file: this.file, line, index: this.index++ };
    if (problem === undefined) return { values, location };
    const where = `${this.file}:${line}`;
    return { values, location, error: new SourceError(`${where}: ${problem}`, { location: where, line }) };
  }

  private warn(event: DecodeEvent): void {
    if (this.warned.has(event)) return;
    this.warned.add(event);
    const where = `${basename(this.file)}:${this.line}`;
    const message =
      event === 'latin1-detected'
        ? `${basename(this.file)} is not UTF-8 (first seen on line ${this.line}): read as Latin-1 (Windows-1252). ` +
          'Set `encoding: latin1` on the source to confirm, or save the file as UTF-8'
        : event === 'latin1-fallback'
          ? `${where}: a value is not valid UTF-8 although the file is: read it as Latin-1 (Windows-1252); ` +
            'check the file was not assembled from files in different encodings'
          : `${where}: NUL characters removed from values (further ones removed silently); the file may be damaged`;
    this.onWarning({
      code: event === 'nul-removed' ? 'CSV_NUL_REMOVED' : 'CSV_READ_AS_LATIN1',
      message,
      location: { file: this.file, line: this.line, index: this.index },
    });
  }

  private delimiterUsedTransport(): string {
    return Buffer.from(this.delimiterUsed, 'utf8').toString('latin1');
  }
}

/** The formula guard `neutraliseFormula` (connectors/sinks) adds, taken off again: `'+1 555` → `+1 555`. */
const FORMULA_GUARD = /^'(?=[=+\-@\t\r])/;

function unguardFormula(text: string): string {
  return text.replace(FORMULA_GUARD, '');
}

function printable(delimiter: string): string {
  return delimiter === '\t' ? 'tab' : `"${delimiter}"`;
}
