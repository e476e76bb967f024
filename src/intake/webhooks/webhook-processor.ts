/**
 * Applies queued Autotask webhook events to the intake's SQL table, and the periodic reconciliation
 * pass that catches callouts Autotask never sent (webhooks are hints, API doc §10).
 *
 * A batch of events costs one `id in (...)` query per 500 records: the record is re-read rather than
 * taken from the callout's `Fields`, because callouts may arrive out of order and carry only the
 * subscribed fields; the current record is the truth.
 */
import type { AutotaskClient } from '../../autotask/client-types.js';
import { formatAutotaskDateTime, parseAutotaskDateTime } from '../../autotask/datetime.js';
import { or, where } from '../../autotask/query.js';
import type { EntityName, Filter } from '../../autotask/types.js';
import type { SqlSystem } from '../../connectors/sql-system/sql-system.js';
import type { Clock } from '../../shared/clock.js';
import type { StateStore } from '../../state/state-store.js';
import { OBJECT_MODELS } from '../../sync/engine/object-model.js';
import type { TableWebhookSpec, WebhookIntakeSpec } from '../intake-config-schema.js';
import type { IntakeItem, IntakeOutcome } from '../queue/intake-queue.js';
import { writeRecordsToTable, type AutotaskRow } from './table-writer.js';
import type { WebhookEvent } from './webhook-event.js';

export interface WebhookDeps {
  client: Pick<AutotaskClient, 'entity'>;
  clock: Clock;
}

export interface WebhookItemResult {
  id: number;
  outcome: IntakeOutcome;
}

/** Reading back moves this far behind the newest change seen (same-second writes, clock skew). */
const RECONCILE_OVERLAP_MS = 60_000;

export function webhookEntity(spec: WebhookIntakeSpec): EntityName {
  return spec.object === 'Contact' ? 'Contacts' : 'Companies';
}

/** Reads the records of these ids (one query per 500). Records that no longer exist are absent. */
async function readRecords(
  deps: WebhookDeps,
  entity: EntityName,
  ids: readonly number[],
): Promise<AutotaskRow[]> {
  const out: AutotaskRow[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    for await (const record of deps.client.entity(entity).query([where.in('id', chunk)])) out.push(record);
  }
  return out;
}

/**
 * Processes webhook items: every record they name is read once and written to the table. Throws when
 * Autotask or the table cannot be reached (the worker retries the batch with backoff).
 */
export async function processWebhookBatch(
  deps: WebhookDeps,
  spec: TableWebhookSpec,
  system: SqlSystem,
  items: readonly IntakeItem[],
): Promise<WebhookItemResult[]> {
  const entity = webhookEntity(spec);
  const events = items.map((item) => ({ item, event: item.body as unknown as WebhookEvent }));
  const deletedAt = spec.table.deletedAt;
  const idsOf = (actions: readonly string[]): number[] => [
    ...new Set(
      events
        .filter(({ event }) => event.id !== null && actions.includes(event.action))
        .map(({ event }) => event.id as number),
    ),
  ];
  const ids = idsOf(['Create', 'Update']);
  // with `deletedAt`, Delete callouts are checked in the same `in` queries: only a record gone is flagged
  const deleteIds = deletedAt === undefined ? [] : idsOf(['Delete']).filter((id) => !ids.includes(id));
  const found = await readRecords(deps, entity, [...ids, ...deleteIds]);
  const stillThere = new Set(found.map((r) => r.id));
  const records = found.filter((r) => ids.includes(r.id));
  const written = await writeRecordsToTable(system, spec.table.key, spec.columns, records, deps.clock.now());
  const flagged =
    deletedAt === undefined
      ? { ids: new Set<number>(), missingColumn: false }
      : await flagDeletedRows(
          system,
          deletedAt,
          deleteIds.filter((id) => !stillThere.has(id)),
          deps.clock.now(),
        );
  const actionOf = new Map<number, string>();
  for (const id of written.inserted) actionOf.set(id, 'inserted');
  for (const id of written.updated) actionOf.set(id, 'updated');
  for (const id of written.unchanged) actionOf.set(id, 'unchanged');
  return events.map(({ item, event }) => {
    const base = { name: spec.table.table, autotaskId: event.id };
    if (event.action === 'Deactivated')
      return {
        id: item.id,
        outcome: {
          records: [
            {
              ...base,
              action: 'ignored',
              reason:
                'Autotask deactivated the webhook: reactivate it in Autotask; the reconciliation pass keeps the table current meanwhile',
            },
          ],
        },
      };
    if (event.action === 'Delete')
      return {
        id: item.id,
        outcome: {
          records: [
            deletedAt === undefined
              ? {
                  ...base,
                  action: 'ignored',
                  reason: 'deleted in Autotask: the table row is kept (rows are never deleted)',
                }
              : event.id !== null && flagged.ids.has(event.id)
                ? { ...base, action: 'flagged-deleted', reason: null }
                : flagged.missingColumn
                  ? {
                      ...base,
                      action: 'ignored',
                      reason: `the table has no column "${deletedAt}" (intake setting table.deletedAt): add it`,
                    }
                  : event.id !== null && stillThere.has(event.id)
                    ? { ...base, action: 'ignored', reason: 'Autotask still has the record: not flagged' }
                    : {
                        ...base,
                        action: 'ignored',
                        reason: 'deleted in Autotask: the table has no row for it',
                      },
          ],
        },
      };
    const action = event.id === null ? undefined : actionOf.get(event.id);
    return {
      id: item.id,
      outcome: {
        records: [
          action === undefined
            ? { ...base, action: 'not-found', reason: 'the record no longer exists in Autotask' }
            : { ...base, action, reason: null },
        ],
      },
    };
  });
}

