/**
 * Queries (§4, §13 items 14, 19–21): `POST /{Entity}/query` with a JSON body or `GET` with
 * `search=`, `/query/count`, `/query/next` keyset paging. The query engine (query/) evaluates the
 * body; this module handles transport: where the body comes from, page URLs, and Autotask's rules for
 * following them (GET only with `search`, POST with the original body or none; a different filter is
 * refused).
 */
import type { EntityName } from '../../autotask/types.js';
import { parseJsonBody } from '../coercion.js';
import { parseJsonNet } from '../json-net-parse.js';
import { AutotaskBusinessError } from '../contracts.js';
import { countQuery, executeQuery } from '../query/index.js';
import type { ApiReply } from './api-exchange.js';
import type { EmulatorParts, RequestScope } from './context.js';
import { pageUrls, parsePagingToken, tokenAfterId, type PagingToken } from './paging.js';
import { queryParam } from './query-param.js';
import { jsonResponse, methodNotAllowed } from './responses.js';

/** Emulator-invented wordings (see validation/messages.ts for the list). */
const SEARCH_INVALID =
  'The search parameter is not valid JSON. Send the query as URL-encoded JSON in search=.';
const PAGE_QUERY_UNKNOWN =
  'The query of this page is not known (the emulator restarted or forgot it). POST the original query body to the nextPageUrl.';
const PAGE_FILTER_CHANGED =
  'The filter in the request body differs from the filter of the query being paged. POST the original query body to the nextPageUrl.';

function parseSearch(search: string): unknown {
  try {
    return parseJsonNet(search);
  } catch {
    throw new AutotaskBusinessError([SEARCH_INVALID]);
  }
}

/** Value of a key matched case-insensitively (`filter`/`Filter`). */
function keyValue(body: unknown, key: string): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  for (const [k, v] of Object.entries(body)) if (k.toLowerCase() === key) return v;
  return undefined;
}

/** Canonical JSON of a filter for comparing two queries (object keys lower-cased and sorted). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .map(([k, v]) => [k.toLowerCase(), canonical(v)] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  }
  return typeof value === 'string' ? value.toLowerCase() : value;
}

function filterKey(body: unknown): string {
  return JSON.stringify(canonical(keyValue(body, 'filter')) ?? null);
}

/**
 * A next-page body that repeats only the filter (the n8n node sends `{filter}`, noting that the
 * IncludeFields of the first request still apply) gets the original query's IncludeFields.
 */
function withOriginalIncludeFields(sent: unknown, original: unknown): unknown {
  const fields = keyValue(original, 'includefields');
  if (fields === undefined || keyValue(sent, 'includefields') !== undefined) return sent;
  return { ...(sent as Record<string, unknown>), IncludeFields: fields };
}

/** The body with MaxRecords forced to the paging token's page size. */
function withPageSize(body: unknown, pageSize: number): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) if (k.toLowerCase() !== 'maxrecords') copy[k] = v;
  copy['MaxRecords'] = pageSize;
  return copy;
}

function runPage(
  parts: EmulatorParts,
  scope: RequestScope,
  entity: EntityName,
  body: unknown,
  token: PagingToken | undefined,
  search: string | undefined,
): ApiReply {
  const schema = parts.schemas[entity];
  const afterId = token ? tokenAfterId(token) : undefined;
  const result = executeQuery({
    schema,
    udfs: parts.tenant.udfDefinitions[entity],
    table: parts.tenant.tables[entity],
    body: token ? withPageSize(body, token.pageSize) : body,
    ...(afterId === undefined ? {} : { afterId }),
  });
  const urls = pageUrls({
    base: scope.restRoot,
    entity,
    pageSize: result.requestCount,
    current: token,
    continueAfterId: result.continueAfterId,
    search,
  });
  if (search === undefined && urls.nextToken) {
    parts.pagedQueries.remember(entity, urls.nextToken, JSON.stringify(body));
  }
  return jsonResponse({
    items: result.items,
    pageDetails: {
      count: result.items.length,
      requestCount: result.requestCount,
      prevPageUrl: urls.prevPageUrl,
      nextPageUrl: urls.nextPageUrl,
    },
  });
}

/** `GET|POST /{Entity}/query`. A GET without `search` is not an action ASP.NET can select → 405. */
export function query(parts: EmulatorParts, scope: RequestScope, entity: EntityName): ApiReply {
  if (scope.method === 'GET') {
    const search = queryParam(scope.url, 'search');
    if (search === null) return methodNotAllowed('GET', ['POST']);
    return runPage(parts, scope, entity, parseSearch(search), undefined, search);
  }
  return runPage(parts, scope, entity, parseJsonBody(scope.raw), undefined, undefined);
}

/** `GET|POST /{Entity}/query/count` → `{"queryCount":n}`. */
export function count(parts: EmulatorParts, scope: RequestScope, entity: EntityName): ApiReply {
  let body: unknown;
  if (scope.method === 'GET') {
    const search = queryParam(scope.url, 'search');
    if (search === null) return methodNotAllowed('GET', ['POST']);
    body = parseSearch(search);
  } else {
    body = parseJsonBody(scope.raw);
  }
  const queryCount = countQuery({
    schema: parts.schemas[entity],
    udfs: parts.tenant.udfDefinitions[entity],
    table: parts.tenant.tables[entity],
    body,
  });
  return jsonResponse({ queryCount });
}

/** `GET|POST /{Entity}/query/next?paging=...[&search=...]` (§4.5). */
export function next(parts: EmulatorParts, scope: RequestScope, entity: EntityName): ApiReply {
  const search = queryParam(scope.url, 'search');
  if (scope.method === 'GET') {
    // Only the GET-originated form (paging + search) is a GET action; otherwise ASP.NET answers 405.
    if (search === null) return methodNotAllowed('GET', ['POST']);
    const token = parsePagingToken(queryParam(scope.url, 'paging'));
    return runPage(parts, scope, entity, parseSearch(search), token, search);
  }
  const token = parsePagingToken(queryParam(scope.url, 'paging'));
  const remembered = parts.pagedQueries.recall(entity, token);
  const sent = parseJsonBody(scope.raw);
  let body: unknown;
  if (sent === undefined || keyValue(sent, 'filter') === undefined) {
    const last = remembered.at(-1);
    if (last === undefined) {
      if (search !== null) body = parseSearch(search);
      else throw new AutotaskBusinessError([PAGE_QUERY_UNKNOWN]);
    } else {
      body = JSON.parse(last) as unknown;
    }
  } else {
    const wanted = filterKey(sent);
    const original = remembered.map((r) => JSON.parse(r) as unknown).find((r) => filterKey(r) === wanted);
    if (remembered.length > 0 && original === undefined) {
      throw new AutotaskBusinessError([PAGE_FILTER_CHANGED]);
    }
    body = withOriginalIncludeFields(sent, original);
  }
  return runPage(parts, scope, entity, body, token, search ?? undefined);
}

/** `GET /Companies/{parentId}/Contacts`: the company's contacts, first page, as a GET-style query. */
export function childContacts(parts: EmulatorParts, scope: RequestScope, parentId: number): ApiReply {
  const search = JSON.stringify({ filter: [{ op: 'eq', field: 'companyID', value: parentId }] });
  return runPage(parts, scope, 'Contacts', JSON.parse(search), undefined, search);
}
