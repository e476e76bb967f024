/**
 * `.env` files: variables for `${VAR}` interpolation and the Autotask credentials, read with dotenv.
 * Real environment variables always win; a `.env` beside the configuration wins over one in the
 * working folder. Nothing is written to `process.env`: the merged environment is returned.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { parse } from 'dotenv';

import { ConfigError } from '../shared/errors.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface EnvWithFiles {
  /** `env` plus every variable from the `.env` files that `env` does not set. */
  env: Record<string, string | undefined>;
  /** The `.env` files that were read, highest priority first. */
  files: string[];
}

/**
 * Reads `.env` from each folder of `dirs` (highest priority first, duplicates ignored) and merges them
 * under `env`. Missing files are skipped; an unreadable one is a `ConfigError`.
 */
export function loadEnvFiles(env: Env, dirs: readonly string[]): EnvWithFiles {
  const merged: Record<string, string | undefined> = {};
  const files: string[] = [];
  const seen = new Set<string>();
  for (const dir of dirs) {
    const file = resolve(dir, '.env');
    if (seen.has(file)) continue;
    seen.add(file);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new ConfigError(`cannot read ${file}: ${(error as Error).message}`, [], error);
    }
    files.push(file);
    for (const [key, value] of Object.entries(parse(text))) if (!(key in merged)) merged[key] = value;
  }
  for (const [key, value] of Object.entries(env)) if (value !== undefined) merged[key] = value;
  return { env: merged, files };
}
