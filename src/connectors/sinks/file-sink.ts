import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

import type { Sink, SinkColumn, SinkOpenOptions, SinkRow } from './sink.js';
import { SinkError } from './sink-error.js';

/**
 * Shared mechanics of file sinks. `replace` writes a temporary file beside the target and renames it
 * into place on `close()` (readers never see half a file); `merge` appends to the target. Either way
 * `close()` fsyncs before it resolves.
 */
export abstract class FileSink implements Sink {
  readonly description: string;
  protected readonly path: string;
  private handle: FileHandle | undefined;
  private tmpPath: string | undefined;

  protected constructor(path: string) {
    this.path = resolve(path);
    this.description = this.path;
  }

  async open(columns: readonly SinkColumn[], options: SinkOpenOptions = {}): Promise<void> {
    if (this.handle) throw new SinkError('the sink is already open', { destination: this.description });
    try {
      await mkdir(dirname(this.path), { recursive: true });
      const existingSize = await stat(this.path).then(
        (s) => s.size,
        () => 0,
      );
      if ((options.mode ?? 'replace') === 'merge' && existingSize > 0) {
        await this.prepareAppend(columns);
        this.handle = await open(this.path, 'a');
        await this.handle.write(await this.separatorBeforeAppend());
      } else {
        this.tmpPath = `${this.path}.${process.pid}.tmp`;
        this.handle = await open(this.tmpPath, 'w');
        const header = this.header(columns);
        if (header) await this.handle.write(header);
      }
    } catch (error) {
      await this.abort();
      if (error instanceof SinkError) throw error;
      throw new SinkError(
        `cannot open ${this.description} for writing: ${(error as Error).message}`,
        {
          destination: this.description,
        },
        error,
      );
    }
  }

  async write(rows: readonly SinkRow[]): Promise<void> {
    if (!this.handle) throw new SinkError('write() before open()', { destination: this.description });
    if (rows.length === 0) return;
    try {
      await this.handle.write(this.format(rows));
    } catch (error) {
      throw new SinkError(
        `cannot write to ${this.description}: ${(error as Error).message}`,
        {
          destination: this.description,
        },
        error,
      );
    }
  }

  async close(): Promise<void> {
    const handle = this.handle;
    if (!handle) throw new SinkError('close() before open()', { destination: this.description });
    try {
      await handle.sync();
      await handle.close();
      this.handle = undefined;
      if (this.tmpPath) await rename(this.tmpPath, this.path);
      this.tmpPath = undefined;
    } catch (error) {
      await this.abort();
      throw new SinkError(
        `cannot finish ${this.description}: ${(error as Error).message}`,
        {
          destination: this.description,
        },
        error,
      );
    }
  }

  async abort(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close().catch(() => undefined);
    if (this.tmpPath) await rm(this.tmpPath, { force: true });
    this.tmpPath = undefined;
  }

  /** Text written first in a new file (a CSV header), or '' for none. */
  protected abstract header(columns: readonly SinkColumn[]): string;
  /** Checks (and adapts to) an existing file before appending; throws `SinkError` when it cannot. */
  protected abstract prepareAppend(columns: readonly SinkColumn[]): Promise<void>;
  /** Rows as text, each ending with a newline. */
  protected abstract format(rows: readonly SinkRow[]): string;

  /** A newline when the existing file does not end with one. */
  private async separatorBeforeAppend(): Promise<string> {
    const fh = await open(this.path, 'r');
    try {
      const { size } = await fh.stat();
      const last = Buffer.alloc(1);
      await fh.read(last, 0, 1, size - 1);
      return last[0] === 0x0a ? '' : '\n';
    } finally {
      await fh.close();
    }
  }
}
