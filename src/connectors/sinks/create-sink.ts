import type { DestinationSpec } from '../../config/types.js';
import { CsvSink } from './csv-sink.js';
import { JsonlSink } from './jsonl-sink.js';
import { PostgresSink } from './postgres-sink.js';
import type { Sink, SinkOptions } from './sink.js';
import { SqliteSink } from './sqlite-sink.js';

/** The sink for an export's `destination:` (paths already absolute, as `loadConfig` returns them). */
export function createSink(destination: DestinationSpec, options: SinkOptions = {}): Sink {
  switch (destination.type) {
    case 'csv':
      return new CsvSink({ path: destination.path, delimiter: destination.delimiter });
    case 'jsonl':
      return new JsonlSink({ path: destination.path });
    case 'sqlite':
      return new SqliteSink({ ...options, path: destination.path, table: destination.table });
    case 'postgres':
      return new PostgresSink({ ...options, url: destination.url, table: destination.table });
  }
}
