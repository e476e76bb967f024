export * from './field-mapping-spec.js';
export * from './row-filter-spec.js';