/**
 * Sets `column` to `now` on the rows of records gone from Autotask (rows already set keep their
 * time). Returns the ids whose row holds the flag, or `missingColumn` when the table has no such column.
 */
async function flagDeletedRows(
  system: SqlSystem,
  column: string,
  ids: readonly number[],
  now: number,
): Promise<{ ids: Set<number>; missingColumn: boolean }> {
  if (ids.length === 0) return { ids: new Set(), missingColumn: false };
  const rows = await system.readByKeys(ids.map(String));
  if (rows.some((row) => !(column in row.values))) return { ids: new Set(), missingColumn: true };
  const updates = rows
    .filter((row) => row.values[column] === null || row.values[column] === undefined)
    .map((row) => ({ key: row.key, values: { [column]: new Date(now) } }));
  if (updates.length > 0) await system.write({ inserts: [], updates, stampedAt: now });
  return { ids: new Set(rows.map((row) => Number(row.key))), missingColumn: false };
}

export interface ReconcileResult {
  read: number;
  inserted: number;
  updated: number;
}

/**
 * Reads the records changed since the last pass (everything, the first time) and writes them to the
 * table. The watermark is kept as a bookmark `intake:<name>` in the state store.
 */
export async function reconcileWebhookTable(
  deps: WebhookDeps & { state: StateStore },
  spec: TableWebhookSpec,
  system: SqlSystem,
): Promise<ReconcileResult> {
  const entity = webhookEntity(spec);
  const model = OBJECT_MODELS[spec.object === 'Contact' ? 'Contact' : 'Company'];
  const bookmarkName = `intake:${spec.name}`;
  const bookmark = deps.state.getBookmark(bookmarkName, entity);
  const since = bookmark === undefined ? undefined : parseAutotaskDateTime(bookmark.value);
  const filter: Filter =
    since === undefined
      ? where.all()
      : or(
          ...model.changeFields.map((f) =>
            where.gte(f, formatAutotaskDateTime(since - RECONCILE_OVERLAP_MS)),
          ),
        );
  const result: ReconcileResult = { read: 0, inserted: 0, updated: 0 };
  let newest = since ?? 0;
  for await (const page of deps.client.entity(entity).queryPages([filter])) {
    const rows = page.items as unknown as AutotaskRow[];
    result.read += rows.length;
    for (const row of rows)
      for (const f of model.changeFields) {
        const t = typeof row[f] === 'string' ? parseAutotaskDateTime(row[f]) : undefined;
        if (t !== undefined && t > newest) newest = t;
      }
    const written = await writeRecordsToTable(system, spec.table.key, spec.columns, rows, deps.clock.now());
    result.inserted += written.inserted.length;
    result.updated += written.updated.length;
  }
  if (newest > 0)
    deps.state.setBookmark({
      name: bookmarkName,
      stream: entity,
      field: model.changeFields[0] ?? 'id',
      value: formatAutotaskDateTime(newest),
    });
  return result;
}
