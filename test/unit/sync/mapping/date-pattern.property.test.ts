import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  compileDatePattern,
  daysInMonth,
  type DatePattern,
} from '../../../../src/sync/mapping/date-pattern.js';
import { createZoneConverter, type WallTime } from '../../../../src/sync/mapping/time-zone.js';

const FORMATS = [
  'DD/MM/YYYY',
  'MM/DD/YYYY',
  'YYYY-MM-DD',
  'D.M.YYYY',
  'M/D/YYYY',
  'YYYY-MM-DD HH:mm',
  'YYYY-MM-DDTHH:mm:ss',
  'YYYY-MM-DDTHH:mm:ss.SSSZ',
  'DD/MM/YYYY H:mm',
  'MM/DD/YYYY hh:mm:ss A',
  'M/D/YYYY h:mm A',
];

/** Writes a wall time with a pattern: the inverse of parsing, for round trips. */
function formatWall(format: string, w: WallTime): string {
  const h12 = w.hour % 12 === 0 ? 12 : w.hour % 12;
  const map: Record<string, string> = {
    YYYY: String(w.year).padStart(4, '0'),
    MM: String(w.month).padStart(2, '0'),
    M: String(w.month),
    DD: String(w.day).padStart(2, '0'),
    D: String(w.day),
    HH: String(w.hour).padStart(2, '0'),
    H: String(w.hour),
    hh: String(h12).padStart(2, '0'),
    h: String(h12),
    mm: String(w.minute).padStart(2, '0'),
    ss: String(w.second).padStart(2, '0'),
    SSS: String(w.millisecond).padStart(3, '0'),
    A: w.hour < 12 ? 'AM' : 'PM',
  };
  return format.replace(/YYYY|SSS|MM|DD|HH|hh|mm|ss|M|D|H|h|A/g, (t) => map[t] ?? t);
}

function compiled(format: string): DatePattern {
  const p = compileDatePattern(format);
  if ('error' in p) throw new Error(p.error);
  return p;
}

/** The wall time a format can express: parts it lacks are zero. */
function truncateTo(format: string, w: WallTime): WallTime {
  const hasHour = /H|h/.test(format);
  return {
    ...w,
    hour: hasHour ? w.hour : 0,
    minute: format.includes('mm') ? w.minute : 0,
    second: format.includes('ss') ? w.second : 0,
    millisecond: format.includes('SSS') ? w.millisecond : 0,
  };
}

const wallTime = fc
  .record({
    year: fc.integer({ min: 1900, max: 2199 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
    millisecond: fc.integer({ min: 0, max: 999 }),
  })
  .map((w) => ({ ...w, day: Math.min(w.day, daysInMonth(w.year, w.month)) }));

describe('date patterns (properties)', () => {
  it('parse(format(t)) = t for every supported format and valid date', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FORMATS), wallTime, (format, w) => {
        const expected = truncateTo(format, w);
        expect(compiled(format).parse(formatWall(format, expected))).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses every day past the end of its month', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('DD/MM/YYYY', 'MM/DD/YYYY', 'YYYY-MM-DD'),
        fc.integer({ min: 1900, max: 2199 }),
        fc.integer({ min: 1, max: 12 }),
        (format, year, month) => {
          const bad = {
            year,
            month,
            day: daysInMonth(year, month) + 1,
            hour: 0,
            minute: 0,
            second: 0,
            millisecond: 0,
          };
          if (bad.day > 31) return;
          expect(compiled(format).parse(formatWall(format, bad))).toBeUndefined();
        },
      ),
    );
  });

  it('never reads one text under two different day/month orders (ambiguity is refused, not guessed)', () => {
    // A date valid in both orders must come out as each format says, not as a guess.
    fc.assert(
      fc.property(wallTime, (w) => {
        const text = formatWall('DD/MM/YYYY', truncateTo('DD/MM/YYYY', w));
        const dm = compiled('DD/MM/YYYY').parse(text);
        const md = compiled('MM/DD/YYYY').parse(text);
        expect(dm).toEqual(truncateTo('DD/MM/YYYY', w));
        if (md) {
          expect(md.month).toBe(w.day);
          expect(md.day).toBe(w.month);
        } else {
          expect(w.day).toBeGreaterThan(12);
        }
      }),
    );
  });

  it('refuses patterns that glue a variable-width token to another number', () => {
    const variable = ['M', 'D', 'H', 'h'];
    const numeric = ['YYYY', 'MM', 'DD', 'HH', 'mm', 'ss', 'M', 'D'];
    fc.assert(
      fc.property(fc.constantFrom(...variable), fc.constantFrom(...numeric), fc.boolean(), (v, n, vFirst) => {
        const glued = vFirst ? `${v}${n}` : `${n}${v}`;
        const result = compileDatePattern(`${glued} YYYY-MM-DD`);
        expect(result).toHaveProperty('error');
      }),
    );
  });
});

describe('time zones (properties)', () => {
  const zones = [
    'UTC',
    'Europe/Paris',
    'America/New_York',
    'Asia/Kolkata',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
  ];
  const inZone = (zone: string, t: number): WallTime => {
    const parts: Record<string, number> = {};
    for (const p of new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    }).formatToParts(new Date(t))) {
      if (p.type !== 'literal') parts[p.type] = Number(p.value);
    }
    return {
      year: parts['year'] ?? 0,
      month: parts['month'] ?? 0,
      day: parts['day'] ?? 0,
      hour: parts['hour'] ?? 0,
      minute: parts['minute'] ?? 0,
      second: parts['second'] ?? 0,
      millisecond: new Date(t).getUTCMilliseconds(),
    };
  };

  it('converting a wall time to UTC and back gives the same wall time (or none, inside a DST gap)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...zones), wallTime, (zone, w) => {
        const utc = createZoneConverter(zone)(w);
        if (utc === undefined) {
          // Only a skipped hour may fail: a minute later or earlier by the gap must differ in offset.
          expect(zone).not.toBe('UTC');
          return;
        }
        expect(inZone(zone, utc)).toEqual(w);
      }),
      { numRuns: 1500 },
    );
  });

  it('every real instant converts back to itself or to the earlier of two equal wall times', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2100, 0, 1) }),
        (zone, t) => {
          const w = inZone(zone, t);
          const back = createZoneConverter(zone)(w);
          expect(back).toBeDefined();
          expect(back).toBeLessThanOrEqual(t);
          expect(inZone(zone, back ?? 0)).toEqual(w);
        },
      ),
      { numRuns: 1500 },
    );
  });
});
