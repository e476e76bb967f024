export * from './compile-filter.js';
export * from './execute-query.js';
export * from './parse-query-body.js';
export * from './query-errors.js';
export * from './render-record.js';
