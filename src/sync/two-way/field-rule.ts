/**
 * Settling one field of one linked record between the two systems (issue 6 item 2). Each side's
 * value is compared with the value the sync last saw there (its baseline): a side "changed" when it
 * differs. Pure: no I/O, so every rule is tested on its own.
 *
 * - `system-of-record`: the first listed system wins. Another listed system may fill the field only
 *   while it is empty in the system of record; any other change made elsewhere is reverted.
 * - `most-recent`: the side whose change is newest (by its own modification time) wins; a tie goes to
 *   the first listed system.
 * A system not listed in `systems` never supplies the value; a read-only system is never written.
 */
import { isEmpty, type Canonical } from './canonical-value.js';
import type { TwoWayRule, TwoWaySystem } from './two-way-spec.js';

export interface FieldPolicy {
  /** Systems whose changes count, in order: the first is the system of record. */
  systems: readonly TwoWaySystem[];
  /** Systems never written for this field. */
  readOnly: ReadonlySet<TwoWaySystem>;
  rule: TwoWayRule;
}

/** One field's values on each side. `base` undefined: never synced (a new match). */
export interface FieldSides {
  current: Record<TwoWaySystem, Canonical>;
  base: Record<TwoWaySystem, Canonical | undefined>;
  /** Each side's modification time (epoch ms), for `most-recent`; undefined when unknown. */
  changedAt: Record<TwoWaySystem, number | undefined>;
}

export interface FieldDecision {
  /** The side whose value stands, or undefined when nothing changed or both sides agree. */
  winner: TwoWaySystem | undefined;
  /** Values to write, per side (absent: leave that side as it is). */
  writes: Partial<Record<TwoWaySystem, Canonical>>;
  /** The winning value overwrote a change made on the other side (reported as a conflict resolved). */
  overrode: TwoWaySystem | undefined;
}

const SIDES: readonly TwoWaySystem[] = ['autotask', 'sql'];

export function decideField(policy: FieldPolicy, sides: FieldSides): FieldDecision {
  const none: FieldDecision = { winner: undefined, writes: {}, overrode: undefined };
  const changed = (s: TwoWaySystem): boolean =>
    sides.base[s] === undefined ? true : sides.current[s] !== sides.base[s];
  if (sides.current.autotask === sides.current.sql) return none;
  if (!SIDES.some(changed)) return none;

  const listed = (s: TwoWaySystem): boolean => policy.systems.includes(s);
  const sor = policy.systems[0] ?? 'autotask';
  const contenders = policy.systems.filter((s) => changed(s));
  let winner: TwoWaySystem;
  if (policy.rule === 'system-of-record') {
    const filler = policy.systems
      .slice(1)
      .find((s) => changed(s) && !isEmpty(sides.current[s]) && isEmpty(sides.current[sor]));
    winner = filler ?? sor;
  } else if (contenders.length === 0) {
    winner = sor;
  } else if (contenders.length === 1) {
    winner = contenders[0]!;
  } else {
    const [first, second] = contenders as [TwoWaySystem, TwoWaySystem];
    const t1 = sides.changedAt[first] ?? Number.NEGATIVE_INFINITY;
    const t2 = sides.changedAt[second] ?? Number.NEGATIVE_INFINITY;
    winner = t2 > t1 ? second : first;
  }
  const target = sides.current[winner];
  const writes: Partial<Record<TwoWaySystem, Canonical>> = {};
  let overrode: TwoWaySystem | undefined;
  for (const side of SIDES) {
    if (side === winner || sides.current[side] === target) continue;
    if (changed(side) && listed(side) && sides.base[side] !== undefined) overrode = side;
    if (!policy.readOnly.has(side)) writes[side] = target;
  }
  return { winner, writes, overrode };
}
