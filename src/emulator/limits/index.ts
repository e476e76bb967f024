export { createRequestLimits } from './request-limits.js';
export { hourlyThresholdMessage, threadThresholdMessage } from './limit-messages.js';
export { requestLimitsOptionsSchema, validateLimitsOptions } from './validate-limits-options.js';
export { DEFAULT_LATENCY, usageLatencyMs } from './usage-latency.js';
export { RollingWindowCounter } from './rolling-window-counter.js';
export { ThreadLimiter } from './thread-limiter.js';
export type * from './types.js';
