export { createFaultInjector } from './fault-injector.js';
export type { FaultInjectorDeps, FaultThresholds } from './fault-injector.js';
export { faultResponse, IIS_NOT_FOUND_HTML, unexpectedErrorMessage } from './fault-responses.js';
export {
  faultInjectorOptionsSchema,
  faultRuleSchema,
  parseFaultInjectorOptions,
  parseFaultRule,
} from './fault-options-schema.js';
export { SeededRandom } from './seeded-random.js';
export { AFTER_COMMIT_KINDS, FAULT_KINDS } from './types.js';
export type * from './types.js';
