/** Process exit codes. Stable: documented in docs/cli.md and relied on by scripts. */
export const ExitCode = {
  /** Everything worked. */
  Success: 0,
  /** The run completed but some records failed or were rejected. */
  RecordsFailed: 1,
  /** Configuration or usage error: nothing was attempted. */
  ConfigError: 2,
  /** Autotask could not be reached or refused the credentials. */
  ConnectionError: 3,
  /** The API budget is exhausted and waiting was not allowed. */
  BudgetExhausted: 4,
  /**
   * Another autotask-sync process is syncing with the same state database (it holds the run lock):
   * nothing was done; try again later (sysexits' EX_TEMPFAIL).
   */
  StateLocked: 75,
  /** An unexpected internal error (a bug): please report it. */
  InternalError: 70,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
