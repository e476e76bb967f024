/**
 * Builds the Autotask connection settings from the configuration's `autotask:` section and the
 * environment, with a clear message for each missing or malformed piece. The result plugs into
 * `createAutotaskClient()` (it is a subset of `AutotaskClientOptions`).
 */
import { ConfigError } from '../shared/errors.js';
import type { Env } from './env-files.js';
import type { AutotaskSettings } from './types.js';

/** The credentials and request settings of one Autotask connection. Holds secrets: never print it. */
export interface AutotaskConnectionSettings {
  /** The API user's user name (email format). */
  username: string;
  /** The API user's secret. */
  secret: string;
  /** The API tracking identifier, sent as `ApiIntegrationCode`. */
  integrationCode: string;
  /** REST zone URL or legacy SOAP URL; absent → zone discovery by user name. */
  url?: string;
  /** Sent as `ImpersonationResourceId` when set. */
  impersonationResourceId?: number;
  budget: { share: number };
  retry: { maxAttempts: number };
  timeoutMs: number;
}

/** What can be printed about a connection: no secret, no integration code. */
export interface ConnectionDescription {
  username: string;
  url: string;
  credentialsFrom: 'config' | 'environment';
}

const HOW_TO_SET =
  'set it in the environment or in a .env file beside the configuration (never in the configuration itself)';

/**
 * Resolves the connection from `settings` (values written in the configuration, already `${VAR}`
 * expanded) falling back to `AUTOTASK_*` variables of `env`. With no configuration at all (e.g.
 * `check` without `--config`), pass `undefined`. Throws `ConfigError` listing every missing piece.
 */
export function resolveConnectionSettings(
  settings: AutotaskSettings | undefined,
  env: Env,
): AutotaskConnectionSettings {
  const issues: { path: string; message: string }[] = [];
  const pick = (value: string | undefined, variable: string): string | undefined =>
    nonEmpty(value) ?? nonEmpty(env[variable]);

  let username = pick(settings?.username, 'AUTOTASK_USERNAME');
  let secret = pick(settings?.secret, 'AUTOTASK_SECRET');
  const token = pick(settings?.token, 'AUTOTASK_TOKEN');
  if (token !== undefined) {
    const decoded = decodeToken(token);
    if (decoded === undefined)
      issues.push({
        path: settings?.token !== undefined ? 'autotask.token' : 'AUTOTASK_TOKEN',
        message:
          'the token is not base64 of "username:secret": encode it with `printf %s "user@example.com:secret" | base64`, ' +
          'or set AUTOTASK_USERNAME and AUTOTASK_SECRET instead',
      });
    else {
      username ??= decoded.username;
      secret ??= decoded.secret;
      if (
        (nonEmpty(settings?.username) ?? nonEmpty(env['AUTOTASK_USERNAME'])) !== undefined &&
        username !== decoded.username
      )
        issues.push({
          path: 'AUTOTASK_USERNAME',
          message:
            'both a token and a user name are given and they name different users: keep only one of them',
        });
    }
  }
  if (username === undefined || secret === undefined) {
    if (token === undefined)
      issues.push({
        path: 'AUTOTASK_TOKEN',
        message:
          username === undefined && secret === undefined
            ? `no Autotask credentials: AUTOTASK_TOKEN (base64 of username:secret) is not set, nor AUTOTASK_USERNAME + AUTOTASK_SECRET: ${HOW_TO_SET}`
            : username === undefined
              ? `AUTOTASK_USERNAME is not set (AUTOTASK_SECRET is): ${HOW_TO_SET}`
              : `AUTOTASK_SECRET is not set (AUTOTASK_USERNAME is): ${HOW_TO_SET}`,
      });
  }
  const integrationCode = pick(settings?.integrationCode, 'AUTOTASK_INTEGRATION_CODE');
  if (integrationCode === undefined)
    issues.push({
      path: 'AUTOTASK_INTEGRATION_CODE',
      message: `AUTOTASK_INTEGRATION_CODE is not set: it is the API tracking identifier of your API user (Admin > Resources > API user > Security), ${HOW_TO_SET}`,
    });
  const url = pick(settings?.url, 'AUTOTASK_URL');
  if (url !== undefined && !isHttpUrl(url))
    issues.push({
      path: settings?.url !== undefined ? 'autotask.url' : 'AUTOTASK_URL',
      message: `not an http(s) URL: give the REST zone URL, e.g. https://webservices5.autotask.net/ATServicesRest/, or leave it unset to discover the zone`,
    });
  const impersonationRaw =
    settings?.impersonationResourceId !== undefined
      ? String(settings.impersonationResourceId)
      : nonEmpty(env['AUTOTASK_IMPERSONATION_RESOURCE_ID']);
  let impersonationResourceId: number | undefined;
  if (impersonationRaw !== undefined) {
    impersonationResourceId = /^\d+$/.test(impersonationRaw.trim())
      ? Number(impersonationRaw.trim())
      : undefined;
    if (impersonationResourceId === undefined || impersonationResourceId <= 0)
      issues.push({
        path:
          settings?.impersonationResourceId !== undefined
            ? 'autotask.impersonationResourceId'
            : 'AUTOTASK_IMPERSONATION_RESOURCE_ID',
        message: 'must be a resource id (a positive whole number)',
      });
  }
  if (issues.length > 0 || username === undefined || secret === undefined || integrationCode === undefined)
    throw new ConfigError(
      `the Autotask connection is not configured: ${issues.map((i) => i.message).join('; ')}`,
      issues,
    );
  const result: AutotaskConnectionSettings = {
    username,
    secret,
    integrationCode,
    budget: { share: settings?.budget.share ?? 0.5 },
    retry: { maxAttempts: (settings?.requests.maxRetries ?? 4) + 1 },
    timeoutMs: Math.round((settings?.requests.timeoutSeconds ?? 120) * 1000),
  };
  if (url !== undefined) result.url = url;
  if (impersonationResourceId !== undefined) result.impersonationResourceId = impersonationResourceId;
  return result;
}

/** What may be shown about a connection (user name and URL only). */
export function describeConnection(
  settings: AutotaskConnectionSettings,
  fromConfig: boolean,
): ConnectionDescription {
  return {
    username: settings.username,
    url: settings.url ?? '(zone discovered from the user name)',
    credentialsFrom: fromConfig ? 'config' : 'environment',
  };
}

function decodeToken(token: string): { username: string; secret: string } | undefined {
  const trimmed = token.replace(/\s+/g, ''); // `base64` wraps long output at 76 columns
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) return undefined;
  const text = Buffer.from(trimmed, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1 || text.includes('\uFFFD')) return undefined;
  return { username: text.slice(0, colon), secret: text.slice(colon + 1) };
}

function isHttpUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
