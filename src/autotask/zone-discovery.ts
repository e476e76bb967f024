/**
 * Zone discovery (§1.2): `GET {discovery}/V1.0/zoneInformation?user=` (no credentials, not
 * throttled) tells which zone's REST root serves a username. Answers are cached (in memory and in
 * the metadata cache store when given). The answer is remote input: credentials will go to it, so
 * it must be an https `*.autotask.net` host or the discovery service's own origin.
 */
import type { Clock } from '../shared/clock.js';
import { hasOrigin, normaliseRestUrl, type RestEndpoint } from './connection-settings.js';
import {
  AutotaskAuthenticationError,
  AutotaskUnexpectedResponseError,
  AutotaskUntrustedUrlError,
} from './errors.js';
import type { MetadataCacheStore } from './persistence-ports.js';
import type { RequestPipeline } from './request-pipeline.js';
import type { ZoneInformation } from './types.js';

export const DEFAULT_DISCOVERY_URL = 'https://webservices.autotask.net/ATServicesRest/';

export interface DiscoveredZone {
  zone: ZoneInformation;
  endpoint: RestEndpoint;
}

function isZoneInformation(value: unknown): value is ZoneInformation {
  return (
    !!value &&
    typeof value === 'object' &&
    typeof (value as Record<string, unknown>)['url'] === 'string' &&
    (value as Record<string, unknown>)['url'] !== ''
  );
}

/** Checks that a zone URL may receive credentials, and normalises it. */
export function trustZoneUrl(zoneUrl: string, discovery: RestEndpoint): RestEndpoint {
  let parsed: URL;
  try {
    parsed = new URL(zoneUrl);
  } catch {
    throw new AutotaskUntrustedUrlError(`Zone discovery returned "${zoneUrl}", which is not a URL.`, {
      url: zoneUrl,
      expectedOrigin: discovery.origin,
    });
  }
  const sameOrigin = hasOrigin(zoneUrl, discovery.origin);
  const autotaskHost = parsed.protocol === 'https:' && /(^|\.)autotask\.net$/i.test(parsed.hostname);
  if (!sameOrigin && !autotaskHost) {
    throw new AutotaskUntrustedUrlError(
      `Zone discovery returned ${parsed.origin}, which is neither an https *.autotask.net host nor the discovery service itself; credentials will not be sent there. Set 'url' explicitly if this is intended.`,
      { url: parsed.origin, expectedOrigin: discovery.origin },
    );
  }
  return normaliseRestUrl(zoneUrl, { path: 'zoneInformation.url', allowInsecureHttp: sameOrigin });
}

export async function discoverZone(deps: {
  send: RequestPipeline['send'];
  discovery: RestEndpoint;
  username: string;
  clock: Clock;
  ttlMs: number;
  cache: MetadataCacheStore | undefined;
  /** Ask discovery even when the cache has an answer (the cached zone refused us). @default false */
  refresh?: boolean;
  /** The user name was read from the token, so a wrong one is fixed there. @default false */
  usernameFromToken?: boolean;
}): Promise<DiscoveredZone> {
  const key = `autotask-zone:v1:${deps.discovery.origin}:${deps.username.toLowerCase()}`;
  const cached = deps.refresh === true ? undefined : deps.cache?.read(key);
  if (cached && deps.clock.now() - cached.storedAt < deps.ttlMs && isZoneInformation(cached.value)) {
    return { zone: cached.value, endpoint: trustZoneUrl(cached.value.url, deps.discovery) };
  }
  const url = `${deps.discovery.apiBase}zoneInformation?user=${encodeURIComponent(deps.username)}`;
  const res = await deps
    .send({
      method: 'GET',
      url,
      entity: 'zoneInformation',
      operation: 'zone',
      lanes: [],
      kind: 'read',
      budget: 'none',
      authenticated: false,
    })
    .catch((error: unknown) => {
      throw error instanceof AutotaskAuthenticationError && error.reason === 'unknown-user'
        ? unknownUser(error, deps.username, deps.usernameFromToken === true)
        : error;
    });
  if (!isZoneInformation(res.json)) {
    throw new AutotaskUnexpectedResponseError(
      `Zone discovery at ${deps.discovery.apiBase}zoneInformation did not return a zone (no 'url'). Check 'discoveryUrl' or set 'url'.`,
      {
        status: res.status,
        errors: [],
        request: { method: 'GET', url: `${deps.discovery.apiBase}zoneInformation` },
      },
    );
  }
  const endpoint = trustZoneUrl(res.json.url, deps.discovery);
  deps.cache?.write(key, res.json, deps.clock.now());
  return { zone: res.json, endpoint };
}

/** Zone discovery's "unknown user", naming the user and where its name was given. */
function unknownUser(
  error: AutotaskAuthenticationError,
  username: string,
  fromToken: boolean,
): AutotaskAuthenticationError {
  const said = error.errors.length > 0 ? `: ${error.errors.join(' | ')}` : '';
  const fix = fromToken
    ? "Check the API user name (the part before ':' in the token)"
    : 'Check the API user name';
  return new AutotaskAuthenticationError(
    `Autotask zone discovery does not know the API user "${username}" (${error.request.method} ${error.request.url})${said}. ${fix}: it is the API-only user's name in email format, e.g. abc123@example.com.`,
    {
      status: error.status,
      errors: error.errors,
      request: error.request,
      reason: 'unknown-user',
      likelyCauses: error.likelyCauses,
    },
  );
}
