/**
 * `check()`: a cheap connection test. Autotask answers a wrong secret, a wrong integration code, a
 * user that is not an API-only user and (often) a wrong zone all with the same empty 401, so the
 * check gathers what *can* be told apart and says honestly what remains ambiguous:
 * - zone discovery (free: not counted, not throttled) proves whether the username exists and which
 *   zone serves it, so a wrong zone or an unknown user is reported as such;
 * - `GET /Version` needs valid credentials but no entity permission: 200 proves the credentials;
 *   an HTML 404 or a non-JSON answer proves the URL is not an Autotask REST root;
 * - `ThresholdInformation` then reports the tenant's budget.
 */
import type { CheckResult } from './client-types.js';
import type { RestEndpoint } from './connection-settings.js';
import {
  AutotaskAuthenticationError,
  AutotaskConnectionError,
  AutotaskNotFoundError,
  AutotaskUnexpectedResponseError,
  AutotaskWrongUrlError,
} from './errors.js';
import type { RequestPipeline } from './request-pipeline.js';
import type { ThresholdInformation, VersionInformation } from './types.js';
import type { DiscoveredZone } from './zone-discovery.js';

export interface CheckDeps {
  send: RequestPipeline['send'];
  username: string;
  /** The configured endpoint, or undefined when the zone must be discovered. */
  configured: RestEndpoint | undefined;
  /** Whether zone discovery may be used to cross-check a configured URL. */
  crossCheck: boolean;
  discover: () => Promise<DiscoveredZone>;
  /** Makes the client use this endpoint from now on. */
  adopt: (endpoint: RestEndpoint) => void;
  threshold: () => Promise<ThresholdInformation>;
  budget: () => { used: number; limit: number };
}

export async function runConnectionCheck(deps: CheckDeps): Promise<CheckResult> {
  let endpoint = deps.configured;
  let discovered: DiscoveredZone | undefined;
  if (endpoint === undefined) {
    try {
      discovered = await deps.discover();
    } catch (error) {
      if (error instanceof AutotaskConnectionError) {
        throw new AutotaskWrongUrlError(
          `Zone discovery could not be reached: ${error.message} Or set 'url' to the zone's REST root, which needs no zone discovery.`,
          { url: error.request.url, reason: 'unreachable' },
          error,
        );
      }
      throw error;
    }
    endpoint = discovered.endpoint;
  } else if (deps.crossCheck) {
    try {
      discovered = await deps.discover();
    } catch (error) {
      if (error instanceof AutotaskAuthenticationError && error.reason === 'unknown-user') throw error;
      discovered = undefined; // discovery unavailable: carry on without the cross-check
    }
    if (discovered && discovered.endpoint.origin !== endpoint.origin) {
      throw new AutotaskWrongUrlError(
        `The configured URL ${endpoint.apiBase} is not the zone of user "${deps.username}": Autotask serves this user at ${discovered.endpoint.apiBase} (zone ${discovered.zone.zoneName}). Fix 'url', or leave it out to discover the zone.`,
        { url: endpoint.apiBase, reason: 'wrong-zone', expectedUrl: discovered.endpoint.apiBase },
      );
    }
  }
  deps.adopt(endpoint);

  const versionUrl = `${endpoint.apiBase}Version`;
  let version: VersionInformation;
  try {
    const res = await deps.send({
      method: 'GET',
      url: versionUrl,
      entity: 'Version',
      operation: 'version',
      lanes: ['Version'],
      kind: 'read',
      budget: 'record',
      authenticated: true,
    });
    const json = res.json as Partial<VersionInformation> | null;
    if (!json || typeof json !== 'object' || !('majorVersion' in json)) {
      throw new AutotaskWrongUrlError(
        `${versionUrl} answered, but not like Autotask (no 'majorVersion'). Check 'url': it should be the zone's REST root, e.g. https://webservices14.autotask.net/ATServicesRest/V1.0/`,
        { url: endpoint.apiBase, reason: 'not-autotask' },
      );
    }
    version = json as VersionInformation;
  } catch (error) {
    if (error instanceof AutotaskAuthenticationError && error.reason === 'rejected') {
      const userKnown = discovered !== undefined;
      const likelyCauses = userKnown
        ? [
            'wrong secret',
            'wrong integration code',
            'user is not an API-only user (security level "API User (system)")',
          ]
        : [
            'wrong secret',
            'wrong integration code',
            'user is not an API-only user (security level "API User (system)")',
            "URL of another zone than the user's",
            'wrong username',
          ];
      const known = userKnown
        ? `Autotask knows user "${deps.username}" and this is the user's zone, but it rejected the credentials`
        : `Autotask rejected the credentials of user "${deps.username}" at ${endpoint.apiBase}`;
      throw new AutotaskAuthenticationError(
        `${known} (empty 401). Autotask gives the same answer for each of these, so the client cannot tell which: ${likelyCauses.join('; ')}.`,
        {
          status: error.status,
          errors: error.errors,
          request: error.request,
          reason: 'rejected',
          likelyCauses,
        },
      );
    }
    if (
      (error instanceof AutotaskNotFoundError && error.routeNotFound) ||
      error instanceof AutotaskUnexpectedResponseError ||
      (error instanceof AutotaskNotFoundError && !discovered)
    ) {
      throw new AutotaskWrongUrlError(
        `${versionUrl} is not an Autotask REST endpoint (${error.message}). Check 'url': it should be the zone's REST root, e.g. https://webservices14.autotask.net/ATServicesRest/V1.0/, or leave it out to discover the zone.`,
        { url: endpoint.apiBase, reason: 'not-autotask' },
        error,
      );
    }
    if (error instanceof AutotaskConnectionError) {
      throw new AutotaskWrongUrlError(error.message, { url: endpoint.apiBase, reason: 'unreachable' }, error);
    }
    throw error;
  }
  await deps.threshold();
  const apiVersion = [version.majorVersion, version.minorVersion, version.build]
    .filter((p) => p !== undefined && p !== null && String(p) !== '')
    .join('.');
  return {
    zone: discovered?.zone.zoneName,
    apiVersion,
    url: endpoint.apiBase,
    budget: deps.budget(),
  };
}
