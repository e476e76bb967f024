/**
 * Keyset paging URLs (API doc §4.5, §13 items 19–20). A page that has more results gets
 * `nextPageUrl = <base>V1.0/{Entity}/query/next?paging=<{"pageSize":n,"previousIds":[...],"nextIds":[id]}>`
 * plus `&search=<original>` when the query came by GET.
 *
 * Choices (open question §14.5): `nextIds[0]` is the id of the LAST record of the current page (the
 * next page holds ids greater than it, so records inserted meanwhile never shift pages);
 * `previousIds` is the stack of continuation ids of the earlier pages, `-1` meaning "from the start";
 * `prevPageUrl` points at the previous page the same way (null on the first page).
 */
import type { EntityName } from '../../autotask/types.js';
import { AutotaskBusinessError } from '../contracts.js';

export interface PagingToken {
  pageSize: number;
  previousIds: number[];
  nextIds: number[];
}

/** Continuation id of the page a token points at: records with id > it (undefined = from the start). */
export function tokenAfterId(token: PagingToken): number | undefined {
  const id = token.nextIds[0];
  return id === undefined || id < 0 ? undefined : id;
}

function pageUrl(base: string, entity: EntityName, token: PagingToken, search: string | undefined): string {
  const paging = encodeURIComponent(JSON.stringify(token));
  const url = `${base}V1.0/${entity}/query/next?paging=${paging}`;
  return search === undefined ? url : `${url}&search=${encodeURIComponent(search)}`;
}

/**
 * `nextPageUrl` and `prevPageUrl` for a page served from `current` (the token the request carried,
 * or undefined for a first page) that ended at `continueAfterId` (undefined: no more results).
 */
export function pageUrls(options: {
  base: string;
  entity: EntityName;
  pageSize: number;
  current: PagingToken | undefined;
  continueAfterId: number | undefined;
  search: string | undefined;
}): { nextPageUrl: string | null; prevPageUrl: string | null; nextToken: PagingToken | undefined } {
  const { base, entity, pageSize, current, continueAfterId, search } = options;
  const currentStart = current ? (tokenAfterId(current) ?? -1) : -1;
  const history = current ? current.previousIds : [];
  let nextToken: PagingToken | undefined;
  let nextPageUrl: string | null = null;
  if (continueAfterId !== undefined) {
    nextToken = { pageSize, previousIds: [...history, currentStart], nextIds: [continueAfterId] };
    nextPageUrl = pageUrl(base, entity, nextToken, search);
  }
  let prevPageUrl: string | null = null;
  const prevStart = history.at(-1);
  if (current && prevStart !== undefined) {
    const prevToken = { pageSize, previousIds: history.slice(0, -1), nextIds: [prevStart] };
    prevPageUrl = pageUrl(base, entity, prevToken, search);
  }
  return { nextPageUrl, prevPageUrl, nextToken };
}

function isIdList(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isInteger(v));
}

/** Parses the `paging` parameter of `/query/next` (emulator-invented error wording). */
export function parsePagingToken(raw: string | null): PagingToken {
  const invalid = (): never => {
    throw new AutotaskBusinessError([
      'The paging parameter is missing or invalid. Follow the nextPageUrl returned by the previous query.',
    ]);
  };
  if (raw === null || raw.trim() === '') return invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return invalid();
  }
  if (parsed === null || typeof parsed !== 'object') return invalid();
  const lowered = new Map(Object.entries(parsed).map(([k, v]) => [k.toLowerCase(), v as unknown]));
  const pageSize = lowered.get('pagesize');
  const previousIds = lowered.get('previousids') ?? [];
  const nextIds = lowered.get('nextids');
  if (typeof pageSize !== 'number' || !Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500) {
    return invalid();
  }
  if (!isIdList(previousIds) || !isIdList(nextIds) || nextIds.length === 0) return invalid();
  return { pageSize, previousIds, nextIds };
}

/**
 * Remembers the bodies of POST-originated queries by the `paging` value of the next-page URLs they
 * were given, so that `POST .../query/next` without a body continues the same query and one with a
 * different filter is refused. Bounded: the oldest entries are forgotten first.
 */
export class PagedQueryMemory {
  private readonly entries = new Map<string, string[]>();

  constructor(
    /** Paging keys kept. @default 10000 */
    private readonly capacity = 10_000,
  ) {}

  private static key(entity: EntityName, token: PagingToken): string {
    return `${entity}|${JSON.stringify(token)}`;
  }

  remember(entity: EntityName, token: PagingToken, filterJson: string): void {
    const key = PagedQueryMemory.key(entity, token);
    const list = this.entries.get(key) ?? [];
    if (!list.includes(filterJson)) list.push(filterJson);
    this.entries.delete(key);
    this.entries.set(key, list.slice(-8));
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  /** Filters remembered for this token, most recent last (empty when unknown). */
  recall(entity: EntityName, token: PagingToken): readonly string[] {
    return this.entries.get(PagedQueryMemory.key(entity, token)) ?? [];
  }

  clear(): void {
    this.entries.clear();
  }
}
