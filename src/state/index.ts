export * from './state-store.js';
export { openStateStore, type OpenStateStoreOptions } from './sqlite-state-store.js';
export type { Durability } from './sqlite/open-database.js';
export {
  rejectsPathForSync,
  writeRejectsCsv,
  writeRejectsCsvFiles,
  type RejectsFile,
  type WriteRejectsCsvOptions,
} from './rejects-csv.js';
export * from './run-lock.js';
export {
  currentProcessProbe,
  isProcessAlive,
  type ProcessIdentity,
  type ProcessProbe,
} from './process-identity.js';
