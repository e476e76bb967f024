/**
 * The lists under a run or plan summary's table (Problems, Changes, Notes): a blank line, the title,
 * then at most `shown` items, two-space indented, and a last line for those left out.
 */
import type { RecordOutcome } from '../../sync/engine/index.js';

/** Outcomes a summary lists under Problems: refused, failed or in conflict. */
export function isProblem(o: RecordOutcome): boolean {
  return o.action === 'invalid' || o.action === 'failed' || o.action === 'conflict';
}

/**
 * Appends `title:` and the first `shown` items (each as `line` writes it) to `out`, then
 * `  … <more(left)>` when some were left out. Nothing when there are no items.
 */
export function pushListed<T>(
  out: string[],
  title: string,
  items: readonly T[],
  line: (item: T) => string,
  more: (left: number) => string,
  shown: number,
): void {
  if (items.length === 0) return;
  out.push('', `${title}:`);
  for (const item of items.slice(0, shown)) out.push(`  ${line(item)}`);
  if (items.length > shown) out.push(`  … ${more(items.length - shown)}`);
}
