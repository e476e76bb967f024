/**
 * The lines `run --rejects FILE` and `rejects --csv FILE` print about the files they wrote: one file,
 * or one per sync when the run's rejects came from several syncs (each file that sync's columns).
 */
import { isAbsolute, relative } from 'node:path';

import type { RejectsFile } from '../../state/rejects-csv.js';

function plural(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** A path as the user would type it: relative to `cwd` when inside it, else absolute. */
function shown(cwd: string, path: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** Text (newline-terminated) naming each file written and its row count. */
export function describeRejectsFiles(
  where: { cwd: string; runId?: number },
  written: { rows: number; files: readonly RejectsFile[] },
): string {
  const ofRun = where.runId === undefined ? '' : ` of run ${where.runId}`;
  const [only] = written.files;
  if (written.files.length === 1 && only !== undefined)
    return `${plural(written.rows, 'rejected row')}${ofRun} written to ${shown(where.cwd, only.path)}\n`;
  const lines = written.files.map(
    (f) => `  ${shown(where.cwd, f.path)}: ${plural(f.rows, 'row')} of ${f.sync ?? '?'}`,
  );
  return (
    `${plural(written.rows, 'rejected row')}${ofRun} written to one file per sync ` +
    `(each holds that sync's source columns, to fix and feed back as its source):\n${lines.join('\n')}\n`
  );
}
