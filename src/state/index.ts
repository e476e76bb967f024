export * from './state-store.js';
