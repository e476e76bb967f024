import { systemClock } from '../../shared/clock.js';
import { hourlyThresholdMessage, threadThresholdMessage } from './limit-messages.js';
import { RollingWindowCounter } from './rolling-window-counter.js';
import { ThreadLimiter } from './thread-limiter.js';
import type {
  AdmitRequest,
  Admission,
  RequestLimits,
  RequestLimitsOptions,
  RequestLimitsSettings,
  RequestLimitsStats,
  ThresholdUsage,
} from './types.js';
import { DEFAULT_LATENCY, usageLatencyMs } from './usage-latency.js';
import { validateLimitsOptions } from './validate-limits-options.js';

const HOUR_MS = 60 * 60 * 1000;

/**
 * The emulator's request limits (API doc §9):
 * - every admitted request (and every request refused by the thread limit, which Autotask also
 *   receives and counts) is counted in a rolling 60-minute window shared by the whole database;
 * - once the window holds `hourlyLimit` requests, further requests are refused with
 *   `hourlyLimitStatus` (429) and are NOT counted, so usage never exceeds the limit and drops as the
 *   oldest requests leave the window;
 * - at most `threadLimit` requests are in flight per (integration code, endpoint);
 * - the ticket's `delayMs` grows with usage (≥ 50 %, ≥ 75 %).
 */
export function createRequestLimits(options: RequestLimitsOptions = {}): RequestLimits {
  const clock = options.clock ?? systemClock;
  const settings: RequestLimitsSettings = {
    hourlyLimit: 10_000,
    threadLimit: 3,
    threadLimitStatus: 429,
    hourlyLimitStatus: 429,
    latency: { ...DEFAULT_LATENCY },
  };
  const counter = new RollingWindowCounter(HOUR_MS, clock);
  const threads = new ThreadLimiter();
  let rejectedHourly = 0;
  let rejectedThread = 0;

  const apply = (o: Omit<RequestLimitsOptions, 'clock'>): void => {
    validateLimitsOptions(o);
    if (o.hourlyLimit !== undefined) settings.hourlyLimit = o.hourlyLimit;
    if (o.threadLimit !== undefined) settings.threadLimit = o.threadLimit;
    if (o.threadLimitStatus !== undefined) settings.threadLimitStatus = o.threadLimitStatus;
    if (o.hourlyLimitStatus !== undefined) settings.hourlyLimitStatus = o.hourlyLimitStatus;
    if (o.latency) {
      const l = o.latency;
      settings.latency = {
        baseMs: l.baseMs ?? settings.latency.baseMs,
        at50PercentMs: l.at50PercentMs ?? settings.latency.at50PercentMs,
        at75PercentMs: l.at75PercentMs ?? settings.latency.at75PercentMs,
      };
    }
  };
  apply(options);

  const usage = (): ThresholdUsage => ({
    count: counter.count(),
    limit: settings.hourlyLimit,
    timeframeMinutes: 60,
  });

  return {
    admit(request: AdmitRequest): Admission {
      if (counter.count() >= settings.hourlyLimit) {
        rejectedHourly += 1;
        return {
          admitted: false,
          reason: 'hourly-threshold',
          status: settings.hourlyLimitStatus,
          body: { errors: [hourlyThresholdMessage(settings.hourlyLimit)] },
        };
      }
      counter.add();
      const release = threads.tryAcquire(
        `${request.integrationCode}\u0000${request.endpoint}`,
        settings.threadLimit,
      );
      if (!release) {
        rejectedThread += 1;
        return {
          admitted: false,
          reason: 'thread-threshold',
          status: settings.threadLimitStatus,
          body: { errors: [threadThresholdMessage(settings.threadLimit)] },
        };
      }
      return {
        admitted: true,
        delayMs: usageLatencyMs(counter.count(), settings.hourlyLimit, settings.latency),
        release,
      };
    },
    usage,
    stats(): RequestLimitsStats {
      return {
        usage: usage(),
        inFlight: threads.inFlight(),
        peakInFlightPerBucket: threads.peakPerBucket(),
        rejectedHourly,
        rejectedThread,
      };
    },
    settings: () => ({ ...settings, latency: { ...settings.latency } }),
    set: apply,
    reset(): void {
      counter.clear();
      threads.resetPeak();
      rejectedHourly = 0;
      rejectedThread = 0;
    },
  };
}
