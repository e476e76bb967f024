export * from './key-spec.js';
