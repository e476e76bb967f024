/**
 * The rolling-hour budget. Autotask allows a number of requests per rolling hour for the whole
 * tenant (every integration together) and slows everyone down from 50 % usage. This limiter:
 * - counts its own calls in the rolling hour (persisted through `ApiUsageStore` when given);
 * - learns the rest of the tenant's usage from `ThresholdInformation`, re-read at most every
 *   `reconcileIntervalMs` (and when the budget looks exhausted, at most once a minute);
 * - before each call, if the estimated tenant usage would reach `share × limit`, waits (and reports
 *   until when through `onWait`) or, in fail-fast mode, throws `AutotaskBudgetExhaustedError`.
 */
import type { Clock } from '../../shared/clock.js';
import type { BudgetOptions, BudgetWaitInfo } from '../client-types.js';
import { AutotaskBudgetExhaustedError } from '../errors.js';
import type { ApiUsageStore } from '../persistence-ports.js';
import type { ThresholdInformation } from '../types.js';

export const HOUR_MS = 3_600_000;
/**
 * How long a call counts: the rolling hour plus a second of margin, so that a call made just as an
 * old one leaves our window is not counted twice by Autotask's clock.
 */
export const WINDOW_MS = HOUR_MS + 1000;
export const DEFAULT_HOURLY_LIMIT = 10_000;
export const DEFAULT_SHARE = 0.5;
export const DEFAULT_RECONCILE_INTERVAL_MS = 300_000;
/** Shortest gap between two reconciliations triggered by an exhausted budget. */
export const MIN_RECONCILE_GAP_MS = 60_000;

export interface BudgetSnapshot {
  /** Estimated tenant usage in the rolling hour. */
  used: number;
  limit: number;
  /** The most calls the tenant may have made in the rolling hour: just below `share × limit`. */
  allowed: number;
  /** This client's own calls in the rolling hour. */
  own: number;
}

/** A call the budget has made room for. */
export interface BudgetTicket {
  /** The request is leaving now: from here on Autotask counts it too. */
  sent(): void;
  /** The call was not made after all (gives the room back unless `sent` was called). */
  release(): void;
}

export interface HourlyBudget {
  /**
   * Waits until one more call fits and reserves room for it (counted from now on). `reconcile`
   * reads ThresholdInformation (it must count its own call with `record`) when the estimate is stale.
   */
  acquire(): Promise<BudgetTicket>;
  /** Counts a call made without `acquire` (e.g. the ThresholdInformation call itself). */
  record(): void;
  /** Takes the tenant-wide count from a ThresholdInformation answer just received. */
  reconcileWith(info: ThresholdInformation): void;
  /** Forces a reconciliation before the next call (after Autotask throttled us). */
  markStale(): void;
  snapshot(): BudgetSnapshot;
}

interface Entry {
  at: number;
  count: number;
}

