/**
 * Stores connection settings in the `.env` file beside the configuration, readable by its owner only
 * (mode 0600), where `loadConfig` and every command already look for them. Other lines of the file
 * (comments, other variables) are kept as they were.
 */
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

/** Quotes a value so that dotenv reads it back unchanged. */
export function dotenvValue(value: string): string {
  if (/^[\w@.:/+=,-]*$/.test(value)) return value;
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('`')) return `\`${value}\``;
  return `"${value.replace(/\n/g, ' ')}"`;
}

/**
 * Sets (or, with `null`, removes) variables in the `.env` file at `path`, creating it when missing.
 * The file is written to a temporary name with mode 0600 and renamed over the old one.
 */
export function updateEnvFile(path: string, changes: Readonly<Record<string, string | null>>): void {
  const lines = existsSync(path) ? readFileSync(path, 'utf8').split(/\r?\n/) : [];
  if (lines.at(-1) === '') lines.pop();
  const pending = new Map(Object.entries(changes));
  const out: string[] = [];
  for (const line of lines) {
    const name = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line)?.[1];
    if (name === undefined || !pending.has(name)) {
      out.push(line);
      continue;
    }
    const value = pending.get(name);
    pending.delete(name);
    if (value !== null && value !== undefined) out.push(`${name}=${dotenvValue(value)}`);
  }
  for (const [name, value] of pending) if (value !== null) out.push(`${name}=${dotenvValue(value)}`);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, out.length === 0 ? '' : `${out.join('\n')}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}
