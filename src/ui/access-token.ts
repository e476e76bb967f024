/**
 * The web app's access token: a random value printed when the server starts. Every API request must
 * carry it, either as `Authorization: Bearer <token>` (scripts) or as the cookie the token link sets
 * (`/?token=...`, for the browser). The cookie is HttpOnly and SameSite=Strict, so other sites can
 * neither read it nor send it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';

/** Name of the cookie that carries the access token. */
export const TOKEN_COOKIE = 'autotask_sync_ui';

/** A fresh token: 32 random bytes, base64url (43 characters). */
export function createAccessToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares in constant time, so response timing does not leak how much of a guess was right. */
export function tokenMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token a request presents (header first, then cookie), if any. */
export function presentedToken(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match?.[1];
  }
  return getCookie(c, TOKEN_COOKIE);
}

/** Middleware: 401 with a JSON error unless the request carries the token. */
export function requireToken(token: string): MiddlewareHandler {
  return async (c, next) => {
    if (!tokenMatches(token, presentedToken(c)))
      return c.json(
        {
          error: {
            code: 'UI_TOKEN_REQUIRED',
            message:
              'this request needs the access token: open the link `autotask-sync ui` printed, or send `Authorization: Bearer <token>`',
          },
        },
        401,
      );
    await next();
    return undefined;
  };
}
