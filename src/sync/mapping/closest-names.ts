import { editDistance } from '../../shared/suggest.js';

/**
 * Up to `max` candidates that look like what `input` meant: same words in another case or spacing,
 * one containing the other, or a few letters apart (at most a third of the word). Closest first.
 * Used for unknown fields, UDFs and (by the engine) company names.
 */
export function closestNames(input: string, candidates: Iterable<string>, max = 3): string[] {
  const squash = (s: string): string =>
    s
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[\s_\-.:]+/g, '');
  const target = squash(input);
  const scored: { name: string; score: number }[] = [];
  for (const name of new Set(candidates)) {
    const c = squash(name);
    let score: number;
    if (c === target) score = 0;
    else if (target.length >= 3 && (c.includes(target) || target.includes(c)) && c.length >= 3) score = 1;
    else {
      const d = editDistance(target, c);
      const limit = Math.max(1, Math.floor(Math.max(target.length, c.length) / 3));
      if (d > limit) continue;
      score = 1 + d;
    }
    scored.push({ name, score });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, max)
    .map((s) => s.name);
}

/** `Did you mean "a" or "b"?` — or '' when nothing is close. */
export function didYouMean(names: readonly string[]): string {
  if (names.length === 0) return '';
  const quoted = names.map((n) => `"${n}"`);
  const last = quoted.pop();
  return `Did you mean ${quoted.length > 0 ? `${quoted.join(', ')} or ${last}` : last}?`;
}
