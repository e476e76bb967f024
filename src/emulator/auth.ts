/**
 * Header authentication (API doc §2): `ApiIntegrationCode`, `UserName` and `Secret` (header names are
 * case-insensitive, which `Headers` already guarantees). Any missing header or mismatch, HTTP Basic
 * instead of the headers, a login that is not one of the tenant's API users (e.g. a normal licensed
 * resource), or an API user whose resource is inactive → 401 with an empty body.
 */
import type { ApiUser, Tenant } from './contracts.js';

/** The authenticated caller. */
export interface Caller {
  user: ApiUser;
  /** `ImpersonationResourceId` header, parsed; `undefined` when absent. `NaN` when not a number. */
  impersonationResourceId: number | undefined;
}

/** Compares without leaking length-independent timing on the first differing character (best effort). */
function sameSecret(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** A header's value by lower-case name, or `null` (the routes' `ApiRequest.header`). */
export type HeaderLookup = (name: string) => string | null;

/** Why authentication failed: `integration-code` when only the integration code was wrong. */
export type AuthFailure = 'credentials' | 'integration-code';

/** The API user the headers identify, or `undefined` (→ 401). */
export function authenticate(headers: Headers | HeaderLookup, tenant: Tenant): Caller | undefined {
  const result = authenticateDetailed(headers, tenant);
  return 'failure' in result ? undefined : result;
}

/** Like `authenticate`, but says which part failed (for the legacy integration-code error, §2.3). */
export function authenticateDetailed(
  headers: Headers | HeaderLookup,
  tenant: Tenant,
): Caller | { failure: AuthFailure } {
  const get = typeof headers === 'function' ? headers : (name: string) => headers.get(name);
  const refused = { failure: 'credentials' as const };
  const userName = get('username');
  const secret = get('secret');
  const integrationCode = get('apiintegrationcode');
  if (!userName || !secret || !integrationCode) return refused;
  const wanted = userName.trim().toLowerCase();
  const user = tenant.apiUsers.find((u) => u.userName.toLowerCase() === wanted);
  if (!user || !sameSecret(secret, user.secret)) return refused;
  const resource = tenant.tables.Resources.get(user.resourceId);
  if (resource && resource.values['isActive'] === false) return refused;
  if (!sameSecret(integrationCode.trim(), user.integrationCode)) return { failure: 'integration-code' };
  const impersonation = get('impersonationresourceid');
  const impersonationResourceId =
    impersonation === null || impersonation.trim() === ''
      ? undefined
      : /^\s*\d+\s*$/.test(impersonation)
        ? Number(impersonation)
        : Number.NaN;
  return { user, impersonationResourceId };
}

/** Whether `userName` is known to the tenant for zone discovery (API users and resource logins). */
export function isKnownLogin(tenant: Tenant, userName: string): boolean {
  const wanted = userName.trim().toLowerCase();
  if (wanted === '') return false;
  if (tenant.apiUsers.some((u) => u.userName.toLowerCase() === wanted)) return true;
  for (const r of tenant.tables.Resources.scan()) {
    const login = r.values['userName'];
    if (typeof login === 'string' && login.toLowerCase() === wanted) return true;
  }
  return false;
}
