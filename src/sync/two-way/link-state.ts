/**
 * What a two-way sync remembers per linked record, kept in the state store's links (sync name,
 * object, the row's key → Autotask id): each field's value as last seen on each side (canonical), the
 * contact's company (so a PATCH needs no extra read), and whether one side is gone. It is what change
 * detection compares against and what suppresses echoes: a value the sync wrote becomes the baseline,
 * so reading it back is no change.
 */
import { payloadHash } from '../keys/payload-hash.js';
import type { Link, LinkInput } from '../../state/state-store.js';
import type { Canonical } from './canonical-value.js';
import type { TwoWaySystem } from './two-way-spec.js';

export interface PairState {
  /** Autotask field → canonical value last seen in Autotask. */
  a: Record<string, Canonical>;
  /** Autotask field → canonical value (in Autotask's terms) last seen in the table. */
  s: Record<string, Canonical>;
  /** Contacts: the company id, for PATCHes without a read. */
  parent?: number | undefined;
  /** The side the record disappeared from (already reported). */
  gone?: TwoWaySystem | undefined;
  /** A write failed: both sides are read again on the next pass, whatever the cursors say. */
  retry?: boolean | undefined;
}

export function pairStateOf(link: Link): PairState {
  const f = link.fields as Partial<PairState>;
  return {
    a: f.a ?? {},
    s: f.s ?? {},
    ...(typeof f.parent === 'number' ? { parent: f.parent } : {}),
    ...(f.gone === 'autotask' || f.gone === 'sql' ? { gone: f.gone } : {}),
    ...(f.retry === true ? { retry: true } : {}),
  };
}

export function linkInput(
  ref: { sync: string; object: string; key: string },
  autotaskId: number,
  state: PairState,
  extra: { sourceLocation: string; runId: number },
): LinkInput {
  const fields: Record<string, unknown> = { a: state.a, s: state.s };
  if (state.parent !== undefined) fields['parent'] = state.parent;
  if (state.gone !== undefined) fields['gone'] = state.gone;
  if (state.retry === true) fields['retry'] = true;
  return {
    ...ref,
    autotaskId,
    payloadHash: payloadHash(fields),
    fields,
    sourceLocation: extra.sourceLocation,
    runId: extra.runId,
  };
}

/** The bookmark (state store) of a two-way sync; two-way names cannot contain `:`. */
export function cursorName(sync: string): string {
  return `two-way:${sync}`;
}

/** A side's cursor: the newest change time (epoch ms) whose writes are committed. */
export interface SideCursor {
  v: 1;
  watermark: number;
  /** When this side was last read whole (epoch ms). */
  fullAt?: number | undefined;
}

export function parseSideCursor(value: string | undefined): SideCursor | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = JSON.parse(value) as Partial<SideCursor>;
    if (parsed.v !== 1 || typeof parsed.watermark !== 'number') return undefined;
    return {
      v: 1,
      watermark: parsed.watermark,
      ...(typeof parsed.fullAt === 'number' ? { fullAt: parsed.fullAt } : {}),
    };
  } catch {
    return undefined;
  }
}
