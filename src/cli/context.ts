import type { Readable, Writable } from 'node:stream';

/**
 * What a command needs from the outside world, passed in so that tests can run the CLI in-process
 * with their own streams and environment.
 */
export interface CliContext {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  /** Answers to questions (`init`'s confirmation); interactive only when it is a TTY. @default none */
  stdin?: Readable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
  /** Resolves when the user asks to stop (SIGINT/SIGTERM); long-running commands listen to it. */
  signal: AbortSignal;
}
