/**
 * Parsing of the connection settings users give: the token (`base64("username:secret")`) and the
 * URL (REST zone root in any spelling, a legacy SOAP URL, or nothing). Errors say exactly what is
 * wrong and never repeat the secret.
 */
import { ConfigError } from '../shared/errors.js';

export interface Credentials {
  username: string;
  secret: string;
  integrationCode: string;
}

/** The REST root of a zone, normalised. */
export interface RestEndpoint {
  /** `https://webservices14.autotask.net` (scheme + host + port). */
  origin: string;
  /** Base for API calls, always ending in `/ATServicesRest/V1.0/`. */
  apiBase: string;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** Decodes a token into username and secret, or throws a `ConfigError` saying what is wrong. */
export function parseToken(token: string, path = 'token'): { username: string; secret: string } {
  // `base64` wraps long output at 76 characters; line breaks and spaces are never part of base64.
  const t = token.replace(/\s+/g, '');
  const fail = (message: string): never => {
    throw new ConfigError(`The Autotask ${path} is malformed: ${message}`, [{ path, message }]);
  };
  if (t === '') fail('it is empty. Expected base64 of "username:secret".');
  if (t.includes(':') && !BASE64.test(t)) {
    fail(
      'it looks like plain "username:secret". Encode it as base64 (e.g. `printf %s "user:secret" | base64`).',
    );
  }
  if (!BASE64.test(t) && !BASE64URL.test(t)) {
    fail(
      'it is not base64 (it contains characters other than A–Z, a–z, 0–9, +, /, =). Expected base64 of "username:secret".',
    );
  }
  const unpadded = t.replace(/=+$/, '');
  if (unpadded.length % 4 === 1)
    fail('it is not valid base64 (wrong length; was it cut short when copied?).');
  const bytes = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('it decodes to bytes that are not UTF-8 text. Expected base64 of "username:secret".');
  }
  // eslint-disable-next-line no-control-regex -- detecting control characters is the point
  if (/[\u0000-\u0008\u000e-\u001f]/.test(decoded)) {
    fail('it decodes to binary data, not text. Expected base64 of "username:secret".');
  }
  const colon = decoded.indexOf(':');
  if (colon < 0)
    fail(
      'it decodes to text without a ":" between username and secret. Expected base64 of "username:secret".',
    );
  const username = decoded.slice(0, colon).trim();
  const secret = decoded.slice(colon + 1).replace(/[\r\n]+$/, '');
  if (username === '') fail('the username (before ":") is empty.');
  if (secret === '') fail(`the secret (after ":") is empty for user "${username}".`);
  return { username, secret };
}

/** Builds a token from username and secret (the inverse of `parseToken`). */
export function encodeToken(username: string, secret: string): string {
  return Buffer.from(`${username}:${secret}`, 'utf8').toString('base64');
}

