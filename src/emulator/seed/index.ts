export * from './prng.js';
export * from './seed-options.js';
export * from './seed-resources.js';
export * from './seed-tenant.js';
