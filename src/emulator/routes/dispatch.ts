/**
 * The request pipeline of the API surface: route → verb (405) → unauthenticated endpoints → auth (401)
 * → limits (hourly counter, thread slot, usage latency; 429) → fault injection → handler. Every
 * authenticated request is counted against the hourly threshold, ThresholdInformation included;
 * zoneInformation and versioninformation are exempt (§9.1, §9.3). Unknown routes and wrong verbs are
 * answered before authentication, as IIS/ASP.NET routing does (not counted).
 */
import { AutotaskBusinessError } from '../contracts.js';
import { unexpectedErrorMessage } from '../faults/fault-responses.js';
import type { FaultDecision, HttpMethod } from '../faults/types.js';
import type { StatsRecorder } from '../stats.js';
import { authenticateDetailed } from '../auth.js';
import type { EmulatorParts, RequestScope } from './context.js';
import { count, childContacts, next, query } from './query-handlers.js';
import {
  getById,
  metadata,
  thresholdInformation,
  version,
  versionInformation,
  zoneInformation,
} from './read-handlers.js';
import { replyOk, type ApiReply, type ApiRequest } from './api-exchange.js';
import {
  emptyResponse,
  errorsResponse,
  faultToResponse,
  jsonResponse,
  methodNotAllowed,
  notFoundHtml,
  tooLarge,
  unauthorized,
} from './responses.js';
import { matchRoute, routeEndpoint, type Route } from './route-match.js';
import { createRecord, deleteContact, updateRecord } from './write-handlers.js';

/** The transport a request arrived on. */
export interface Connection {
  /** Peer address (undefined in-process). */
  remoteAddress: string | undefined;
  /** Closes the connection without answering (a "dropped connection" fault). */
  drop(): void;
}

/** Operation name of a route + verb, for stats and fault matching. */
export function operationOf(route: Route, method: string): string {
  switch (route.kind) {
    case 'collection':
    case 'childCollection':
      if (method === 'POST') return 'create';
      if (method === 'PUT' || method === 'PATCH') return 'update';
      return route.kind === 'childCollection' ? 'list' : 'collection';
    case 'item':
      return 'get';
    case 'childItem':
      return method === 'DELETE' ? 'delete' : 'get';
    default:
      return route.kind;
  }
}

function isWrite(operation: string): boolean {
  return operation === 'create' || operation === 'update' || operation === 'delete';
}

/** Path after the version segment (`/Companies/query`), for fault rules. */
function apiPath(pathname: string): string {
  const m = /^\/atservicesrest\/v1\.0(\/.*)?$/i.exec(pathname.replace(/\/+$/, ''));
  return m ? (m[1] ?? '/') : pathname;
}

function runHandler(parts: EmulatorParts, scope: RequestScope): ApiReply {
  const { route, method } = scope;
  try {
    switch (route.kind) {
      case 'version':
        return version(parts);
      case 'thresholdInformation':
        return thresholdInformation(parts);
      case 'metadata':
        return metadata(parts, route.entity, route.metadata);
      case 'item':
        return getById(parts, route.entity, route.id);
      case 'childItem':
        return method === 'DELETE'
          ? deleteContact(parts, scope, route.parentId, route.id)
          : getById(parts, 'Contacts', route.id, route.parentId);
      case 'collection':
        if (method === 'POST') return createRecord(parts, scope, route.entity);
        return updateRecord(parts, scope, route.entity, method === 'PUT' ? 'put' : 'patch');
      case 'childCollection':
        if (method === 'GET') return childContacts(parts, scope, route.parentId);
        if (method === 'POST') return createRecord(parts, scope, 'Contacts', route.parentId);
        return updateRecord(parts, scope, 'Contacts', method === 'PUT' ? 'put' : 'patch', route.parentId);
      case 'query':
        return query(parts, scope, route.entity);
      case 'count':
        return count(parts, scope, route.entity);
      case 'next':
        return next(parts, scope, route.entity);
      case 'zoneInformation':
      case 'versionInformation':
        throw new Error(`${route.kind} is served before authentication`);
    }
  } catch (error) {
    if (error instanceof AutotaskBusinessError) return errorsResponse(error.errors, error.status);
    const errorId = 1000 + Math.floor(parts.clock.now() % 9000);
    parts.logger.error(
      {
        err: error instanceof Error ? { message: error.message, stack: error.stack } : String(error),
        errorId,
      },
      'emulator handler failed',
    );
    return errorsResponse([unexpectedErrorMessage(errorId)]);
  }
}

