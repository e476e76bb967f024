/**
 * The rolling-hour budget. Autotask allows a number of requests per rolling hour for the whole
 * tenant (every integration together) and slows everyone down from 50 % usage. This limiter:
 * - counts its own calls in the rolling hour (persisted through `ApiUsageStore` when given);
 * - learns the rest of the tenant's usage from `ThresholdInformation`, re-read every
 *   `reconcileIntervalMs` and after every wait;
 * - admits a call only while the last reading's count, less its own calls that have left the hour
 *   since, plus its own calls since (sent or reserved) and this one stays below `share × limit`;
 *   otherwise waits (reporting until when through `onWait`) or, in fail-fast mode, throws
 *   `AutotaskBudgetExhaustedError`;
 * - treats a reading as a call: it is made only when it and a call are expected to fit, so the
 *   readings themselves do not push the tenant past the share.
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
/**
 * After a wait, the client resumes when room is expected for a reading and this share of the
 * allowed calls (at least one), so that readings stay a small part of the budget.
 */
export const READING_BATCH_SHARE = 0.05;

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
  /** Least gap between re-readings while the share is full; doubles up to the interval. */
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

  const canReconcile = interval !== undefined;
  /**
   * Other integrations' calls expected in the rolling hour at `t`. Normally the last reading's count
   * (they are assumed to keep calling as before). When they alone keep the share full, waiting for
   * our own calls to leave cannot help, so the count is assumed to have been spread over the hour
   * before the reading and to leave evenly during the hour after it: that says when a new reading
   * (itself a call) is worth making. Calls are always admitted on the last reading.
   */
  const othersExpectedAt = (t: number, decay: boolean): number => {
    if (!decay || reconciledAt === undefined) return others;
    return Math.ceil(others * Math.min(1, Math.max(0, 1 - (t - reconciledAt) / WINDOW_MS)));
  };
  /** Our own calls still in the rolling hour at `t` (exact: we know when we made them). */
  const ownAt = (t: number): number => {
    let n = 0;
    for (const e of own) if (e.at > t - WINDOW_MS) n += e.count;
    return n;
  };
  const fitsAt = (t: number, needed: number, decay: boolean): boolean =>
    othersExpectedAt(t, decay) + ownAt(t) + pending + needed <= allowed();
  /** Whether others' last known usage (with our reserved calls) leaves no room for `needed` however long we wait. */
  const othersBlock = (needed: number): boolean => canReconcile && others + pending + needed > allowed();
  /**
   * Earliest time from `now` at which `needed` more calls are expected to fit, or `undefined` when
   * they never will (reserved calls alone fill the share).
   */
  const expectedRoomAt = (now: number, needed: number): number | undefined => {
    prune(now);
    const decay = othersBlock(needed);
    if (fitsAt(now, needed, decay)) return now;
    let hi = now + WINDOW_MS; // every call counted so far has left by then
    if (!fitsAt(hi, needed, decay)) return undefined;
    let lo = now;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (fitsAt(mid, needed, decay)) hi = mid;
      else lo = mid;
    }
    return hi;
  };
  /** A reading is a call too: read only when it and one call are expected to fit. */
  const readingFits = (now: number): boolean => {
    const needed = Math.min(2, allowed());
    return fitsAt(now, needed, othersBlock(needed));
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
    /** When this caller's last wait began; a reading must follow it before the next call. */
    let waitBegan: number | undefined;
    for (;;) {
      options.signal?.throwIfAborted();
      const now = clock.now();
      // After a wait, other integrations may have called meanwhile: re-read before resuming, unless
      // a reading was taken since the wait began (one reading serves every caller that waited).
      if (waitBegan !== undefined && canReconcile && (reconciledAt ?? -Infinity) < waitBegan) stale = true;
      waitBegan = undefined;
      const due = canReconcile && (stale || reconciledAt === undefined || now - reconciledAt >= interval);
      prune(now);
      // Until a first reading, the limit is only a guess (10,000): read it even if our own calls of
      // earlier runs fill that guess's share, or a tenant with a higher limit would wait an hour.
      const limitUnknown = options.hourlyLimit === undefined && reconciledAt === undefined;
      if (due && (limitUnknown || readingFits(now))) {
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
      // Admit on the last reading: the tenant's count then, less our calls that have left the
      // window since, plus our calls since (sent or reserved), plus this one, stays below the share.
      if (others + ownCount(now) + pending + 1 <= allowed()) {
        recheckGap = MIN_RECONCILE_GAP_MS;
        return ticket();
      }
      // No room. Wait until room is expected for a reading and a batch of calls (so that readings
      // stay a small part of the budget), and no sooner than `recheckGap` after the last reading
      // (which grows while other integrations keep the share full).
      const batch = canReconcile ? Math.max(1, Math.ceil(allowed() * READING_BATCH_SHARE)) + 1 : 1;
      const roomAt = expectedRoomAt(now, Math.min(batch, allowed()));
      let until = roomAt ?? now + MIN_RECONCILE_GAP_MS;
      if (canReconcile) {
        until = Math.max(until, (reconciledAt ?? now) + recheckGap);
        if (until <= now) {
          stale = true; // room is expected now: a reading will tell
          continue;
        }
      }
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
      if (canReconcile && reconciledAt !== undefined && until >= reconciledAt + recheckGap) {
        recheckGap = Math.min(recheckGap * 2, Math.max(MIN_RECONCILE_GAP_MS, interval));
      }
      waitBegan = now;
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
