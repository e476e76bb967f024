/**
 * The local web app's HTTP server (Hono on Node's http): the front end, the JSON API under `/api/`,
 * and live progress as server-sent events. It binds loopback by default and answers the API only to
 * requests that carry the access token. Open `/?token=<token>` once: the page then holds the token in
 * an HttpOnly, SameSite=Strict cookie and the link is replaced by `/` (so the token leaves the
 * address bar and history).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';

import { getRequestListener } from '@hono/node-server';
import { Hono, type Context, type MiddlewareHandler, type Next } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { setCookie } from 'hono/cookie';

import type { Clock } from '../shared/clock.js';
import { systemClock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import {
  createAccessToken,
  presentedToken,
  requireToken,
  TOKEN_COOKIE,
  tokenMatches,
} from './access-token.js';
import { createApiRoutes } from './api-routes.js';
import { JobRunner } from './job-runner.js';
import { defaultStaticDir, StaticFiles } from './static-files.js';
import { Workspace, type WorkspaceOptions } from './workspace.js';

export interface UiServerOptions {
  /** Configuration file the app reads and writes (created on first save). */
  configFile: string;
  /** The process environment; `AUTOTASK_*` here win over `.env` files. */
  env: Readonly<Record<string, string | undefined>>;
  /** Folder relative paths (and the second `.env`) resolve against. */
  cwd: string;
  logger: Logger;
  /** @default systemClock */
  clock?: Clock;
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to bind. Anything but loopback exposes your Autotask data to the network. @default '127.0.0.1' */
  host?: string;
  /** Access token; tests pass their own. @default 32 random bytes */
  token?: string;
  /** Largest JSON body accepted, in bytes. @default 1 MiB */
  maxJsonBytes?: number;
  /** Largest uploaded source file, in bytes. @default 100 MiB */
  maxUploadBytes?: number;
  /** Folder of the front end's files. @default `static/` beside this module */
  staticDir?: string;
  /** Extra Autotask client options (tests pass `fetch`). @default none */
  clientOverrides?: WorkspaceOptions['clientOverrides'];
}

export interface UiServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** The link to open: `origin/?token=...`. */
  link: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

const LOCKED_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>autotask-sync</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<h1>autotask-sync</h1><p>This page needs the access token. Open the link that <code>autotask-sync ui</code>
printed in the terminal (it ends in <code>?token=…</code>).</p></body></html>`;

/** Builds the app (without listening): the Hono app, and what must be closed with it. */
export function createUiApp(options: UiServerOptions & { token: string }): {
  app: Hono;
  close: () => void;
} {
  const clock = options.clock ?? systemClock;
  const jobs = new JobRunner();
  let lastBudgetAt = 0;
  const workspace = new Workspace({
    configFile: resolve(options.cwd, options.configFile),
    env: options.env,
    cwd: options.cwd,
    clock,
    logger: options.logger,
    onCall: (event) => {
      const now = clock.now();
      if (now - lastBudgetAt < 250) return;
      lastBudgetAt = now;
      try {
        jobs.budget({ ...event.budget, allowed: workspace.autotask().budget().allowed });
      } catch {
        // no client settings: nothing to report
      }
    },
    ...(options.clientOverrides === undefined ? {} : { clientOverrides: options.clientOverrides }),
  });
  const files = new StaticFiles(options.staticDir ?? defaultStaticDir());
  const maxUpload = options.maxUploadBytes ?? 100 * 1024 * 1024;
  const maxJson = options.maxJsonBytes ?? 1024 * 1024;
  const limitBody = (limit: number): MiddlewareHandler =>
    bodyLimit({
      maxSize: limit,
      onError: (c) =>
        c.json(
          { error: { code: 'UI_TOO_LARGE', message: `the request is larger than ${limit} bytes` } },
          413,
        ),
    });

  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
  });
  app.use('/api/uploads', limitBody(maxUpload));
  const jsonLimit = limitBody(maxJson);
  app.use('/api/*', (c: Context, next: Next) =>
    // eslint-disable-next-line @typescript-eslint/no-unsafe-argument -- Hono's Context defaults its Env to any
    c.req.path === '/api/uploads' ? next() : jsonLimit(c, next),
  );
  app.use('/api/*', requireToken(options.token));
  app.route('/api', createApiRoutes({ workspace, jobs, now: () => clock.now(), maxUploadBytes: maxUpload }));

  app.get('/', (c) => {
    const query = c.req.query('token');
    if (query !== undefined) {
      if (!tokenMatches(options.token, query)) return c.html(LOCKED_PAGE, 401);
      setCookie(c, TOKEN_COOKIE, options.token, { httpOnly: true, sameSite: 'Strict', path: '/' });
      return c.redirect('/', 303);
    }
    if (!tokenMatches(options.token, presentedToken(c))) return c.html(LOCKED_PAGE, 401);
    const page = files.get('index.html');
    return page === undefined
      ? c.text('index.html is missing', 500)
      : c.body(page.body, 200, { 'content-type': page.type });
  });
  app.get('/static/:name', (c) => {
    const file = files.get(c.req.param('name'));
    if (file === undefined) return c.text('not found', 404);
    return c.body(file.body, 200, { 'content-type': file.type });
  });
  app.notFound((c) => c.text('not found', 404));
  return {
    app,
    close: () => {
      jobs.close();
      workspace.close();
    },
  };
}

/** Starts the app on loopback (or `host`) and returns its address and token. */
export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const token = options.token ?? createAccessToken();
  const { app, close } = createUiApp({ ...options, token });
  const host = options.host ?? '127.0.0.1';
  const listener = getRequestListener(app.fetch);
  const server: Server = createServer((req, res) => void listener(req, res));
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const origin = `http://${shown}:${port}`;
  return {
    origin,
    link: `${origin}/?token=${token}`,
    token,
    port,
    close: () =>
      new Promise<void>((ok) => {
        close();
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
