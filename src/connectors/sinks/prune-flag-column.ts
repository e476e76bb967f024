import type { PruneOptions, SinkColumn } from './sink.js';
import { SinkError } from './sink-error.js';

/** The flag column of a `flag` prune, which must be one of the sink's datetime columns. */
export function flagColumnOf(
  options: PruneOptions,
  columns: readonly SinkColumn[],
  destination: string,
): string {
  const name = options.flagColumn;
  if (name === undefined || !columns.some((c) => c.name === name))
    throw new SinkError(
      `cannot flag deleted records in ${destination}: the flag column ${name === undefined ? '(none given)' : `"${name}"`} is not one of the columns written`,
      { destination },
    );
  return name;
}
