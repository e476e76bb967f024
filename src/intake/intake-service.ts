/**
 * `startIntakeService()`: what `autotask-sync serve` runs — the durable queue, the HTTP endpoints
 * (loopback by default) and the workers that feed the queue through the engine (forms) or into SQL
 * tables (Autotask webhooks). Everything it talks to is passed in.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { getRequestListener } from '@hono/node-server';
import PQueue from 'p-queue';

import { createSqlSystem } from '../connectors/sql-system/create-sql-system.js';
import type { SqlSystem } from '../connectors/sql-system/sql-system.js';
import type { EngineDeps } from '../sync/engine/index.js';
import { createIntakeApp } from './http/intake-app.js';
import { ConfigError } from '../shared/errors.js';
import { takeoverNotice } from '../state/run-lock.js';
import type { TwoWaySpec } from '../sync/two-way/two-way-spec.js';
import { hasTable, type IntakeSpec, type TableWebhookSpec } from './intake-config-schema.js';
import { IntakeQueue } from './queue/intake-queue.js';
import { IntakeWorker, type IntakeWorkerOptions, type RunExclusive } from './worker/intake-worker.js';

export interface IntakeServiceOptions {
  /** The configuration's `intakes:`, SQLite paths already absolute. */
  intakes: readonly IntakeSpec[];
  /** The state database (the configuration's `state:`); the queue lives in it. */
  statePath: string;
  /** The engine's collaborators: Autotask client, state store, clock, logger. */
  engine: Omit<EngineDeps, 'openSource'>;
  /** Engine options of form batches, from the configuration's `engine:` (`engineOptionsOf`). @default the engine's */
  engineOptions?: IntakeWorkerOptions['engineOptions'];
  /** TCP port; 0 picks a free one. @default 8787 */
  port?: number;
  /** Interface to bind. Anything but loopback exposes the intakes: put TLS in front. @default '127.0.0.1' */
  host?: string;
  /** The configuration's `twoWay:` syncs, for webhook intakes that name one. @default none */
  twoWay?: readonly TwoWaySpec[];
  /** Worker tuning (batch size, lease, idle wait). @default see IntakeWorkerOptions */
  worker?: Pick<IntakeWorkerOptions, 'batchSize' | 'leaseMs' | 'idleMs' | 'random'>;
  /** Run the workers (false: only accept and queue, e.g. for a load test of the HTTP side). @default true */
  process?: boolean;
}

export interface IntakeService {
  /** `http://127.0.0.1:8787` */
  readonly origin: string;
  readonly port: number;
  readonly queue: IntakeQueue;
  readonly worker: IntakeWorker;
  /** Stops accepting, lets the batch in progress finish, closes tables and the queue. */
  close(): Promise<void>;
}

export const DEFAULT_INTAKE_PORT = 8787;

export async function startIntakeService(options: IntakeServiceOptions): Promise<IntakeService> {
  const { engine } = options;
  const queue = new IntakeQueue({ path: options.statePath, clock: engine.clock });
  const interrupted = queue.requeueInterrupted();
  if (interrupted > 0)
    engine.logger.warn({ items: interrupted }, 'intake items interrupted by a stop were queued again');
  const tables = new Map<string, SqlSystem>();
  let server: Server | undefined;
  const stop = new AbortController();
  let workers: Promise<void> | undefined;
  try {
    const twoWay = options.twoWay ?? [];
    for (const [i, spec] of options.intakes.entries()) {
      if (spec.type !== 'autotask-webhook') continue;
      if (hasTable(spec)) tables.set(spec.name, createSqlSystem(tableSpec(spec)));
      else if (
        !twoWay.some(
          (t) => t.name === spec.twoWay && t.object === (spec.object === 'Contact' ? 'Contact' : 'Company'),
        )
      )
        throw new ConfigError(
          `intake "${spec.name}" names no twoWay sync of ${spec.object} called "${spec.twoWay ?? ''}"`,
          [
            {
              path: `intakes[${i}].twoWay`,
              message: `twoWay syncs: ${twoWay.map((t) => t.name).join(', ') || '(none)'}`,
            },
          ],
        );
    }
    const worker = new IntakeWorker({
      queue,
      runExclusive: exclusiveRuns(engine),
      intakes: options.intakes,
      engine,
      tables,
      twoWay,
      ...(options.engineOptions === undefined ? {} : { engineOptions: options.engineOptions }),
      ...options.worker,
    });
    const app = createIntakeApp({
      intakes: options.intakes,
      queue,
      clock: engine.clock,
      logger: engine.logger,
      onQueued: () => worker.wake(),
    });
    const listener = getRequestListener((request, env) =>
      app.fetch(request, { remoteAddress: env.incoming.socket.remoteAddress }),
    );
    const srv = createServer((req, res) => void listener(req, res));
    server = srv;
    // Longer than the idle timeout of common clients and proxies, so that they close first (no reuse race).
    srv.keepAliveTimeout = 65_000;
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(options.port ?? DEFAULT_INTAKE_PORT, host, () => {
        srv.off('error', reject);
        resolve();
      });
    });
    const port = (srv.address() as AddressInfo).port;
    if (options.process !== false) workers = worker.run(stop.signal);
    let closed: Promise<void> | undefined;
    return {
      origin: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
      port,
      queue,
      worker,
      close: () =>
        (closed ??= (async () => {
          await new Promise<void>((resolve) => {
            srv.close(() => resolve());
            srv.closeAllConnections();
          });
          stop.abort();
          await workers;
          await Promise.all([...tables.values()].map((t) => t.close()));
          queue.close();
        })()),
    };
  } catch (error) {
    server?.close();
    stop.abort();
    await Promise.all([...tables.values()].map((t) => t.close()));
    queue.close();
    throw error;
  }
}

function tableSpec(spec: TableWebhookSpec): Parameters<typeof createSqlSystem>[0] {
  const t = spec.table;
  return t.type === 'sqlite'
    ? { type: 'sqlite', path: t.path, table: t.table, key: t.key, updatedAt: t.updatedAt }
    : { type: 'postgres', url: t.url, table: t.table, key: t.key, updatedAt: t.updatedAt };
}

/**
 * One batch at a time in this process (forms and two-way passes alike), each under the state
 * database's run lock, so that `serve` and a `run` (or the web app) on the same state never write to
 * Autotask at once. A lock held elsewhere throws `RunLockedError`; the batch is retried later.
 */
function exclusiveRuns(engine: IntakeServiceOptions['engine']): RunExclusive {
  const queue = new PQueue({ concurrency: 1 });
  return <T>(what: string, fn: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> =>
    queue.add<T>(async () => {
      const lock = engine.state.acquireRunLock({ command: `serve (${what})` });
      const notice = takeoverNotice(lock);
      if (notice !== undefined) engine.logger.warn({ batch: what }, notice);
      try {
        return await fn(lock.lost);
      } finally {
        lock.release();
      }
    });
}