export function createHourlyBudget(
  options: BudgetOptions & {
    clock: Clock;
    /** Reads ThresholdInformation and calls `reconcileWith`; absent → never reconciles. */
    reconcile?: () => Promise<void>;
    /** Counts waits for stats. */
    onWaitStat?: (waitMs: number) => void;
    /** Ends waits early (the wait rejects with the signal's reason). */
    signal?: AbortSignal | undefined;
  },
): HourlyBudget {
  const { clock } = options;
  const share = options.share ?? DEFAULT_SHARE;
  if (!(share > 0 && share <= 1)) throw new RangeError(`budget.share must be in (0, 1]; got ${share}`);
  if (options.hourlyLimit !== undefined && !(options.hourlyLimit >= 1)) {
    throw new RangeError(`budget.hourlyLimit must be at least 1; got ${options.hourlyLimit}`);
  }
  const interval =
    options.reconcileIntervalMs === false || options.reconcile === undefined
      ? undefined
      : (options.reconcileIntervalMs ?? DEFAULT_RECONCILE_INTERVAL_MS);
  const store: ApiUsageStore | undefined = options.usageStore;

  let limit = options.hourlyLimit ?? DEFAULT_HOURLY_LIMIT;
  const own: Entry[] = store
    ? store
        .recent(clock.now() - WINDOW_MS)
        .filter((e) => e.count > 0)
        .sort((a, b) => a.at - b.at)
        .map((e) => ({ ...e }))
    : [];
  /** Others' calls in the window as of the last reconciliation. */
  let others = 0;
  let reconciledAt: number | undefined;
  let stale = interval !== undefined;
  let reconciling: Promise<void> | undefined;
  /** Gap between re-readings while others' usage blocks us; doubles up to the interval. */
  let recheckGap = MIN_RECONCILE_GAP_MS;
  /**
   * Calls reserved by `acquire` but not sent yet (waiting for a lane). They count against the
   * budget, but Autotask has not seen them, so they are left out when deriving others' usage.
   */
  let pending = 0;
  /** End of the last wait reported through `onWait`. */
  let reportedUntil = Number.NEGATIVE_INFINITY;

  const prune = (now: number): void => {
    while (own.length > 0 && (own[0]?.at ?? now) <= now - WINDOW_MS) own.shift();
  };
  const ownCount = (now: number): number => {
    prune(now);
    return own.reduce((n, e) => n + e.count, 0);
  };
  // Strictly below share × limit: Autotask's latency penalty starts *at* 50 % (the default share).
  const allowed = (): number => Math.max(1, Math.ceil(share * limit) - 1);
  const snapshot = (): BudgetSnapshot => {
    const now = clock.now();
    const o = ownCount(now) + pending;
    return { used: others + o, limit, allowed: allowed(), own: o };
  };
  const record = (): void => {
    const now = clock.now();
    const last = own[own.length - 1];
    if (last && last.at === now) last.count += 1;
    else own.push({ at: now, count: 1 });
    store?.add(now, 1);
  };

  const reconcileOnce = async (): Promise<void> => {
    if (!options.reconcile) return;
    reconciling ??= options.reconcile().finally(() => {
      reconciling = undefined;
    });
    await reconciling;
  };

  /** When enough of our own calls leave the window for one more call to fit; undefined if never. */
  const roomAt = (now: number): number | undefined => {
    prune(now);
    let excess = others + ownCount(now) + pending + 1 - allowed();
    if (excess <= 0) return now;
    for (const e of own) {
      excess -= e.count;
      if (excess <= 0) return e.at + WINDOW_MS;
    }
    return undefined;
  };

  const ticket = (): BudgetTicket => {
    pending += 1;
    let open = true;
    return {
      sent() {
        if (!open) return;
        open = false;
        pending -= 1;
        record();
      },
      release() {
        if (!open) return;
        open = false;
        pending -= 1;
      },
    };
  };

  const acquire = async (): Promise<BudgetTicket> => {
    for (;;) {
      options.signal?.throwIfAborted();
      const now = clock.now();
      const due =
        interval !== undefined && (stale || reconciledAt === undefined || now - reconciledAt >= interval);
      if (due) {
        const before = reconciledAt;
        try {
          await reconcileOnce();
        } catch {
          // ThresholdInformation unavailable: keep counting our own calls; try again next interval.
        }
        if (reconciledAt === before) {
          reconciledAt = clock.now();
          stale = false;
        }
        continue;
      }
      const at = roomAt(now);
      if (at !== undefined && at <= now) {
        recheckGap = MIN_RECONCILE_GAP_MS;
        return ticket();
      }
      // No room. When other integrations' calls are part of the usage, a fresh reading may show some
      // have aged out: re-read after a minute, then less and less often (each reading is a call).
      // When only our own calls fill the share, re-reading would only spend calls: wait until
      // enough of them leave the window.
      const othersBlock = interval !== undefined && reconciledAt !== undefined && others > 0;
      const lastReading = reconciledAt ?? now;
      if (othersBlock && now - lastReading >= recheckGap && (at === undefined || at - now > recheckGap)) {
        stale = true;
        recheckGap = Math.min(recheckGap * 2, Math.max(MIN_RECONCILE_GAP_MS, interval ?? 0));
        continue;
      }
      const recheckAt = othersBlock ? lastReading + recheckGap : undefined;
      const candidates = [at, recheckAt].filter((t): t is number => t !== undefined && t > now);
      const until = candidates.length > 0 ? Math.min(...candidates) : now + MIN_RECONCILE_GAP_MS;
      const snap = snapshot();
      const info: BudgetWaitInfo = {
        until,
        waitMs: until - now,
        used: snap.used,
        limit,
        allowed: snap.allowed,
      };
      if (options.whenExhausted === 'fail') {
        throw new AutotaskBudgetExhaustedError(
          `The Autotask hourly budget share is used up: the tenant has made about ${snap.used} of ${limit} calls this hour and this client stops at ${snap.allowed} (${Math.round(share * 100)} %). Room is expected at ${new Date(until).toISOString()}; raise budget.share or wait.`,
          { until, used: snap.used, allowed: snap.allowed, limit },
        );
      }
      // Many callers may wait at once; report a wait when the last reported one is over, not once
      // per waiting caller.
      if (now >= reportedUntil) {
        reportedUntil = until;
        options.onWait?.(info);
      }
      options.onWaitStat?.(info.waitMs);
      await clock.sleep(info.waitMs, options.signal);
    }
  };

  return {
    acquire,
    record,
    reconcileWith(info) {
      const now = clock.now();
      if (options.hourlyLimit === undefined && info.externalRequestThreshold > 0) {
        limit = info.externalRequestThreshold;
      }
      others = Math.max(0, info.currentTimeframeRequestCount - ownCount(now));
      reconciledAt = now;
      stale = false;
    },
    markStale() {
      if (interval !== undefined) stale = true;
    },
    snapshot,
  };
}
