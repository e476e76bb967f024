export { createEmulator, emulatorHeaders, type Emulator } from './emulator.js';
export type { EmulatorCredentials, EmulatorOptions } from './options.js';
export type { EmulatorStats } from './stats.js';
export type { Listening, ListenOptions } from './server.js';
export { EmulatorDataFileError } from './persistence/sqlite-tenant-file.js';
export { DEFAULT_API_USER } from './seed/index.js';
