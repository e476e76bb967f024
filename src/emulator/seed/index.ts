export * from './seed-options.js';
export * from './seed-tenant.js';
