export * from './connection-settings.js';
export * from './env-files.js';
export * from './interpolate.js';
export * from './load-config.js';
export * from './objects.js';
export * from './schema.js';
export * from './types.js';
