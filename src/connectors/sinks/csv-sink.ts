import { open } from 'node:fs/promises';

import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

import { textValue } from './cell-value.js';
import { FileSink } from './file-sink.js';
import type { SinkColumn, SinkRow } from './sink.js';
import { SinkError } from './sink-error.js';
import { neutraliseFormula } from './spreadsheet-formula.js';

export interface CsvSinkOptions {
  /** The CSV file. */
  path: string;
  /** Field separator. @default ',' */
  delimiter?: string;
}

/**
 * CSV with a header row (RFC 4180 quoting, `\n` line ends, UTF-8). Text that a spreadsheet would run
 * as a formula (`= + - @`, tab or CR first) gets a leading `'`. Appending (`merge`) keeps the existing
 * file's column order; a column the file lacks is an error that says to re-export in full.
 */
export class CsvSink extends FileSink {
  private readonly delimiter: string;
  private columns: string[] = [];

  constructor(options: CsvSinkOptions) {
    super(options.path);
    this.delimiter = options.delimiter ?? ',';
  }

  protected header(columns: readonly SinkColumn[]): string {
    this.columns = columns.map((c) => c.name);
    return stringify([this.columns], { delimiter: this.delimiter });
  }

  protected async prepareAppend(columns: readonly SinkColumn[]): Promise<void> {
    const existing = await this.readHeader();
    const missing = columns.map((c) => c.name).filter((c) => !existing.includes(c));
    if (missing.length > 0) {
      throw new SinkError(
        `${this.description} has no column for ${missing.map((m) => `"${m}"`).join(', ')} (the fields in Autotask ` +
          'changed since the file was first written); export in full (--full) to rewrite it with the new columns',
        { destination: this.description, missing },
      );
    }
    this.columns = existing;
  }

  protected format(rows: readonly SinkRow[]): string {
    return stringify(
      rows.map((row) => this.columns.map((c) => neutraliseFormula(textValue(row[c])))),
      { delimiter: this.delimiter },
    );
  }

  private async readHeader(): Promise<string[]> {
    const fh = await open(this.path, 'r');
    try {
      const buffer = Buffer.alloc(256 * 1024);
      const { bytesRead } = await fh.read(buffer, 0, buffer.length, 0);
      const text = buffer.subarray(0, bytesRead).toString('utf8');
      const rows: unknown = parse(text, {
        delimiter: this.delimiter,
        to_line: 1,
        bom: true,
        relax_column_count: true,
      });
      const header = Array.isArray(rows) ? (rows[0] as unknown) : undefined;
      if (!Array.isArray(header) || header.length === 0)
        throw new SinkError(`${this.description} has no header row`, { destination: this.description });
      return header.map((h) => String(h));
    } finally {
      await fh.close();
    }
  }
}