/** Carries out a fault decision that replaces the response; returns undefined for "no fault". */
function faultOutcome(decision: FaultDecision, conn: Connection): ApiReply | undefined {
  if (decision.kind === 'none' || decision.kind === 'slow') return undefined;
  if (decision.drop || !decision.response) {
    conn.drop();
    return emptyResponse(503);
  }
  return faultToResponse(decision.response);
}

/** Serves one API request. */
export async function handleApiRequest(
  parts: EmulatorParts,
  stats: StatsRecorder,
  request: ApiRequest,
  conn: Connection,
): Promise<ApiReply> {
  const url = request.url;
  const method = request.method;
  const route = matchRoute(url.pathname);
  const entity = route ? routeEndpoint(route) : 'unknown';
  const operation = route ? operationOf(route, method) : 'unknown';
  let dropped = false;
  const connection: Connection = {
    remoteAddress: conn.remoteAddress,
    drop: () => {
      dropped = true;
      conn.drop();
    },
  };
  const finish = (response: ApiReply): ApiReply => {
    stats.record({ entity, method, operation, status: dropped ? 'dropped' : response.status });
    parts.logger.debug(
      { method, path: url.pathname, status: dropped ? 'dropped' : response.status },
      'emulator request',
    );
    return response;
  };

  if (!route) return finish(notFoundHtml());
  if (!(route.methods as readonly string[]).includes(method))
    return finish(methodNotAllowed(method, route.methods));
  const raw =
    method === 'GET' || method === 'DELETE' ? '' : await request.readBody(parts.settings.maxBodyBytes);
  if (raw === undefined) return finish(tooLarge());
  const restRoot = parts.settings.publicUrl ?? `${url.origin}/ATServicesRest/`;
  const scope: RequestScope = { request, url, method, route, raw, caller: undefined, restRoot };
  if (route.kind === 'zoneInformation') return finish(zoneInformation(parts, scope));
  if (route.kind === 'versionInformation') return finish(versionInformation(parts));

  const caller = authenticateDetailed(request.header, parts.tenant);
  if ('failure' in caller) {
    return finish(
      caller.failure === 'integration-code' && parts.settings.legacyIntegrationCodeError
        ? errorsResponse(['IntegrationCode is invalid.'])
        : unauthorized(),
    );
  }
  scope.caller = caller;
  const admission = parts.limits.admit({ integrationCode: caller.user.integrationCode, endpoint: entity });
  if (!admission.admitted) return finish(jsonResponse(admission.body, admission.status));
  try {
    if (admission.delayMs > 0) await parts.clock.sleep(admission.delayMs);
    const decision = parts.faults.decide({
      method: method as HttpMethod,
      entity,
      path: apiPath(url.pathname),
      isWrite: isWrite(operation),
    });
    if (decision.delayMs > 0) await parts.clock.sleep(decision.delayMs);
    if (decision.kind !== 'none' && decision.kind !== 'slow' && decision.timing === 'before') {
      return finish(faultOutcome(decision, connection) ?? jsonResponse(null, 500));
    }
    const response = runHandler(parts, scope);
    if (decision.kind !== 'none' && decision.kind !== 'slow' && replyOk(response)) {
      // "after-commit": the write above is committed; the client still gets a failure.
      return finish(faultOutcome(decision, connection) ?? response);
    }
    return finish(response);
  } finally {
    admission.release();
  }
}
