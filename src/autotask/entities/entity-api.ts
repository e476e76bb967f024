/**
 * The per-entity API: get, query (following Autotask's paging), count, create, update (PATCH) and
 * replace (PUT). Contacts are written through `/Companies/{companyID}/Contacts`.
 */
import type { CreateOptions, EntityReader, EntityWriter, QueryPage } from '../client-types.js';
import { hasOrigin, type RestEndpoint } from '../connection-settings.js';
import {
  AutotaskNotFoundError,
  AutotaskQueryError,
  AutotaskUnexpectedResponseError,
  AutotaskUntrustedUrlError,
} from '../errors.js';
import { buildQueryBody, type QueryInput } from '../query.js';
import type { ApiRequest, ApiResponse } from '../request-pipeline.js';
import type { EntityName, EntityRecord, Filter, QueryBody } from '../types.js';
import type { NewRecord, RecordPatch } from './entity-records.js';

/** What an entity API needs from the client. */
export interface ClientCore {
  send: (request: ApiRequest) => Promise<ApiResponse>;
  /** The zone's REST endpoint (resolved once). */
  endpoint: () => Promise<RestEndpoint>;
}

type Api<T extends EntityRecord> = EntityReader<T> & EntityWriter<T>;

function unexpected(res: ApiResponse, method: string, url: string, entity: string, what: string): never {
  throw new AutotaskUnexpectedResponseError(`${method} ${url} did not return ${what}.`, {
    status: res.status,
    errors: [],
    request: { method, url, entity },
  });
}

function itemId(res: ApiResponse, method: string, url: string, entity: string): number {
  const id = (res.json as Record<string, unknown> | null)?.['itemId'];
  if (typeof id !== 'number') return unexpected(res, method, url, entity, "an 'itemId'");
  return id;
}

