/**
 * Maps a request path to one of the emulator's routes, the way Autotask's IIS/ASP.NET front end does:
 * path segments are compared case-insensitively (`/atservicesrest/v1.0/companies` works), a trailing
 * slash is optional, and the verbs a route accepts are known here so that a known route with the wrong
 * verb can answer 405 while an unknown path answers the IIS HTML 404 (API doc §3.1, §8.2, §13 items 1, 5).
 */
import { ENTITY_NAMES, type EntityName } from '../../autotask/types.js';
import type { HttpMethod } from '../faults/types.js';

export type MetadataKind = 'info' | 'fields' | 'udfs';

/** A matched route; `methods` are the verbs it serves (anything else → 405). */
export type Route =
  | { kind: 'versionInformation'; methods: readonly HttpMethod[] }
  | { kind: 'zoneInformation'; methods: readonly HttpMethod[] }
  | { kind: 'version'; methods: readonly HttpMethod[] }
  | { kind: 'thresholdInformation'; methods: readonly HttpMethod[] }
  | { kind: 'collection'; entity: EntityName; methods: readonly HttpMethod[] }
  | { kind: 'item'; entity: EntityName; id: number; methods: readonly HttpMethod[] }
  | { kind: 'metadata'; entity: EntityName; metadata: MetadataKind; methods: readonly HttpMethod[] }
  | { kind: 'query'; entity: EntityName; methods: readonly HttpMethod[] }
  | { kind: 'count'; entity: EntityName; methods: readonly HttpMethod[] }
  | { kind: 'next'; entity: EntityName; methods: readonly HttpMethod[] }
  | { kind: 'childCollection'; entity: 'Contacts'; parentId: number; methods: readonly HttpMethod[] }
  | { kind: 'childItem'; entity: 'Contacts'; parentId: number; id: number; methods: readonly HttpMethod[] };

const GET: readonly HttpMethod[] = ['GET'];
const GET_POST: readonly HttpMethod[] = ['GET', 'POST'];

/**
 * Verbs of `/{Entity}` per entity (§3.2): Companies and Opportunities are created and updated there;
 * Resources only updated; Contacts have no such route (their writes go through the company child route),
 * so any verb on `/Contacts` is an unknown route (observed: `PATCH /Contacts` → IIS 404).
 */
const COLLECTION_METHODS: Record<EntityName, readonly HttpMethod[]> = {
  Companies: ['POST', 'PUT', 'PATCH'],
  Contacts: [],
  Opportunities: ['POST', 'PUT', 'PATCH'],
  Resources: ['PUT', 'PATCH'],
};

const ENTITY_BY_LOWER = new Map<string, EntityName>(ENTITY_NAMES.map((e) => [e.toLowerCase(), e]));

/** A non-negative integer id segment (Autotask ids are int64; ours fit in a double). */
function parseId(segment: string): number | undefined {
  return /^\d{1,15}$/.test(segment) ? Number(segment) : undefined;
}

function metadataKind(rest: readonly string[]): MetadataKind | undefined {
  if (rest[0] !== 'entityinformation') return undefined;
  if (rest.length === 1) return 'info';
  if (rest.length !== 2) return undefined;
  if (rest[1] === 'fields') return 'fields';
  if (rest[1] === 'userdefinedfields') return 'udfs';
  return undefined;
}

/** Lower-cased, URL-decoded path segments without empty ones (so `//` and a trailing `/` are ignored). */
export function pathSegments(pathname: string): string[] {
  return pathname
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s).toLowerCase();
      } catch {
        return s.toLowerCase();
      }
    });
}

/** The route for `pathname`, or `undefined` for an unknown path (→ HTML 404). */
export function matchRoute(pathname: string): Route | undefined {
  const segs = pathSegments(pathname);
  if (segs[0] !== 'atservicesrest') return undefined;
  if (segs.length === 2 && segs[1] === 'versioninformation')
    return { kind: 'versionInformation', methods: GET };
  if (segs[1] !== 'v1.0') return undefined;
  const rest = segs.slice(2);
  const [first, second, third, fourth] = rest;
  if (first === undefined) return undefined;
  if (rest.length === 1 && first === 'zoneinformation') return { kind: 'zoneInformation', methods: GET };
  if (rest.length === 1 && first === 'version') return { kind: 'version', methods: GET };
  if (rest.length === 1 && first === 'thresholdinformation')
    return { kind: 'thresholdInformation', methods: GET };
  const entity = ENTITY_BY_LOWER.get(first);
  if (!entity) return undefined;
  if (second === undefined) {
    const methods = COLLECTION_METHODS[entity];
    return methods.length ? { kind: 'collection', entity, methods } : undefined;
  }
  const meta = metadataKind(rest.slice(1));
  if (meta) return { kind: 'metadata', entity, metadata: meta, methods: GET };
  if (second === 'query') {
    if (rest.length === 2) return { kind: 'query', entity, methods: GET_POST };
    if (rest.length === 3 && third === 'count') return { kind: 'count', entity, methods: GET_POST };
    if (rest.length === 3 && third === 'next') return { kind: 'next', entity, methods: GET_POST };
    return undefined;
  }
  const id = parseId(second);
  if (id === undefined) return undefined;
  if (rest.length === 2) return { kind: 'item', entity, id, methods: GET };
  // Child routes: only Companies/{id}/Contacts is emulated.
  if (entity !== 'Companies' || third !== 'contacts') return undefined;
  const parentId = id;
  if (rest.length === 3) {
    return {
      kind: 'childCollection',
      entity: 'Contacts',
      parentId,
      methods: ['GET', 'POST', 'PUT', 'PATCH'],
    };
  }
  const childMeta = metadataKind(rest.slice(3));
  if (childMeta) return { kind: 'metadata', entity: 'Contacts', metadata: childMeta, methods: GET };
  const childId = fourth === undefined ? undefined : parseId(fourth);
  if (childId !== undefined && rest.length === 4) {
    return { kind: 'childItem', entity: 'Contacts', parentId, id: childId, methods: ['GET', 'DELETE'] };
  }
  return undefined;
}

/** The thread-limit bucket ("object endpoint", §9.3) of a route. */
export function routeEndpoint(route: Route): string {
  switch (route.kind) {
    case 'versionInformation':
      return 'versioninformation';
    case 'zoneInformation':
      return 'zoneInformation';
    case 'version':
      return 'Version';
    case 'thresholdInformation':
      return 'ThresholdInformation';
    default:
      return route.entity;
  }
}
