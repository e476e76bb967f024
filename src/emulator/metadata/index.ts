export * from './api-only-resource.js';
export * from './entity-info.js';
export * from './entity-schemas.js';
export * from './field-builders.js';
export * from './field-lookup.js';
export * from './picklists.js';
export * from './udf-definitions.js';
