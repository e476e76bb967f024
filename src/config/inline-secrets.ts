/**
 * Finds secrets written into the configuration file itself (instead of the environment or `.env`), so
 * that the loader can warn. Works on the file as written, before `${VAR}` expansion. Never returns the
 * secret: only where it is.
 */
import { isOnlyReferences } from './interpolate.js';
import type { ConfigPath } from './yaml-positions.js';

export interface InlineSecret {
  path: ConfigPath;
  message: string;
  /** The literal secret, so callers can redact it from anything they print. Never print it. */
  secret: string;
}

const CREDENTIALS = [
  ['token', 'AUTOTASK_TOKEN'],
  ['secret', 'AUTOTASK_SECRET'],
  ['integrationCode', 'AUTOTASK_INTEGRATION_CODE'],
] as const;

/** Every secret written inline in `raw` (the parsed, not yet interpolated, configuration). */
export function findInlineSecrets(raw: unknown): InlineSecret[] {
  const found: InlineSecret[] = [];
  const root = asRecord(raw);
  const autotask = asRecord(root?.['autotask']);
  for (const [key, variable] of CREDENTIALS) {
    const value = autotask?.[key];
    if (typeof value === 'string' && !isOnlyReferences(value))
      found.push({
        path: ['autotask', key],
        secret: value,
        message:
          `a secret is written in the configuration file: move it to the environment or a .env file ` +
          `(${variable}=...) and delete this line, or write \${${variable}}`,
      });
  }
  for (const [listName, entryKey] of [
    ['syncs', 'source'],
    ['exports', 'destination'],
  ] as const) {
    const list = root?.[listName];
    if (!Array.isArray(list)) continue;
    list.forEach((entry, i) => {
      const url = asRecord(asRecord(entry)?.[entryKey])?.['url'];
      if (typeof url !== 'string') return;
      const password = urlPassword(url);
      if (password !== undefined && !isOnlyReferences(password))
        found.push({
          path: [listName, i, entryKey, 'url'],
          secret: password,
          message:
            'this connection URL holds a password: write the whole URL as ${DATABASE_URL} (set in the ' +
            'environment or .env), or the password as ${PGPASSWORD}',
        });
    });
  }
  return found;
}

/** The password part of a connection URL (`scheme://user:password@host` or `?password=`), if any. */
function urlPassword(url: string): string | undefined {
  const userInfo = /^[a-z][a-z0-9+.-]*:\/\/([^@/?#]*)@/i.exec(url)?.[1];
  if (userInfo !== undefined) {
    const colon = userInfo.indexOf(':');
    if (colon !== -1 && colon < userInfo.length - 1) return userInfo.slice(colon + 1);
  }
  const param = /[?&]password=([^&#]+)/i.exec(url)?.[1];
  return param;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
