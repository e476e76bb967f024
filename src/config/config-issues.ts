/**
 * Turns zod's validation issues into `ConfigIssue`s people can act on: a readable path, the YAML line
 * and column, and a "did you mean" for misspelt keys and values.
 */
import type { z } from 'zod';

import { knownKeysAt } from './schema-keys.js';
import { closest } from '../shared/suggest.js';
import type { ConfigIssue } from './types.js';
import { formatPath, type ConfigPath, type Position } from './yaml-positions.js';

/** Finds a setting's position in the source file (`at: 'key'` for the key itself). */
export type Locate = (path: ConfigPath, at?: 'key' | 'value') => Position | undefined;

/** A problem before its position is attached. */
export interface RawIssue {
  path: ConfigPath;
  message: string;
  at?: 'key' | 'value';
}

/** Builds the final issue: readable path, position, and the position appended to the message. */
export function makeIssue(raw: RawIssue, locate: Locate, fileLabel: string): ConfigIssue {
  const position = locate(raw.path, raw.at);
  const issue: ConfigIssue = {
    path: formatPath(raw.path),
    message: position ? `${raw.message} (${fileLabel}:${position.line}:${position.column})` : raw.message,
  };
  if (position) {
    issue.line = position.line;
    issue.column = position.column;
  }
  return issue;
}

type Issue = z.core.$ZodIssue;

/** Flattens and explains zod issues for `data` validated against `schema`. */
export function explainZodIssues(issues: readonly Issue[], schema: z.ZodType, data: unknown): RawIssue[] {
  const out: RawIssue[] = [];
  for (const issue of issues) explain(issue, [], schema, data, out);
  return out;
}

function explain(issue: Issue, prefix: ConfigPath, schema: z.ZodType, data: unknown, out: RawIssue[]): void {
  const path: (string | number)[] = [...prefix, ...(issue.path as (string | number)[])];
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeysAt(schema, data, path);
      for (const key of issue.keys) {
        const hint = closest(key, known);
        const list = known.length > 0 ? ` Allowed here: ${known.join(', ')}.` : '';
        out.push({
          path: [...path, key],
          at: 'key',
          message: hint
            ? `unknown setting "${key}": did you mean "${hint}"?`
            : `unknown setting "${key}".${list}`,
        });
      }
      return;
    }
    case 'invalid_value': {
      const got = valueAt(data, path);
      const values = issue.values.map(String);
      const custom =
        !issue.message.startsWith('Invalid option') && !issue.message.startsWith('Invalid input');
      if (custom) {
        out.push({ path, message: issue.message });
        return;
      }
      const hint = typeof got === 'string' ? closest(got, values) : undefined;
      out.push({
        path,
        message:
          got === undefined
            ? `missing: give ${values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${values.join(', ')}`}`
            : values.length === 1
              ? `must be ${JSON.stringify(issue.values[0])}`
              : `must be one of ${values.join(', ')}${hint ? `: did you mean "${hint}"?` : ''}`,
      });
      return;
    }
    case 'invalid_union': {
      const discriminated = issue as Issue & { note?: string; options?: unknown[] };
      if (discriminated.note === 'No matching discriminator' && discriminated.options) {
        const got = valueAt(data, path);
        const values = discriminated.options.map(String);
        const hint = typeof got === 'string' ? closest(got, values) : undefined;
        out.push({
          path,
          message:
            got === undefined
              ? `missing: give one of ${values.join(', ')}`
              : `must be one of ${values.join(', ')}${hint ? `: did you mean "${hint}"?` : ''}`,
        });
        return;
      }
      // Keep the branches that got past the type check (the one the user meant); if none did, say
      // which types are accepted.
      const branches = issue.errors.filter(
        (branch) =>
          !(branch.length === 1 && branch[0]?.code === 'invalid_type' && branch[0].path.length === 0),
      );
      if (branches.length === 1 && branches[0]) {
        for (const inner of branches[0]) explain(inner, path, schema, data, out);
        return;
      }
      const expected = [
        ...new Set(
          issue.errors.flatMap((b) => b.filter((i) => i.code === 'invalid_type').map((i) => i.expected)),
        ),
      ];
      out.push({
        path,
        message:
          expected.length > 0
            ? `expected ${expected.map(describeType).join(' or ')}, got ${describeValue(valueAt(data, path))}`
            : issue.message,
      });
      return;
    }
    case 'invalid_type': {
      const got = valueAt(data, path);
      out.push({
        path,
        message:
          got === undefined
            ? `missing: this setting is required (${describeType(issue.expected)})`
            : `expected ${describeType(issue.expected)}, got ${describeValue(got)}`,
      });
      return;
    }
    default:
      out.push({ path, message: issue.message });
  }
}

function valueAt(data: unknown, path: ConfigPath): unknown {
  let value = data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

function describeType(expected: string): string {
  switch (expected) {
    case 'string':
      return 'text';
    case 'object':
    case 'record':
      return 'a mapping (key: value)';
    case 'array':
      return 'a list';
    case 'int':
      return 'a whole number';
    default:
      return `a ${expected}`;
  }
}

/** Names the kind of value the user wrote, never the value itself (it might be a secret). */
function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'text';
  return `a ${typeof value}`;
}
