/**
 * A named pipe (FIFO) fed by a writer that respects back-pressure, so a test can see how much of its
 * input a file source has taken: a source that streams leaves the writer blocked early on.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';

export interface FifoInput {
  path: string;
  /** Rows handed to the pipe so far. */
  written(): number;
  /** Resolves once every row has been written (or the reader went away). */
  done: Promise<void>;
}

/** Creates a FIFO in `dir` and starts writing `header` then `count` lines `line(i)` into it. */
export function fifoInput(
  dir: string,
  name: string,
  header: string | undefined,
  count: number,
  line: (i: number) => string,
): FifoInput {
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  let written = 0;
  const done = (async () => {
    const out = createWriteStream(path);
    out.on('error', () => undefined); // the reader closing early is fine
    const closed = once(out, 'close');
    if (header !== undefined) out.write(header);
    const batch = 200;
    for (let i = 0; i < count; i += batch) {
      let text = '';
      for (let j = i; j < Math.min(count, i + batch); j++) text += line(j);
      written = Math.min(count, i + batch);
      if (!out.write(text)) await Promise.race([once(out, 'drain'), closed]);
      if (out.destroyed) return;
    }
    out.end();
    await closed;
  })();
  return { path, written: () => written, done };
}
