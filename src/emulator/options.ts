/** Options of `createEmulator`, each with its default, and their resolution. */
import type { EntityName, UserDefinedFieldInformation } from '../autotask/types.js';
import type { Clock } from '../shared/clock.js';
import { ConfigError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import type { Tenant } from './contracts.js';
import type { FaultInjectorOptions } from './faults/types.js';
import type { UsageLatencyOptions } from './limits/types.js';

export interface EmulatorCredentials {
  userName: string;
  secret: string;
  integrationCode: string;
}

export interface EmulatorOptions {
  /** Seed of a new tenant: `demo` adds realistic companies, contacts and opportunities. @default 'demo' */
  seed?: 'demo' | 'empty';
  /** Generated companies for load tests (about 2N contacts, N/2 opportunities). @default 0 */
  records?: number;
  /** Seed of the deterministic data generator. @default 1 */
  randomSeed?: number;
  /**
   * Credentials of the default API user (each part overridable).
   * @default DEFAULT_API_USER of seed/ (api.user@emulator.local, ...)
   */
  credentials?: Partial<EmulatorCredentials>;
  /** UDF definitions of a new tenant per entity. @default the seed's defaults */
  udfDefinitions?: Partial<Record<EntityName, UserDefinedFieldInformation[]>>;
  /** A ready tenant to serve instead of seeding one (seed options and `credentials` are then ignored: its `apiUsers` apply). @default none */
  tenant?: Tenant;
  /**
   * SQLite file the tenant is loaded from and written through to, so that it survives restarts.
   * Created (and seeded) when missing. @default none: in memory only
   */
  dataFile?: string;
  /** Time source (tests pass a `ManualClock`). @default systemClock */
  clock?: Clock;
  /** Logger for request and failure logs. @default silentLogger */
  logger?: Logger;
  /** Requests per rolling 60 minutes for the database. @default 10000 */
  hourlyLimit?: number;
  /** Concurrent requests per (integration code, entity). @default 3 */
  threadLimit?: number;
  /** Status of the thread-threshold rejection. @default 429 */
  threadLimitStatus?: 429 | 500;
  /** Status of the hourly-threshold rejection. @default 429 */
  hourlyLimitStatus?: 429 | 500;
  /**
   * Added latency: `baseMs` on every request, `at50PercentMs`/`at75PercentMs` from 50 %/75 % usage.
   * @default { baseMs: 0, at50PercentMs: 500, at75PercentMs: 1000 }
   */
  latency?: UsageLatencyOptions;
  /** Fault injection (error rate, targeted rules, ...). @default no faults */
  faults?: FaultInjectorOptions;
  /** Answer to GET by id of a missing record: 200 `{"item":null}` or an empty 404 (§14 q1). @default 200 */
  notFoundStatus?: 200 | 404;
  /**
   * REST root returned by zoneInformation and used in nextPageUrl, e.g. `https://emu.example/ATServicesRest/`.
   * @default derived from each request's origin (`<origin>/ATServicesRest/`)
   */
  publicUrl?: string;
  /** zoneInformation's other fields. @default { zoneName: 'EMU01', webUrl: '<origin>/', ci: 100001 } */
  zone?: Partial<{ zoneName: string; webUrl: string; ci: number }>;
  /** versioninformation's `apiVersions` (§14 q7). @default ['v1.0'] */
  apiVersions?: string[];
  /**
   * Older Autotask behaviour: a wrong ApiIntegrationCode with the right user and secret answers
   * `500 {"errors":["IntegrationCode is invalid."]}` instead of an empty 401 (§2.3, §14 q8).
   * @default false
   */
  legacyIntegrationCodeError?: boolean;
  /** Largest request body accepted; larger → 413. @default 10485760 (10 MB) */
  maxBodyBytes?: number;
  /** Serve the `/_emulator/` control endpoints (loopback callers only). @default true */
  controlEndpoints?: boolean;
}

export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Throws `ConfigError` listing every invalid option. */
export function validateEmulatorOptions(options: EmulatorOptions): void {
  const issues: { path: string; message: string }[] = [];
  const wholeAtLeast = (path: string, value: number | undefined, min: number): void => {
    if (value !== undefined && (!Number.isInteger(value) || value < min)) {
      issues.push({ path, message: `must be a whole number of at least ${min} (got ${value})` });
    }
  };
  wholeAtLeast('records', options.records, 0);
  wholeAtLeast('randomSeed', options.randomSeed, 0);
  wholeAtLeast('hourlyLimit', options.hourlyLimit, 1);
  wholeAtLeast('threadLimit', options.threadLimit, 1);
  wholeAtLeast('maxBodyBytes', options.maxBodyBytes, 1);
  if (options.publicUrl !== undefined) {
    try {
      const u = new URL(options.publicUrl);
      if (!u.pathname.endsWith('/')) issues.push({ path: 'publicUrl', message: 'must end with "/"' });
    } catch {
      issues.push({ path: 'publicUrl', message: `is not a URL: ${options.publicUrl}` });
    }
  }
  for (const [key, value] of Object.entries(options.credentials ?? {})) {
    if (typeof value !== 'string' || value.trim() === '') {
      issues.push({ path: `credentials.${key}`, message: 'must be a non-empty string' });
    }
  }
  if (issues.length) throw new ConfigError('Invalid emulator options.', issues);
}
