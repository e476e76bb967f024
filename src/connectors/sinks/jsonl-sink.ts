import { FileSink } from './file-sink.js';
import type { SinkColumn, SinkRow } from './sink.js';

export interface JsonlSinkOptions {
  /** The JSON Lines file. */
  path: string;
}

/**
 * JSON Lines: one object per line with every column (missing values as `null`), values keeping their
 * JSON types. No formula neutralisation: this is not a spreadsheet format.
 */
export class JsonlSink extends FileSink {
  private columns: string[] = [];

  constructor(options: JsonlSinkOptions) {
    super(options.path);
  }

  protected header(columns: readonly SinkColumn[]): string {
    this.columns = columns.map((c) => c.name);
    return '';
  }

  protected prepareAppend(columns: readonly SinkColumn[]): Promise<void> {
    this.columns = columns.map((c) => c.name);
    return Promise.resolve();
  }

  protected format(rows: readonly SinkRow[]): string {
    let out = '';
    for (const row of rows) {
      const line: Record<string, unknown> = {};
      for (const c of this.columns) line[c] = row[c] ?? null;
      out += `${JSON.stringify(line)}\n`;
    }
    return out;
  }
}
