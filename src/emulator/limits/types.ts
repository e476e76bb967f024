/**
 * Types of the emulator's request limits (API doc §9): the rolling-hour request threshold per
 * database, the usage-based latency, and the thread (concurrency) limit per integration code and
 * endpoint. Independent of any HTTP framework: the HTTP surface calls `admit()` around each request.
 */
import type { Clock } from '../../shared/clock.js';

/** Added delay as usage of the hourly threshold grows (API doc §9.2). */
export interface UsageLatencyOptions {
  /**
   * Delay added to every request, whatever the usage (simulates network and server time).
   * @default 0
   */
  baseMs?: number;
  /**
   * Delay added once usage (requests in the last 60 minutes, this one included) reaches 50 % of the
   * hourly limit. Autotask adds "0.5 to 1 second" from 50 % (§9.2, tiers ⚠ uncertain).
   * @default 500
   */
  at50PercentMs?: number;
  /**
   * Delay added once usage reaches 75 % of the hourly limit (replaces the 50 % delay).
   * @default 1000
   */
  at75PercentMs?: number;
}

export interface RequestLimitsOptions {
  /**
   * Requests allowed per rolling 60 minutes for the whole database (all integration codes and API
   * users together). Autotask: 10,000 (§9.1).
   * @default 10000
   */
  hourlyLimit?: number;
  /**
   * Requests allowed in flight at once per (integration code, endpoint). Autotask: 3 (§9.3).
   * @default 3
   */
  threadLimit?: number;
  /**
   * HTTP status of the thread-threshold rejection. Autotask answers 429, but the same message
   * sometimes arrives with another status (§9.3); 500 reproduces that.
   * @default 429
   */
  threadLimitStatus?: 429 | 500;
  /**
   * HTTP status of the hourly-threshold rejection (§14 open question 2; we chose 429).
   * @default 429
   */
  hourlyLimitStatus?: 429 | 500;
  /** Usage-based latency; every field has its own default. */
  latency?: UsageLatencyOptions;
  /** Time source; tests pass a `ManualClock`. @default systemClock */
  clock?: Clock;
}

/** What the HTTP surface knows about a request when it asks to admit it. */
export interface AdmitRequest {
  /**
   * The `ApiIntegrationCode` header of the authenticated request. Kept in memory only as a map key;
   * never logged or returned.
   */
  integrationCode: string;
  /**
   * The "object endpoint" the request belongs to, which is its thread bucket: the entity name for
   * every entity route (`/Companies/query`, `/Companies/12`, `/Companies/entityInformation/fields`,
   * and `/Companies/{id}/Contacts` counts as `Contacts`), `ThresholdInformation`, `Version`, ...
   * Compared case-insensitively. zoneInformation and versioninformation are exempt: do not call
   * `admit` for them.
   */
  endpoint: string;
}

/** Granted admission. Call `release()` exactly once when the response has been fully produced. */
export interface RequestTicket {
  readonly admitted: true;
  /** Delay the HTTP surface must wait before answering (usage latency + base latency). */
  readonly delayMs: number;
  /** Frees the thread slot; further calls do nothing. */
  release(): void;
}

export type LimitRejectionReason = 'hourly-threshold' | 'thread-threshold';

/** Refused admission: send `status` with `body` as JSON. No slot is held. */
export interface LimitRejection {
  readonly admitted: false;
  readonly reason: LimitRejectionReason;
  readonly status: 429 | 500;
  readonly body: { errors: string[] };
}

export type Admission = RequestTicket | LimitRejection;

/** Usage of the hourly threshold, as reported by `GET /ThresholdInformation`. */
export interface ThresholdUsage {
  /** Requests counted in the last 60 minutes. */
  count: number;
  /** The hourly limit. */
  limit: number;
  /** Always 60. */
  timeframeMinutes: 60;
}

/** Counters for the emulator's `stats()` and control endpoints. */
export interface RequestLimitsStats {
  usage: ThresholdUsage;
  /** Requests currently in flight, over all buckets. */
  inFlight: number;
  /** Highest in-flight count seen in any one bucket since the last reset. */
  peakInFlightPerBucket: number;
  rejectedHourly: number;
  rejectedThread: number;
}

/** `RequestLimitsOptions` in force, with every default filled in. */
export type RequestLimitsSettings = Required<Omit<RequestLimitsOptions, 'clock' | 'latency'>> & {
  latency: Required<UsageLatencyOptions>;
};

export interface RequestLimits {
  /** Counts the request against the hourly threshold and takes a thread slot, or refuses it. */
  admit(request: AdmitRequest): Admission;
  /** Current usage of the hourly threshold (does not count as a request). */
  usage(): ThresholdUsage;
  stats(): RequestLimitsStats;
  /** The options in force (after `set`), every default filled in. */
  settings(): RequestLimitsSettings;
  /** Changes options at runtime (the clock cannot change). In-flight tickets stay valid. */
  set(options: Omit<RequestLimitsOptions, 'clock'>): void;
  /** Forgets counted requests and rejection counters (in-flight slots stay held). */
  reset(): void;
}
