// Public library API: re-exports only.
export * from './autotask/types.js';
export { formatAutotaskDateTime, parseAutotaskDateTime } from './autotask/datetime.js';
export * from './autotask/index.js';
export { AppError, ConfigError, SourceError, StateStoreError } from './shared/errors.js';
export { systemClock, ManualClock, type Clock } from './shared/clock.js';
export { createLogger, silentLogger, type Logger } from './shared/logger.js';
