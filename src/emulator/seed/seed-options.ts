/** Options of `seedTenant`, with the emulator's documented default credentials. */
import type { EntityName, UserDefinedFieldInformation } from '../../autotask/types.js';

/**
 * Default API user of every seeded tenant. These are fixed, documented test credentials of the local
 * emulator (never real ones); override them with `SeedOptions.apiUser`.
 */
export const DEFAULT_API_USER = {
  userName: 'api.user@emulator.local',
  secret: 'emulator-secret-1234',
  integrationCode: 'EMULATORINTEGRATIONCODE01',
} as const;

export interface SeedOptions {
  /** `demo` adds a handful of realistic companies, contacts and opportunities. @default 'demo' */
  seed?: 'demo' | 'empty';
  /**
   * Generated companies for load tests: N companies, about 2N contacts and N/2 opportunities, on top
   * of the demo records. @default 0
   */
  records?: number;
  /** Seed of the deterministic generator: the same options always give the same tenant. @default 1 */
  randomSeed?: number;
  /** Credentials the emulator accepts (each part overridable). @default DEFAULT_API_USER */
  apiUser?: Partial<{ userName: string; secret: string; integrationCode: string }>;
  /** The tenant's UDF definitions per entity (Resources must have none). @default defaultUdfDefinitions() */
  udfDefinitions?: Partial<Record<EntityName, UserDefinedFieldInformation[]>>;
  /**
   * Timestamps of seeded records fall in the year before this instant (ms since the epoch), so they
   * do not depend on when the emulator starts. @default Date.UTC(2026, 0, 1)
   */
  referenceTime?: number;
}

export const DEFAULT_REFERENCE_TIME = Date.UTC(2026, 0, 1);
