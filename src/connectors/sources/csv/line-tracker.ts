/**
 * Physical line numbers for byte offsets of a stream, without keeping the stream: the offsets of the
 * newlines seen so far are queued, and dropped once every later question asks about a later offset.
 * Memory holds only the newlines of data not yet parsed (bounded by the stream's buffers).
 */
export class LineTracker {
  private readonly newlines: number[] = [];
  private head = 0;
  private before = 0;
  private seen = 0;

  /** Records the newlines of the next chunk of the stream. */
  push(chunk: Uint8Array): void {
    let i = chunk.indexOf(0x0a);
    while (i !== -1) {
      this.newlines.push(this.seen + i);
      i = chunk.indexOf(0x0a, i + 1);
    }
    this.seen += chunk.length;
  }

  /** 1-based line of the byte at `offset`. Offsets must be asked in increasing order. */
  lineAt(offset: number): number {
    while (this.head < this.newlines.length && (this.newlines[this.head] ?? Infinity) < offset) {
      this.head++;
      this.before++;
    }
    if (this.head > 4096 && this.head * 2 > this.newlines.length) {
      this.newlines.splice(0, this.head);
      this.head = 0;
    }
    return this.before + 1;
  }
}

/** Number of `\n` in `text`. */
export function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Length of the run of `\r` / `\n` at the start of `text` (blank lines csv-parse folds into a record's raw). */
export function leadingNewlines(text: string): number {
  let i = 0;
  while (i < text.length && (text[i] === '\n' || text[i] === '\r')) i++;
  return i;
}
