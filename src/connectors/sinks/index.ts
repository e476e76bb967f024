export type {
  PruneOptions,
  PruneOutcome,
  Sink,
  SinkColumn,
  SinkColumnType,
  SinkOpenOptions,
  SinkOptions,
  SinkRow,
} from './sink.js';
export { SinkError } from './sink-error.js';
export { CsvSink, type CsvSinkOptions } from './csv-sink.js';
export { JsonlSink, type JsonlSinkOptions } from './jsonl-sink.js';
export { SqliteSink, type SqliteSinkOptions } from './sqlite-sink.js';
export { PostgresSink, type PostgresSinkOptions } from './postgres-sink.js';
export { createSink } from './create-sink.js';
export { neutraliseFormula } from './spreadsheet-formula.js';
export { postgresColumnName } from './sql-identifier.js';