export function createEntityApi<T extends EntityRecord>(core: ClientCore, entity: EntityName): Api<T> {
  const isContact = entity === 'Contacts';
  /** Contacts' writes hold the Companies lane too: Autotask's bucket for the child route is undocumented. */
  const writeLanes = isContact ? ['Companies', 'Contacts'] : [entity];

  const queryPage = async (query: QueryInput, nextPageUrl?: string): Promise<QueryPage<T>> => {
    const body: QueryBody = buildQueryBody(query);
    const { origin, apiBase } = await core.endpoint();
    let url = `${apiBase}${entity}/query`;
    if (nextPageUrl !== undefined) {
      if (!hasOrigin(nextPageUrl, origin)) {
        throw new AutotaskUntrustedUrlError(
          `Autotask returned a next-page URL on another origin than ${origin}; credentials will not be sent there.`,
          { url: safeOrigin(nextPageUrl), expectedOrigin: origin },
        );
      }
      url = nextPageUrl;
    }
    // A POST-originated query's next page is POSTed with the same body (GET answers 405).
    const res = await core.send({
      method: 'POST',
      url,
      entity,
      operation: 'query',
      lanes: [entity],
      kind: 'read',
      body,
      budget: 'acquire',
      authenticated: true,
    });
    const json = res.json as { items?: unknown; pageDetails?: { nextPageUrl?: unknown } } | null;
    if (!json || !Array.isArray(json.items)) return unexpected(res, 'POST', url, entity, "an 'items' array");
    const next = json.pageDetails?.nextPageUrl;
    return { items: json.items as T[], nextPageUrl: typeof next === 'string' && next !== '' ? next : null };
  };

  async function* queryPages(query: QueryInput): AsyncGenerator<QueryPage<T>> {
    buildQueryBody(query); // fail before the first call
    const seen = new Set<string>();
    let next: string | undefined;
    for (;;) {
      const page = await queryPage(query, next);
      yield page;
      if (page.nextPageUrl === null) return;
      if (seen.has(page.nextPageUrl)) {
        throw new AutotaskUnexpectedResponseError(
          `Autotask returned the same next-page URL twice while querying ${entity}; stopping to avoid a loop.`,
          { status: 200, errors: [], request: { method: 'POST', url: `${entity}/query/next`, entity } },
        );
      }
      seen.add(page.nextPageUrl);
      next = page.nextPageUrl;
    }
  }

  async function* queryAll(query: QueryInput): AsyncGenerator<T> {
    for await (const page of queryPages(query)) yield* page.items;
  }

  const get = async (id: number): Promise<T | undefined> => {
    if (!Number.isSafeInteger(id))
      throw new AutotaskQueryError(`${entity}.get: id must be an integer; got ${id}.`);
    const { apiBase } = await core.endpoint();
    const url = `${apiBase}${entity}/${id}`;
    try {
      const res = await core.send({
        method: 'GET',
        url,
        entity,
        operation: 'get',
        lanes: [entity],
        kind: 'read',
        budget: 'acquire',
        authenticated: true,
      });
      const json = res.json as { item?: unknown } | null;
      if (!json || !('item' in json)) return unexpected(res, 'GET', url, entity, "an 'item'");
      return (json.item ?? undefined) as T | undefined;
    } catch (error) {
      if (error instanceof AutotaskNotFoundError && !error.routeNotFound) return undefined;
      throw error;
    }
  };

  const count = async (filter: Filter | readonly Filter[]): Promise<number> => {
    const body = buildQueryBody({ filter });
    const { apiBase } = await core.endpoint();
    const url = `${apiBase}${entity}/query/count`;
    const res = await core.send({
      method: 'POST',
      url,
      entity,
      operation: 'count',
      lanes: [entity],
      kind: 'read',
      body: { filter: body.filter },
      budget: 'acquire',
      authenticated: true,
    });
    const n = (res.json as Record<string, unknown> | null)?.['queryCount'];
    if (typeof n !== 'number') return unexpected(res, 'POST', url, entity, "a 'queryCount'");
    return n;
  };

  /** Collection URL for writes; for Contacts the company's child collection. */
  const writeUrl = async (record: Record<string, unknown>, what: string): Promise<string> => {
    const { apiBase } = await core.endpoint();
    if (!isContact) return `${apiBase}${entity}`;
    let companyID = record['companyID'];
    if (companyID === undefined && what !== 'create' && typeof record['id'] === 'number') {
      companyID = (await get(record['id']))?.['companyID'];
    }
    if (typeof companyID !== 'number' || !Number.isSafeInteger(companyID)) {
      throw new AutotaskQueryError(
        `Contacts.${what}: 'companyID' must be the contact's company id (a number); Autotask writes contacts through /Companies/{companyID}/Contacts.`,
        { field: 'companyID' },
      );
    }
    return `${apiBase}Companies/${companyID}/Contacts`;
  };

  const write = async (
    method: 'POST' | 'PATCH' | 'PUT',
    operation: 'create' | 'update' | 'replace',
    record: Record<string, unknown>,
    onSend?: () => void,
  ): Promise<number> => {
    if (operation !== 'create' && !(typeof record['id'] === 'number' && Number.isSafeInteger(record['id']))) {
      throw new AutotaskQueryError(`${entity}.${operation}: 'id' (a number) is required in the record.`, {
        field: 'id',
      });
    }
    const url = await writeUrl(record, operation);
    const body: Record<string, unknown> = { ...record };
    if (operation === 'create') delete body['id'];
    const res = await core.send({
      method,
      url,
      entity,
      operation,
      lanes: writeLanes,
      kind: operation === 'create' ? 'create' : 'idempotent-write',
      body,
      budget: 'acquire',
      authenticated: true,
      impersonate: true,
      ...(onSend === undefined ? {} : { onSend }),
    });
    return itemId(res, method, url, entity);
  };

  return {
    get,
    query: queryAll,
    queryPages,
    queryPage,
    count,
    create: (fields: NewRecord<T>, options?: CreateOptions) =>
      write('POST', 'create', fields, options?.onSend),
    update: (patch: RecordPatch<T>) => write('PATCH', 'update', patch),
    replace: (full: RecordPatch<T>) => write('PUT', 'replace', full),
  };
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(not a URL)';
  }
}
