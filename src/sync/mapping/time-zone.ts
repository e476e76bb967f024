/**
 * Wall-clock time in an IANA time zone → UTC, with the platform's time-zone database (Intl); no
 * library needed. A wall time that does not exist (skipped by a daylight-saving change) is rejected;
 * one that happens twice (clocks set back) takes the earlier instant, the way most calendars do.
 */

/** Calendar and clock fields, as written (month 1–12). */
export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

/** True when `zone` is an IANA zone name the platform knows (or `UTC`). */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Conversions remembered per converter (real data repeats dates a lot); cleared when full. */
const CACHE_LIMIT = 10_000;

/** Builds a converter for one zone; create it once per mapping, not per value. */
export function createZoneConverter(zone: string): (wall: WallTime) => number | undefined {
  if (zone === 'UTC' || zone === 'Etc/UTC') return (w) => wallAsUtc(w);
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  /** Offset of the zone at instant `t`, in ms (local − UTC). */
  const offsetAt = (t: number): number => {
    // en-US with h23: "11/15/2026, 23:30:05" (years before 1000 are not padded).
    const m = /^(\d+)\/(\d+)\/(-?\d+),? (\d+):(\d+):(\d+)$/.exec(format.format(new Date(t)));
    if (!m) throw new Error(`unexpected Intl output for ${zone}`);
    const local = wallAsUtc({
      year: Number(m[3]),
      month: Number(m[1]),
      day: Number(m[2]),
      hour: Number(m[4]),
      minute: Number(m[5]),
      second: Number(m[6]),
      millisecond: 0,
    });
    return local - (t - (((t % 1000) + 1000) % 1000));
  };
  const cache = new Map<number, number | undefined>();
  return (wall) => {
    const asUtc = wallAsUtc(wall);
    if (cache.has(asUtc)) return cache.get(asUtc);
    // The instant is asUtc − offset, for the offset in force at that instant. The offsets in force a
    // day either side cover any single transition; keep those that round-trip, earliest first.
    const before = offsetAt(asUtc - 86_400_000);
    const after = offsetAt(asUtc + 86_400_000);
    const candidates = before === after ? [before] : [before, after];
    const matches = candidates.map((o) => asUtc - o).filter((t) => asUtc - offsetAt(t) === t);
    const result = matches.length === 0 ? undefined : Math.min(...matches);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(asUtc, result);
    return result;
  };
}

function wallAsUtc(w: WallTime): number {
  const d = new Date(0);
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  d.setUTCHours(w.hour, w.minute, w.second, w.millisecond);
  return d.getTime();
}
