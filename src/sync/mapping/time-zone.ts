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
    const parts: Record<string, number> = {};
    for (const p of format.formatToParts(new Date(t))) {
      if (p.type !== 'literal') parts[p.type] = Number(p.value);
    }
    const local = Date.UTC(
      parts['year'] ?? 0,
      (parts['month'] ?? 1) - 1,
      parts['day'] ?? 1,
      parts['hour'] ?? 0,
      parts['minute'] ?? 0,
      parts['second'] ?? 0,
    );
    return local - (t - (((t % 1000) + 1000) % 1000));
  };
  return (wall) => {
    const asUtc = wallAsUtc(wall);
    // The instant is asUtc − offset, for the offset in force at that instant. Try the offsets in force
    // a day either side (they cover any single transition) and keep those that round-trip.
    const candidates = new Set([offsetAt(asUtc - 86_400_000), offsetAt(asUtc), offsetAt(asUtc + 86_400_000)]);
    const matches = [...candidates].map((o) => asUtc - o).filter((t) => asUtc - offsetAt(t) === t);
    if (matches.length === 0) return undefined;
    return Math.min(...matches);
  };
}

function wallAsUtc(w: WallTime): number {
  const d = new Date(0);
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  d.setUTCHours(w.hour, w.minute, w.second, w.millisecond);
  return d.getTime();
}
