/**
 * Runs the CLI in-process (`main(args, ctx)`) with captured stdout and stderr, an environment and a
 * working folder of the test's choosing: the way CLI tests check exit codes and output without
 * spawning a child process.
 */
import { PassThrough } from 'node:stream';

import type { CliContext } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';

/** A stream that keeps everything written to it. */
export interface CapturedStream {
  stream: PassThrough;
  /** All text written so far. */
  text: () => string;
}

/** A stream for a command's stdout or stderr whose text the test reads afterwards. */
export function capture(): CapturedStream {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { stream, text: () => text };
}

/** Where and how the command runs. */
export interface InProcessCliOptions {
  /** The environment the command sees (AUTOTASK_* credentials, NO_COLOR…); nothing of the test's own. */
  env: Record<string, string | undefined>;
  /** The working folder: relative paths in arguments and configurations resolve against it. */
  cwd: string;
  /** The stop signal (SIGINT/SIGTERM in real use). @default a signal that never fires */
  signal?: AbortSignal;
}

/** A CliContext whose stdout and stderr are captured. */
export interface CapturedCliContext {
  ctx: CliContext;
  /** What the command wrote to stdout so far. */
  out: () => string;
  /** What the command wrote to stderr so far (logs go there). */
  err: () => string;
}

/** Builds a CliContext with captured output, for tests that call `main` themselves (long-running commands). */
export function capturedCliContext(options: InProcessCliOptions): CapturedCliContext {
  const out = capture();
  const err = capture();
  const ctx: CliContext = {
    stdout: out.stream,
    stderr: err.stream,
    env: options.env,
    cwd: options.cwd,
    signal: options.signal ?? new AbortController().signal,
  };
  return { ctx, out: out.text, err: err.text };
}

/** What a command left: its exit code and everything it wrote. */
export interface InProcessCliResult {
  code: number;
  out: string;
  err: string;
}

/** Runs `autotask-sync <args>` in-process and returns its exit code, stdout and stderr. */
export async function runCliInProcess(
  args: readonly string[],
  options: InProcessCliOptions,
): Promise<InProcessCliResult> {
  const { ctx, out, err } = capturedCliContext(options);
  const code = await main(args, ctx);
  return { code, out: out(), err: err() };
}
