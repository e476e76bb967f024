export * from './key-spec.js';
export * from './key-definitions.js';
export * from './normalise.js';
export * from './record-key.js';
export * from './payload-hash.js';
