/**
 * Edits the configuration file the way a person would: through the `yaml` document API, so comments,
 * key order and the style of everything the edit does not touch survive. The app only ever replaces
 * one sync (or one field of it) at a time; whatever it does not know about (transforms, `ref`,
 * templates, exports, `x-` anchors) is left as it was.
 */
import { isDeepStrictEqual } from 'node:util';

import { isMap, isScalar, isSeq, parseDocument, YAMLMap, YAMLSeq, type Document } from 'yaml';

import { UiRequestError } from './http-errors.js';

/** The text of a new configuration file. */
export const NEW_CONFIG_TEXT = `# autotask-sync configuration, written by \`autotask-sync ui\`.
# Credentials live in the environment or in .env beside this file, never here.
version: 1

autotask:
  budget:
    share: 0.5 # never let the tenant's hourly API usage pass half of Autotask's limit

state: .autotask-sync/state.sqlite

syncs: []
`;

/** Top-level keys of a sync the editor owns; other keys of a sync are kept untouched. */
const SYNC_KEYS = ['name', 'object', 'mode', 'source', 'key', 'where', 'fields'] as const;

/** A sync as the page sends it (validated further by the configuration loader). */
export type SyncDraft = Record<string, unknown>;

function parse(text: string): Document {
  const doc = parseDocument(text, { keepSourceTokens: false, merge: true });
  if (doc.errors.length > 0)
    throw new UiRequestError(
      'UI_CONFIG_NOT_YAML',
      `the configuration file is not valid YAML (${doc.errors[0]?.message ?? 'parse error'}): fix it in an editor first`,
      422,
    );
  return doc;
}

function syncsOf(doc: Document): YAMLSeq {
  const node = doc.get('syncs', true);
  if (isSeq(node)) return node;
  const seq = new YAMLSeq();
  doc.set('syncs', seq);
  return seq;
}

/**
 * Sets `key` of `map` unless it already holds an equal value (so untouched nodes keep comments).
 * Returns whether it changed anything.
 */
function setIfChanged(doc: Document, map: YAMLMap, key: string, value: unknown, flow: boolean): boolean {
  const current: unknown = map.get(key, true);
  const currentJs: unknown =
    current !== null && typeof current === 'object' && 'toJSON' in current
      ? (current as { toJSON(): unknown }).toJSON()
      : current;
  if (isDeepStrictEqual(currentJs, value)) return false;
  // a scalar changed in place keeps its comment (`mode: upsert # why`)
  if (isScalar(current) && (value === null || typeof value !== 'object')) current.value = value;
  else map.set(key, doc.createNode(value, { flow }));
  return true;
}

/** A line with the padding inside flow brackets removed: `[ a, b ]` and `[a, b]` read the same. */
function unpadded(line: string): string {
  return line.replace(/([[{])\s+/g, '$1').replace(/\s+([\]}])/g, '$1');
}

/**
 * The serialiser writes every flow collection in one style (`[ a ]`); a line that differs from one of
 * the original file only by that padding is put back as it was written, so an edit shows up as the
 * lines it changed and no others.
 */
function keepOriginalLines(original: string, edited: string): string {
  const byForm = new Map<string, string>();
  for (const line of original.split('\n')) if (!byForm.has(unpadded(line))) byForm.set(unpadded(line), line);
  return edited
    .split('\n')
    .map((line) => byForm.get(unpadded(line)) ?? line)
    .join('\n');
}

/**
 * Returns `text` with sync `index` replaced by `draft` (or `draft` appended when `index` is null or
 * past the end). Fields are updated one by one so comments on unchanged fields survive.
 */
export function applySyncDraft(text: string, index: number | null, draft: SyncDraft): string {
  const doc = parse(text);
  const syncs = syncsOf(doc);
  syncs.flow = false;
  const node = index === null ? undefined : syncs.items[index];
  if (index !== null && index > syncs.items.length)
    throw new UiRequestError(
      'UI_NO_SUCH_SYNC',
      `there is no sync number ${index + 1} in the configuration`,
      404,
    );
  if (!isMap(node)) {
    const map = new YAMLMap();
    for (const key of SYNC_KEYS) {
      const value = draft[key];
      if (value === undefined) continue;
      map.set(key, doc.createNode(value, { flow: key === 'source' || key === 'key' || key === 'where' }));
    }
    const fields = map.get('fields', true);
    if (isMap(fields)) for (const pair of fields.items) if (isMap(pair.value)) pair.value.flow = true;
    if (index === null || index >= syncs.items.length) syncs.items.push(map);
    else syncs.items[index] = map;
    return doc.toString();
  }
  let changed = false;
  for (const key of SYNC_KEYS) {
    const value = draft[key];
    if (value === undefined) {
      if (node.has(key)) changed = node.delete(key) || changed;
      continue;
    }
    if (key !== 'fields') {
      changed =
        setIfChanged(doc, node, key, value, key !== 'name' && key !== 'object' && key !== 'mode') || changed;
      continue;
    }
    const existing: unknown = node.get('fields', true);
    const fields = isMap(existing) ? existing : new YAMLMap();
    if (fields !== existing) {
      node.set('fields', fields);
      changed = true;
    }
    const wanted = value as Record<string, unknown>;
    for (const pair of [...fields.items]) {
      const name = String((pair.key as { value?: unknown } | null)?.value ?? pair.key);
      if (!(name in wanted)) changed = fields.delete(pair.key) || changed;
    }
    for (const [field, spec] of Object.entries(wanted))
      changed = setIfChanged(doc, fields, field, spec, true) || changed;
  }
  // nothing changed: keep the file exactly as written (the serialiser would re-wrap long lines)
  return changed ? keepOriginalLines(text, doc.toString()) : text;
}

/** Returns `text` without sync `index`. */
export function removeSync(text: string, index: number): string {
  const doc = parse(text);
  const syncs = syncsOf(doc);
  if (index < 0 || index >= syncs.items.length)
    throw new UiRequestError(
      'UI_NO_SUCH_SYNC',
      `there is no sync number ${index + 1} in the configuration`,
      404,
    );
  syncs.items.splice(index, 1);
  return keepOriginalLines(text, doc.toString());
}

/** The syncs as written in the file (before defaults and path resolution), for the editor. */
export function rawSyncs(text: string): SyncDraft[] {
  const js: unknown = parse(text).toJS({ maxAliasCount: 1000 });
  const syncs = (js as { syncs?: unknown } | null)?.syncs;
  return Array.isArray(syncs)
    ? (syncs.filter((s) => s !== null && typeof s === 'object') as SyncDraft[])
    : [];
}

/**
 * The two-way syncs (`twoWay:`) as written, reduced to what the Mapping page lists (they are edited
 * in the YAML file): name, object, and the table's type and name. No URL (it may carry a password).
 */
export function rawTwoWay(text: string): { name: string; object: string; table: string }[] {
  const js: unknown = parse(text).toJS({ maxAliasCount: 1000 });
  const list = (js as { twoWay?: unknown } | null)?.twoWay;
  if (!Array.isArray(list)) return [];
  const text_ = (v: unknown): string => (typeof v === 'string' ? v : '?');
  return list
    .filter((s): s is Record<string, unknown> => s !== null && typeof s === 'object')
    .map((s) => {
      const table = (s['table'] ?? {}) as Record<string, unknown>;
      return {
        name: text_(s['name']),
        object: text_(s['object']),
        table: `${text_(table['type'])} ${text_(table['table'])}`,
      };
    });
}
