/**
 * Loads a configuration file: YAML → `${VAR}` expansion (with `.env` files) → validation → aliases and
 * paths resolved. Every problem is collected and reported at once, each with its path and YAML
 * line:column; secrets never appear in messages.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';

import { LineCounter, parseDocument } from 'yaml';

import { ConfigError } from '../shared/errors.js';
import { redactText } from '../shared/redact.js';
import { explainZodIssues, makeIssue, type Locate, type RawIssue } from './config-issues.js';
import { loadEnvFiles, type Env } from './env-files.js';
import { findInlineSecrets } from './inline-secrets.js';
import { interpolateString } from './interpolate.js';
import { canonicalObject, type ExportableObject, type WritableObject } from './objects.js';
import { configSchema } from './schema.js';
import type { ConfigIssue, ConfigWarning, SyncConfig } from './types.js';
import { formatPath, positionOf, type ConfigPath } from './yaml-positions.js';

/** Environment variables whose values are secrets, redacted from every message. */
export const SECRET_ENV_VARS = ['AUTOTASK_TOKEN', 'AUTOTASK_SECRET', 'AUTOTASK_INTEGRATION_CODE'] as const;

export interface LoadConfigOptions {
  /**
   * Environment for `${VAR}` and credentials; `.env` files add to it without overriding.
   * @default process.env
   */
  env?: Env;
  /**
   * Folder a relative config path is resolved against; its `.env` is read after the config's own.
   * @default process.cwd()
   */
  cwd?: string;
  /**
   * Read `.env` beside the configuration file and in `cwd`.
   * @default true
   */
  readEnvFiles?: boolean;
}

export interface LoadedConfig {
  config: SyncConfig;
  /** Things the user should fix that did not stop loading (inline secrets, ...). */
  warnings: ConfigWarning[];
  /** The environment the configuration was read with (`env` plus `.env` files): pass it on to
   * `resolveConnectionSettings`. Holds secrets: never print it. */
  env: Record<string, string | undefined>;
  /** The `.env` files that were read. */
  envFiles: string[];
}

/**
 * Reads and validates the configuration at `path`. Throws `ConfigError` listing every problem, each
 * with its path and, when it is in the file, `line`/`column` (also appended to the message).
 */
export function loadConfig(path: string, options: LoadConfigOptions = {}): LoadedConfig {
  const cwd = options.cwd ?? process.cwd();
  const file = resolve(cwd, path);
  const label = displayPath(file, cwd);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      code === 'ENOENT'
        ? `configuration file not found: ${label}. Check the path, or create one with \`autotask-sync init\``
        : `cannot read the configuration file ${label}: ${(error as Error).message}`,
      [],
      error,
    );
  }
  const { env, files: envFiles } =
    options.readEnvFiles === false
      ? { env: { ...(options.env ?? process.env) }, files: [] }
      : loadEnvFiles(options.env ?? process.env, [dirname(file), cwd]);
  return parseConfig(text, { file, label, env, envFiles });
}

/**
 * Validates configuration text already read (e.g. by the web UI or tests). `file` is where relative
 * paths resolve from; `env` is used as given (no `.env` files are read).
 */
