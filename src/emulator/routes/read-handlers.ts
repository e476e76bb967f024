/**
 * Reads: GET by id (§3.3), the company's contacts through the child route (§3.1), metadata endpoints
 * (§5) and the non-entity endpoints zoneInformation, versioninformation, Version and
 * ThresholdInformation (§1.2, §1.5, §9.4).
 */
import type { EntityName } from '../../autotask/types.js';
import { isKnownLogin } from '../auth.js';
import { renderRecord } from '../query/index.js';
import type { ApiReply } from './api-exchange.js';
import type { EmulatorParts, RequestScope } from './context.js';
import type { MetadataKind } from './route-match.js';
import { queryParam } from './query-param.js';
import { emptyResponse, errorsResponse, jsonResponse } from './responses.js';

/** `GET /{Entity}/{id}` and `GET /Companies/{parentId}/Contacts/{id}` (IncludeFields is ignored). */
export function getById(parts: EmulatorParts, entity: EntityName, id: number, parentId?: number): ApiReply {
  const record = parts.tenant.tables[entity].get(id);
  const visible = record && (parentId === undefined || record.values['companyID'] === parentId);
  if (!visible) {
    return parts.settings.notFoundStatus === 404 ? emptyResponse(404) : jsonResponse({ item: null });
  }
  return jsonResponse({
    item: renderRecord(parts.schemas[entity], parts.tenant.udfDefinitions[entity], record),
  });
}

export function metadata(parts: EmulatorParts, entity: EntityName, kind: MetadataKind): ApiReply {
  const schema = parts.schemas[entity];
  const udfs = parts.tenant.udfDefinitions[entity];
  switch (kind) {
    case 'info':
      return jsonResponse({
        info: { ...schema.info, hasUserDefinedFields: schema.info.hasUserDefinedFields || udfs.length > 0 },
      });
    case 'fields':
      return jsonResponse({ fields: schema.fields });
    case 'udfs':
      return jsonResponse({ fields: udfs });
  }
}

/** `GET zoneInformation?user=` — no credentials; unknown or blank user → 500 (§1.2). */
export function zoneInformation(parts: EmulatorParts, scope: RequestScope): ApiReply {
  const user = queryParam(scope.url, 'user') ?? '';
  if (!isKnownLogin(parts.tenant, user)) return errorsResponse(['Zone information could not be determined']);
  const { zoneName, webUrl, ci } = parts.settings.zone;
  return jsonResponse({
    zoneName,
    url: scope.restRoot,
    webUrl: webUrl ?? new URL('/', scope.restRoot).href,
    ci,
  });
}

export function versionInformation(parts: EmulatorParts): ApiReply {
  return jsonResponse({ apiVersions: parts.settings.apiVersions });
}

export function version(parts: EmulatorParts): ApiReply {
  return jsonResponse(parts.settings.version);
}

/** `GET ThresholdInformation` (§9.4); this request itself was counted before it got here. */
export function thresholdInformation(parts: EmulatorParts): ApiReply {
  const usage = parts.limits.usage();
  return jsonResponse({
    externalRequestThreshold: usage.limit,
    requestThresholdTimeframe: usage.timeframeMinutes,
    currentTimeframeRequestCount: usage.count,
  });
}
