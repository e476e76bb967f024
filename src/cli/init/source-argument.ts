/**
 * `init`'s source arguments: `companies.csv`, `people.jsonl`, `crm.sqlite#customers` (a table) or
 * `postgres://host/db#public.customers`. Turns one into the source settings used to read the columns
 * and the text written into the configuration (paths relative to it; a URL with a password is written
 * as `${DATABASE_URL}` so the secret never lands in the file).
 */
import { extname, isAbsolute, relative, resolve } from 'node:path';

import { sourceSpecSchema } from '../../config/schema.js';
import type { SourceSpec } from '../../config/types.js';
import { ConfigError } from '../../shared/errors.js';

export interface ParsedSource {
  /** Settings to open the source now (absolute paths, the real URL). */
  spec: SourceSpec;
  /** The `source:` mapping to write, as YAML flow text. */
  yaml: string;
  /** Notes for the user (e.g. set DATABASE_URL). */
  notes: string[];
}

/** Environment variable the configuration names instead of a URL holding a password. @default */
export const DATABASE_URL_VARIABLE = 'DATABASE_URL';

export function parseSourceArgument(
  arg: string,
  cwd: string,
  configDir: string,
  quote: (s: string) => string,
): ParsedSource {
  const hash = arg.lastIndexOf('#');
  const [where, table] = hash > 0 ? [arg.slice(0, hash), arg.slice(hash + 1)] : [arg, undefined];
  if (/^postgres(ql)?:\/\//i.test(where)) {
    if (table === undefined || table === '')
      throw usage(arg, 'name the table after #, e.g. postgres://host/db#public.customers');
    const hasPassword = passwordOf(where) !== undefined;
    const notes = hasPassword
      ? [
          `The database URL holds a password: the configuration reads it from \${${DATABASE_URL_VARIABLE}}; set ${DATABASE_URL_VARIABLE} in the environment or a .env file.`,
        ]
      : [];
    return {
      spec: sourceSpecSchema.parse({ type: 'postgres', url: where, table }),
      yaml: `{ type: postgres, url: ${hasPassword ? `\${${DATABASE_URL_VARIABLE}}` : quote(where)}, table: ${quote(table)} }`,
      notes,
    };
  }
  const file = resolve(cwd, where);
  const rel = relative(configDir, file);
  const path = rel === '' || isAbsolute(rel) ? file : rel;
  const ext = extname(where).toLowerCase();
  if (ext === '.sqlite' || ext === '.sqlite3' || ext === '.db') {
    if (table === undefined || table === '')
      throw usage(arg, 'name the table after #, e.g. crm.sqlite#customers');
    return {
      spec: sourceSpecSchema.parse({ type: 'sqlite', path: file, table }),
      yaml: `{ type: sqlite, path: ${quote(path)}, table: ${quote(table)} }`,
      notes: [],
    };
  }
  if (ext === '.jsonl' || ext === '.ndjson')
    return {
      spec: sourceSpecSchema.parse({ type: 'jsonl', path: file }),
      yaml: `{ type: jsonl, path: ${quote(path)} }`,
      notes: [],
    };
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt')
    return {
      spec: sourceSpecSchema.parse({ type: 'csv', path: file }),
      yaml: `{ type: csv, path: ${quote(path)} }`,
      notes: [],
    };
  if (SPREADSHEET_EXTENSIONS.has(ext))
    throw usage(
      arg,
      'it is a spreadsheet workbook, which is not read directly: save the sheet as CSV (Excel: File › Save As › "CSV UTF-8"; ' +
        'Google Sheets: File › Download › CSV; LibreOffice: Save As › Text CSV, UTF-8) and give the .csv file',
    );
  throw usage(arg, 'give a .csv, .jsonl, .sqlite#table or postgres://…#table source');
}

/** Workbook formats users try first; each is saved as CSV by the program that made it. */
const SPREADSHEET_EXTENSIONS = new Set(['.xlsx', '.xlsm', '.xls', '.xlsb', '.ods', '.numbers']);

function usage(arg: string, fix: string): ConfigError {
  return new ConfigError(`cannot tell what kind of source "${redactUrl(arg)}" is: ${fix}`, [
    { path: 'source', message: fix },
  ]);
}

function passwordOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.password === '' ? undefined : decodeURIComponent(u.password);
  } catch {
    return undefined;
  }
}

/** `text` with the password of every URL in it replaced, for messages. */
export function redactUrl(text: string): string {
  return text.replace(/(\/\/[^:/@\s]+:)[^@/\s]*@/g, '$1***@');
}
