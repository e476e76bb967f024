/**
 * Real HTTP for the emulator via @hono/node-server: binds loopback by default, hands each request to
 * the emulator's fetch handler with the connection's peer address and a way to drop the socket (the
 * "dropped connection" fault destroys it without a response).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { getRequestListener } from '@hono/node-server';

import type { Connection } from './routes/dispatch.js';

export type ConnectionHandler = (request: Request, connection: Connection) => Promise<Response>;

export interface ListenOptions {
  /** Port; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to bind. @default '127.0.0.1' */
  host?: string;
}

export interface Listening {
  /** The REST root served, e.g. `http://127.0.0.1:53211/ATServicesRest/` (what zoneInformation returns). */
  url: string;
  /** `http://127.0.0.1:53211` */
  origin: string;
  port: number;
  /** Stops accepting connections and closes open ones. */
  close(): Promise<void>;
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export async function listenHttp(
  handler: ConnectionHandler,
  options: ListenOptions = {},
): Promise<Listening> {
  const host = options.host ?? '127.0.0.1';
  const listener = getRequestListener((request, env) => {
    const socket = env.incoming.socket;
    return handler(request, {
      remoteAddress: socket.remoteAddress,
      drop: () => socket.destroy(),
    });
  });
  const server: Server = createServer((req, res) => void listener(req, res));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://${hostForUrl(host)}:${port}`;
  let closed: Promise<void> | undefined;
  return {
    url: `${origin}/ATServicesRest/`,
    origin,
    port,
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
