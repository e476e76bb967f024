export * from './autotask-equality.js';
export * from './default-indexed-fields.js';
export * from './in-memory-entity-table.js';
export * from './tenant.js';
export * from './value-index.js';
export * from './compact-record.js';