/** Resolves credentials from either a token or username + secret. */
export function resolveCredentials(options: {
  token?: string | undefined;
  username?: string | undefined;
  secret?: string | undefined;
  integrationCode?: string | undefined;
}): Credentials {
  const issues: { path: string; message: string }[] = [];
  let username = options.username?.trim();
  let secret = options.secret;
  if (options.token !== undefined) {
    const parsed = parseToken(options.token);
    if (
      username !== undefined &&
      username !== '' &&
      username.toLowerCase() !== parsed.username.toLowerCase()
    ) {
      issues.push({
        path: 'username',
        message: `the token is for user "${parsed.username}" but username is "${username}"; give one or the other`,
      });
    }
    if (secret !== undefined && secret !== '' && secret !== parsed.secret) {
      issues.push({ path: 'secret', message: 'the token and the secret disagree; give one or the other' });
    }
    username = parsed.username;
    secret = parsed.secret;
  } else {
    if (!username)
      issues.push({ path: 'username', message: 'missing: give a token or a username and a secret' });
    if (!secret) issues.push({ path: 'secret', message: 'missing: give a token or a username and a secret' });
  }
  const integrationCode = options.integrationCode?.trim() ?? '';
  if (integrationCode === '') {
    issues.push({
      path: 'integrationCode',
      message:
        "missing: the API user's tracking identifier (Admin → Resources → API user → API Tracking Identifier)",
    });
  } else if (/\s/.test(integrationCode)) {
    issues.push({
      path: 'integrationCode',
      message: 'contains whitespace; copy the tracking identifier exactly',
    });
  }
  if (issues.length > 0 || username === undefined || secret === undefined) {
    throw new ConfigError(
      `Autotask credentials are incomplete: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
  return { username, secret, integrationCode };
}

function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/**
 * Normalises a configured URL to the zone's REST base:
 * - REST root with or without `V1.0`, any case, with or without trailing slash or an entity path;
 * - legacy SOAP `.../atservices/1.x/atws.wsdl|asmx` → same host's `/ATServicesRest/V1.0/`;
 * - a bare host (`https://webservices14.autotask.net`) → its `/ATServicesRest/V1.0/`.
 * A path prefix before `ATServicesRest` (a reverse proxy) is kept.
 */
export function normaliseRestUrl(
  input: string,
  options: { path?: string; allowInsecureHttp?: boolean } = {},
): RestEndpoint {
  const path = options.path ?? 'url';
  const fail = (message: string): never => {
    throw new ConfigError(`The Autotask ${path} "${input}" is not usable: ${message}`, [{ path, message }]);
  };
  const raw = input.trim();
  if (raw === '') fail('it is empty. Leave it out to discover the zone from the username.');
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`);
  } catch {
    return fail('it is not a URL. Expected e.g. https://webservices14.autotask.net/ATServicesRest/V1.0/');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    fail(`the scheme ${url.protocol} is not http(s).`);
  if (url.protocol === 'http:' && !isLoopback(url.hostname) && options.allowInsecureHttp !== true) {
    fail(
      'it uses plain http, which would send the credentials unencrypted. Use https (Autotask serves only https).',
    );
  }
  if (url.username || url.password)
    fail('it contains credentials; give them as token/username/secret instead.');
  const host = url.hostname.toLowerCase();
  const ui = /^ww(\d+)\.autotask\.net$/.exec(host);
  if (ui) {
    fail(
      `it is the Autotask web UI address. The API of this zone is https://webservices${ui[1]}.autotask.net/ATServicesRest/V1.0/`,
    );
  }
  const segments = url.pathname.split('/').filter((s) => s !== '');
  const lower = segments.map((s) => s.toLowerCase());
  let prefix: string[];
  const rest = lower.indexOf('atservicesrest');
  const soap = lower.indexOf('atservices');
  if (rest >= 0) {
    prefix = segments.slice(0, rest);
    const after = lower[rest + 1];
    if (after !== undefined && !/^v\d+(\.\d+)?$/.test(after)) {
      // an entity or endpoint right after the root (no version): tolerate only known names
      if (!/^(zoneinformation|versioninformation|swagger)$/.test(after)) {
        fail(`after /ATServicesRest/ expected a version such as V1.0, found "${segments[rest + 1] ?? ''}".`);
      }
    }
    if (after !== undefined && /^v\d+(\.\d+)?$/.test(after) && after !== 'v1.0') {
      fail(`API version ${segments[rest + 1] ?? ''} is not supported; this client speaks V1.0.`);
    }
  } else if (soap >= 0) {
    const version = lower[soap + 1];
    const file = lower[soap + 2];
    if (
      version === undefined ||
      !/^1\.\d+$/.test(version) ||
      (file !== undefined && !/^atws\.(asmx|wsdl)$/.test(file))
    ) {
      fail('it looks like a SOAP URL but not .../atservices/1.6/atws.asmx (or .wsdl).');
    }
    prefix = segments.slice(0, soap);
  } else if (segments.length === 0) {
    prefix = [];
  } else {
    return fail(
      'its path has no /ATServicesRest/ segment. Expected e.g. https://webservices14.autotask.net/ATServicesRest/V1.0/ (or leave the URL out to discover the zone).',
    );
  }
  if (url.search || url.hash) {
    // query strings and fragments carry nothing we use; drop them silently only if harmless
    if (url.search && !/^\?user=/i.test(url.search)) fail('it has a query string; give the REST root only.');
  }
  const origin = url.origin;
  const base = [...prefix, 'ATServicesRest', 'V1.0'].join('/');
  return { origin, apiBase: `${origin}/${base}/` };
}

/** True when `url` has exactly this origin (scheme, host and port). */
export function hasOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}
