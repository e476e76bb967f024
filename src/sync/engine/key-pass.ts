/**
 * The first pass over a source (extract → map → key, no writes): the dedupe key of every row, so that
 * two rows with one key are known to be a conflict before either is written, and the rows other syncs
 * may reference (companies by exact name, contacts by email). Memory holds keys, not rows.
 */
import { formatLocation } from '../../connectors/source.js';
import { recordKey } from '../keys/record-key.js';
import type { EngineContext, KeyPassResult } from './engine-context.js';
import { exactNameKey } from './key-kinds.js';
import { keyValues, resolveRecord } from './record-values.js';
import type { SyncProgram } from './sync-program.js';

/** Locations kept per key (enough to report a conflict with both records). */
const MAX_LOCATIONS = 5;
/**
 * Rows of one source kept in memory between the passes; a larger source is read twice (streamed),
 * so memory stays bounded whatever its size.
 */
export const CACHED_ROWS = 100_000;

export async function runKeyPass(ctx: EngineContext, program: SyncProgram): Promise<KeyPassResult> {
  const result: KeyPassResult = { keys: new Map(), rows: 0, records: [] };
  const source = await ctx.deps.openSource(program.spec);
  for await (const record of source.read()) {
    result.rows++;
    if (result.records !== undefined) {
      if (result.rows > CACHED_ROWS) result.records = undefined;
      else result.records.push(record);
    }
    if (ctx.signal?.aborted) {
      result.records = undefined;
      break;
    }
    if (record.error !== undefined || !program.accepts(record.values)) continue;
    const mapped = program.map(record.values);
    if (mapped.issues.length > 0) continue;
    const resolved = resolveRecord(ctx, program, mapped);
    if (resolved.error !== undefined) continue;
    const values = keyValues(resolved, program.keyPassFields);
    const key = recordKey(program.keyDef, values);
    if (!key.ok) continue;
    // Keep the source's own location object (no string per row); format only when reporting.
    const seen = result.keys.get(key.key);
    if (seen === undefined) result.keys.set(key.key, record.location);
    else if (!Array.isArray(seen)) result.keys.set(key.key, [seen, record.location]);
    else if (seen.length < MAX_LOCATIONS) seen.push(record.location);
    if (
      (program.object === 'Company' || program.object === 'Contact') &&
      ctx.referencedObjects.has(program.object)
    ) {
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
    if (result.rows % 1000 === 0)
      ctx.deps.onProgress?.({ sync: program.name, stage: 'extract', read: result.rows, done: 0 });
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
