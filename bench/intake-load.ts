/**
 * Load figures of `serve` (issue 10):
 * 1. accept: N signed JSON submissions over loopback HTTP, `width` in flight, workers off — accepted
 *    submissions per second and acknowledgement latency (each is committed to SQLite before its 202);
 * 2. process: M submissions (a company shared by every 10 people + one contact each) through the
 *    workers and the engine against an in-process emulator answering each call after `latencyMs`, with
 *    the client's budget at its default share (half of 10,000 calls an hour) — processing rate, Autotask
 *    calls per submission, and the submissions per hour the budget allows at that cost.
 *
 * A bare `node:http` server answering 202 is measured the same way first: the machine's ceiling for
 * this client, to read the accept figure against (shared CI machines vary a lot).
 *
 * Run: `node --import tsx bench/intake-load.ts [accept=2000] [process=300] [latencyMs=150] [width=32]`
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createAutotaskClient } from '../src/autotask/index.js';
import { parseConfig } from '../src/config/load-config.js';
import { createEmulator } from '../src/emulator/index.js';
import { startIntakeService } from '../src/intake/intake-service.js';
import { systemClock } from '../src/shared/clock.js';
import { silentLogger } from '../src/shared/logger.js';
import { openStateStore } from '../src/state/sqlite-state-store.js';
import { formIntakeYaml, inParallel, postSignedJson, waitForDrain } from './lib/form-intake-traffic.js';
import { inProcessClientOptions } from './lib/in-process-client.js';

const acceptCount = Number(process.argv[2] ?? 2000);
const processCount = Number(process.argv[3] ?? 300);
const latencyMs = Number(process.argv[4] ?? 150);
const width = Number(process.argv[5] ?? 32);
const SECRET = 'bench-intake-secret-0123456789';
const HOURLY_LIMIT = 10_000;
const SHARE = 0.5;

const CONFIG = formIntakeYaml({ secret: SECRET, intakeSettings: '    rateLimit: { perMinute: 1000000 }\n' });

async function world(processItems: boolean, latency: number) {
  const dir = mkdtempSync(join(tmpdir(), 'intake-bench-'));
  const emulator = createEmulator({ seed: 'empty', latency: { baseMs: latency }, hourlyLimit: HOURLY_LIMIT });
  const state = openStateStore({ path: join(dir, 'state.sqlite') });
  const client = createAutotaskClient({
    metadata: { cache: state.metadataCache },
    ...inProcessClientOptions(emulator),
    budget: { share: SHARE, usageStore: state.apiUsage },
  });
  const { config } = parseConfig(CONFIG, { file: join(dir, 'intake.yaml'), env: {} });
  const service = await startIntakeService({
    intakes: config.intakes,
    statePath: state.path,
    engine: { client, state, clock: systemClock, logger: silentLogger },
    port: 0,
    process: processItems,
    worker: { idleMs: 50 },
  });
  return {
    service,
    client,
    emulator,
    async close() {
      await service.close();
      state.close();
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function sendAll(origin: string, n: number, offset: number): Promise<number[]> {
  const indexes = Array.from({ length: n }, (_, k) => offset + k);
  const latencies = await inParallel(indexes, width, async (i) => {
    const body = {
      company: `Bench Co ${Math.floor(i / 10)}`,
      first: `F${i}`,
      last: `L${i}`,
      email: `b${i}@bench.example`,
    };
    const start = performance.now();
    const res = await postSignedJson(`${origin}/intake/website`, SECRET, body);
    await res.arrayBuffer();
    if (res.status !== 202) throw new Error(`unexpected status ${res.status}`);
    return performance.now() - start;
  });
  return latencies.sort((a, b) => a - b);
}

const pct = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

// 0. baseline: the same client against a bare node:http server that answers 202 at once
{
  const srv = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(202, { 'Content-Type': 'application/json' });
      res.end('{"id":1}');
    });
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', () => resolve()));
  const origin = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < acceptCount) {
        next++;
        const res = await fetch(`${origin}/intake/website`, { method: 'POST', body: '{}' });
        await res.arrayBuffer();
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `baseline: bare node:http answering 202: ${(acceptCount / seconds).toFixed(0)} requests/s on this machine`,
  );
  await new Promise<void>((resolve) => srv.close(() => resolve()));
}

// 1. accept
{
  const w = await world(false, 0);
  const start = performance.now();
  const lat = await sendAll(w.service.origin, acceptCount, 0);
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `accept: ${acceptCount} submissions in ${seconds.toFixed(2)} s = ${(acceptCount / seconds).toFixed(0)} accepted/s ` +
      `(${width} in flight; ack latency p50 ${pct(lat, 0.5).toFixed(1)} ms, p99 ${pct(lat, 0.99).toFixed(1)} ms)`,
  );
  await w.close();
}

// 2. process under the budget
{
  const w = await world(true, latencyMs);
  const start = performance.now();
  await sendAll(w.service.origin, processCount, 1_000_000);
  const acceptedAt = performance.now();
  await waitForDrain(w.service.queue);
  const seconds = (performance.now() - start) / 1000;
  const calls = w.client.stats().totalCalls;
  const done = w.service.queue.counts().find((c) => c.status === 'done')?.count ?? 0;
  const perSubmission = calls / processCount;
  const allowed = HOURLY_LIMIT * SHARE;
  console.log(
    `process: ${done}/${processCount} submissions done in ${seconds.toFixed(1)} s = ${(processCount / seconds).toFixed(1)}/s ` +
      `(accepting took ${((acceptedAt - start) / 1000).toFixed(1)} s; Autotask latency ${latencyMs} ms per call)`,
  );
  console.log(
    `cost: ${calls} Autotask calls = ${perSubmission.toFixed(2)} per submission ` +
      `(${processCount} contacts + ${Math.ceil(processCount / 10)} companies created); ` +
      `budget share ${SHARE} of ${HOURLY_LIMIT}/h allows ${Math.floor(allowed / perSubmission)} submissions/hour at that cost`,
  );
  await w.close();
}
