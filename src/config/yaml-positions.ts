/**
 * Maps a setting's path (`['syncs', 1, 'fields', 'companyType']`) to its line and column in the YAML
 * file, with the `yaml` package's document API, so that every problem can say where it is.
 */
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export interface Position {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

export type ConfigPath = readonly (string | number)[];

/**
 * The position of the setting at `path`: its value, or with `at: 'key'` its key (for an unknown key).
 * When the path does not exist in the file (a missing setting), the position of the closest enclosing
 * setting that does. `undefined` only when the document is empty.
 */
export function positionOf(
  doc: Document,
  lineCounter: LineCounter,
  path: ConfigPath,
  at: 'key' | 'value' = 'value',
): Position | undefined {
  let node: unknown = doc.contents;
  let best: Node | undefined = isNode(node) ? node : undefined;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(segment));
      if (!pair) break;
      if (last && at === 'key' && isNode(pair.key)) {
        best = pair.key;
        break;
      }
      node = pair.value;
      if (isNode(node)) best = node;
      else if (isNode(pair.key)) best = pair.key; // `key:` with no value
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
      if (!isNode(node)) break;
      best = node;
    } else break;
  }
  if (!best?.range) return undefined;
  const { line, col } = lineCounter.linePos(best.range[0]);
  return { line, column: col };
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function isNode(value: unknown): value is Node {
  return isMap(value) || isSeq(value) || isScalar(value);
}

/** `syncs[1].fields.companyType.default` — a path as people read it. Keys with dots or spaces are quoted. */
export function formatPath(path: ConfigPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out === '' ? '(top level)' : out;
}
