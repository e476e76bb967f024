export * from './types.js';
export type * from './ports.js';
export { planSyncs, runSyncs } from './run-syncs.js';
export { engineOptionsOf } from './engine-settings.js';