export function parseConfig(
  text: string,
  context: { file: string; env: Env; label?: string; envFiles?: string[] },
): LoadedConfig {
  const file = resolve(context.file);
  const label = context.label ?? file;
  const env: Record<string, string | undefined> = { ...context.env };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  const locate: Locate = (p, at) => positionOf(doc, lineCounter, p, at);
  const secrets: string[] = SECRET_ENV_VARS.map((v) => env[v]).filter((v): v is string => !!v);
  const fail = (message: string, issues: ConfigIssue[]): never => {
    const clean = (s: string): string => redactText(s, secrets);
    throw new ConfigError(
      clean(message),
      issues.map((i) => ({ ...i, message: clean(i.message) })),
    );
  };

  if (doc.errors.length > 0) {
    fail(
      `${label} is not valid YAML`,
      doc.errors.map((e) => {
        const start = lineCounter.linePos(e.pos[0]);
        const message = e.message.replace(/ at line \d+, column \d+.*$/s, '');
        return {
          path: '(yaml)',
          message: `${message} (${label}:${start.line}:${start.col})`,
          line: start.line,
          column: start.col,
        };
      }),
    );
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    // Parsed, but not convertible: a merge key (<<) of something other than a mapping, an alias
    // bomb past maxAliasCount, ...
    fail(`${label} is not valid YAML`, [
      { path: '(yaml)', message: error instanceof Error ? error.message : String(error) },
    ]);
  }
  if (raw === null || raw === undefined)
    fail(`${label} is empty: start from \`autotask-sync init\` or the example in docs/configuration.md`, []);
  if (typeof raw !== 'object' || Array.isArray(raw))
    fail(`${label} must be a mapping of settings (version:, autotask:, syncs:, ...)`, []);

  const warnings: ConfigWarning[] = [];
  for (const found of findInlineSecrets(raw)) {
    secrets.push(found.secret);
    const position = locate(found.path);
    const warning: ConfigWarning = {
      code: 'INLINE_SECRET',
      path: formatPath(found.path),
      message: position ? `${found.message} (${label}:${position.line}:${position.column})` : found.message,
    };
    if (position) {
      warning.line = position.line;
      warning.column = position.column;
    }
    warnings.push(warning);
  }

  const problems: RawIssue[] = [];
  const data = withoutExtensions(interpolate(raw, env, [], problems));
  problems.push(...duplicateNames(data));
  const parsed = configSchema.safeParse(data);
  if (!parsed.success) {
    // A setting whose ${VAR} could not be expanded is reported once, for the variable.
    const unexpanded = new Set(problems.map((p) => JSON.stringify(p.path)));
    problems.push(
      ...explainZodIssues(parsed.error.issues, configSchema, data).filter(
        (p) => !unexpanded.has(JSON.stringify(p.path)),
      ),
    );
  }
  if (problems.length > 0 || !parsed.success) {
    const issues = dedupe(problems)
      .map((p) => makeIssue(p, locate, label))
      .sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0));
    return fail(`${label} has ${issues.length} problem${issues.length === 1 ? '' : 's'}`, issues);
  }
  const output = parsed.data;
  const dir = dirname(file);
  const at = (path: string): string => resolvePath(dir, path, env);
  const config: SyncConfig = {
    ...output,
    state: at(output.state),
    syncs: output.syncs.map((sync) => ({
      ...sync,
      object: canonicalObject(sync.object) as WritableObject,
      source: sync.source.type === 'postgres' ? sync.source : { ...sync.source, path: at(sync.source.path) },
    })),
    exports: output.exports.map((spec) => ({
      ...spec,
      object: canonicalObject(spec.object) as ExportableObject,
      destination:
        spec.destination.type === 'postgres'
          ? spec.destination
          : { ...spec.destination, path: at(spec.destination.path) },
    })),
    twoWay: output.twoWay.map((spec) => ({
      ...spec,
      object: canonicalObject(spec.object) as WritableObject,
      table: spec.table.type === 'postgres' ? spec.table : { ...spec.table, path: at(spec.table.path) },
    })),
    file,
    dir,
  };
  return { config, warnings, env, envFiles: context.envFiles ?? [] };
}

/** `path` made absolute: `~/` is the home folder, anything else relative to the configuration's folder. */
function resolvePath(dir: string, path: string, env: Env): string {
  if (path === '~' || path.startsWith('~/')) return join(env['HOME'] ?? homedir(), path.slice(1));
  return resolve(dir, path);
}

/** Expands `${VAR}` in every string value (never in keys). */
function interpolate(value: unknown, env: Env, path: ConfigPath, problems: RawIssue[]): unknown {
  if (typeof value === 'string') {
    const result = interpolateString(value, env);
    for (const problem of result.problems) problems.push({ path, message: problem.message });
    return result.value;
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, env, [...path, i], problems));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = interpolate(v, env, [...path, k], problems);
    return out;
  }
  return value;
}

/**
 * Top-level keys starting with `x-` are extensions (as in Docker Compose): free places to keep YAML
 * anchors shared by several syncs. They are ignored.
 */
function withoutExtensions(data: unknown): unknown {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return data;
  return Object.fromEntries(Object.entries(data).filter(([key]) => !key.startsWith('x-')));
}

/** Sync names, and export names, must each be unique: they name state and `--only` targets. */
function duplicateNames(data: unknown): RawIssue[] {
  const problems: RawIssue[] = [];
  for (const listName of ['syncs', 'exports', 'twoWay'] as const) {
    const list = (data as Record<string, unknown>)[listName];
    if (!Array.isArray(list)) continue;
    const seen = new Map<string, number>();
    list.forEach((entry: unknown, i) => {
      const name = (entry as Record<string, unknown> | null)?.['name'];
      if (typeof name !== 'string') return;
      const first = seen.get(name);
      if (first === undefined) seen.set(name, i);
      else
        problems.push({
          path: [listName, i, 'name'],
          message: `the name "${name}" is already used by ${listName}[${first}]: give each ${listName === 'syncs' ? 'sync' : listName === 'exports' ? 'export' : 'two-way sync'} its own name`,
        });
    });
  }
  // `run --only` and the state store name syncs and two-way syncs alike
  const names = (list: unknown): unknown[] =>
    Array.isArray(list) ? list.map((e: unknown) => (e as Record<string, unknown> | null)?.['name']) : [];
  const syncNames = names((data as Record<string, unknown>)['syncs']);
  names((data as Record<string, unknown>)['twoWay']).forEach((name, i) => {
    if (typeof name === 'string' && syncNames.includes(name))
      problems.push({
        path: ['twoWay', i, 'name'],
        message: `the name "${name}" is already used by syncs[${syncNames.indexOf(name)}]: give the two-way sync its own name`,
      });
  });
  return problems;
}

function dedupe(problems: RawIssue[]): RawIssue[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${JSON.stringify(p.path)}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}
