export * from './autotask-equality.js';
export * from './compact-record.js';
export * from './default-indexed-fields.js';
export * from './hash-index.js';
export * from './in-memory-entity-table.js';
export * from './string-interner.js';
export * from './tenant.js';
