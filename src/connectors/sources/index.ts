export * from './create-source.js';
export * from './csv/csv-source.js';
export * from './jsonl/jsonl-source.js';
export * from './postgres/postgres-source.js';
export * from './sqlite/sqlite-source.js';
