/**
 * The first pass over a source (extract → map → key, no writes): the dedupe key of every row, so that
 * two rows with one key are known to be a conflict before either is written, and the rows other syncs
 * may reference (companies by exact name, contacts by email). Memory holds hashes of keys (and the
 * keys seen twice), not rows; a small source's rows are kept with their mapping for the load pass.
 */
import { formatLocation } from '../../connectors/source.js';
import { recordKey } from '../keys/record-key.js';
import type { MappedRecord } from '../mapping/types.js';
import type { EngineContext, KeyPassResult } from './engine-context.js';
import { exactNameKey } from './key-kinds.js';
import { KeyHashSet } from './key-hash-set.js';
import { keyValues, resolveRecord } from './record-values.js';
import type { SyncProgram } from './sync-program.js';

/** Locations kept per duplicate key (enough to report a conflict with the rows involved). */
const MAX_LOCATIONS = 5;
/**
 * Rows of one source kept in memory between the passes (with what the key pass computed for them:
 * about 2.5 KB a row at peak), so that a small source is read, parsed and mapped once. A larger source
 * is read twice (streamed), so memory stays bounded whatever its size.
 */
export const CACHED_ROWS = 80_000;
/**
 * A source file larger than this is not kept in memory at all (decided before reading, so no rows are
 * kept only to be dropped): about 80,000 rows of a typical export.
 */
export const CACHED_MAX_BYTES = 8 * 1024 * 1024;

/** Shared by every cached row without create issues (never written to). */
const NO_ISSUES: MappedRecord['createIssues'] = Object.freeze([]) as unknown as MappedRecord['createIssues'];

export interface KeyPassOptions {
  /** Keep every distinct key (`KeyPassResult.keys`): for lookups by key and same-run references. */
  collectKeys: boolean;
}

export async function runKeyPass(
  ctx: EngineContext,
  program: SyncProgram,
  options: KeyPassOptions,
): Promise<KeyPassResult> {
  const source = await ctx.deps.openSource(program.spec);
  const size = await source.sizeBytes?.();
  const result: KeyPassResult = {
    duplicates: new Map(),
    keys: options.collectKeys ? [] : undefined,
    rows: 0,
    records: size !== undefined && size > CACHED_MAX_BYTES ? undefined : [],
  };
  const seen = new KeyHashSet();
  const remembersTargets =
    (program.object === 'Company' || program.object === 'Contact') &&
    ctx.referencedObjects.has(program.object);
  for await (const record of source.read()) {
    result.rows++;
    let records = result.records;
    if (records !== undefined && result.rows > CACHED_ROWS) {
      records = undefined;
      result.records = undefined;
    }
    if (ctx.signal?.aborted) {
      result.records = undefined;
      break;
    }
    if (result.rows % 1000 === 0)
      ctx.deps.onProgress?.({ sync: program.name, stage: 'extract', read: result.rows, done: 0 });
    if (record.error !== undefined || !program.accepts(record.values)) {
      records?.push({ record });
      continue;
    }
    const mapped = program.map(record.values);
    const resolved = mapped.issues.length > 0 ? undefined : resolveRecord(ctx, program, mapped);
    const values =
      resolved === undefined || resolved.error !== undefined
        ? undefined
        : keyValues(resolved, program.keyPassFields);
    const key = values === undefined ? undefined : recordKey(program.keyDef, values);
    if (resolved === undefined || values === undefined || key === undefined || !key.ok) {
      records?.push({ record });
      continue;
    }
    records?.push({
      record,
      createIssues: mapped.createIssues.length === 0 ? NO_ISSUES : mapped.createIssues,
      resolved,
      key: key.key,
    });
    const firstIndex = seen.addOrGet(key.key, record.location.index);
    if (firstIndex === -1) result.keys?.push(key.key);
    else {
      // Only duplicates keep their key and locations: memory stays small for a million rows.
      const duplicate = result.duplicates.get(key.key);
      if (duplicate === undefined)
        result.duplicates.set(key.key, { count: 2, firstIndex, first: undefined, later: [record.location] });
      else {
        duplicate.count++;
        if (duplicate.later.length < MAX_LOCATIONS - 1) duplicate.later.push(record.location);
      }
    }
    if (remembersTargets) {
      const location = formatLocation(record.location);
      const name = program.object === 'Company' ? values['companyName'] : values['emailAddress'];
      const target = {
        sync: program.name,
        key: key.key,
        location,
        ...(typeof name === 'string' ? { name } : {}),
      };
      addTarget(
        program.object === 'Company' ? ctx.sameRunCompanies : ctx.sameRunContacts,
        exactNameKey(name),
        target,
      );
    }
  }
  return result;
}

function addTarget<T extends { key: string; sync: string }>(
  map: Map<string, T[]>,
  name: string | undefined,
  target: T,
): void {
  if (name === undefined) return;
  const list = map.get(name);
  if (list === undefined) map.set(name, [target]);
  // The same record twice (duplicate rows) is a source conflict, reported by the load pass.
  else if (!list.some((t) => t.sync === target.sync && t.key === target.key)) list.push(target);
}
