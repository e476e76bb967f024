/**
 * Picklist values by label or by value, resolved from live metadata. A value is matched first by its
 * stored value (`"3"`), then by its label, case- and width-insensitively (`prospect` = `Prospect`).
 * Unknown and inactive values are refused with the list of valid labels.
 */
import { TransformError } from './transform-error.js';
import { asText, shorten } from './values.js';

export interface PicklistEntry {
  readonly value: string;
  readonly label: string;
  readonly isActive: boolean;
  readonly sortOrder: number;
  readonly isDefaultValue?: boolean;
}

/** The entry `input` names, or a `TransformError` saying why none fits. */
export function resolvePicklist(
  entries: readonly PicklistEntry[],
  input: unknown,
  target: string,
): PicklistEntry {
  const text = asText(input).trim();
  const byValue = entries.filter((e) => e.value === text);
  const folded = fold(text);
  const candidates = byValue.length > 0 ? byValue : entries.filter((e) => fold(e.label) === folded);
  const active = candidates.filter((e) => e.isActive);
  if (active.length === 1 && active[0]) return active[0];
  if (active.length > 1) {
    throw new TransformError(
      'PICKLIST_AMBIGUOUS',
      `"${shorten(text)}" names ${active.length} active values of ${target} (${active.map((e) => e.value).join(', ')})`,
      `give the value instead of the label: ${active.map((e) => `${e.value} = ${e.label}`).join(', ')}`,
    );
  }
  if (candidates.length > 0) {
    const e = candidates[0];
    throw new TransformError(
      'PICKLIST_INACTIVE',
      `"${shorten(text)}" (${e?.value} = ${e?.label}) is inactive in Autotask for ${target}`,
      `use an active value: ${describeValidLabels(entries)}, or reactivate it in Autotask`,
    );
  }
  throw new TransformError(
    'PICKLIST_UNKNOWN',
    `"${shorten(text)}" is not a value of ${target}`,
    `use one of: ${describeValidLabels(entries)} (label or value; a value map transform can translate source values)`,
  );
}

/** `Customer (1), Lead (2), Prospect (3)` — active entries in Autotask's order, at most `max`. */
export function describeValidLabels(entries: readonly PicklistEntry[], max = 25): string {
  const active = sortEntries(entries.filter((e) => e.isActive));
  if (active.length === 0) return '(no active values)';
  const shown = active.slice(0, max).map((e) => `${e.label} (${e.value})`);
  return active.length > max ? `${shown.join(', ')} and ${active.length - max} more` : shown.join(', ');
}

/** A sensible example value: the preferred label if active, else the default value, else the first. */
export function exampleEntry(
  entries: readonly PicklistEntry[],
  preferredLabel?: string,
): PicklistEntry | undefined {
  const active = sortEntries(entries.filter((e) => e.isActive));
  return (
    (preferredLabel === undefined ? undefined : active.find((e) => fold(e.label) === fold(preferredLabel))) ??
    active.find((e) => e.isDefaultValue === true) ??
    active[0]
  );
}

function sortEntries(entries: PicklistEntry[]): PicklistEntry[] {
  return entries.sort((a, b) => a.sortOrder - b.sortOrder || Number(a.value) - Number(b.value));
}

function fold(t: string): string {
  return t.normalize('NFKC').trim().toLowerCase();
}
