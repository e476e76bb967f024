/**
 * The emulator as the benchmark sees it: a loopback URL, credentials, and the request counts it keeps
 * (the benchmark's "Autotask calls" are always the emulator's own count, never the client's). Either
 * a child process (`startEmulatorProcess`, what `npm run bench` uses, so its CPU and memory stay out
 * of the engine's figures) or an emulator of this process listening on loopback (`serveInProcess`, for
 * the CI-sized test).
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import {
  createEmulator,
  type EmulatorCredentials,
  type EmulatorOptions,
  type EmulatorStats,
} from '../../src/emulator/index.js';

/** Emulator settings every scenario states explicitly. */
export interface BenchEmulatorSettings {
  /** Requests per rolling hour; large so that the budget never stalls a benchmark. @default 1_000_000 */
  hourlyLimit?: number;
  /** Concurrent requests per (integration code, entity). @default 3 (Autotask's limit) */
  threadLimit?: number;
  /** Fixed latency added to every request, in ms (network and server time). @default 0 */
  latencyMs?: number;
}

export interface BenchEmulator {
  /** REST root, e.g. `http://127.0.0.1:40123/ATServicesRest/`. */
  url: string;
  credentials: EmulatorCredentials;
  /** The emulator's request counts since the last reset. */
  stats(): Promise<EmulatorStats>;
  /** Forgets the counts (and the rolling hour). */
  resetCounters(): Promise<void>;
  close(): Promise<void>;
}

export const DEFAULT_BENCH_HOURLY_LIMIT = 1_000_000;

export function emulatorOptions(settings: BenchEmulatorSettings): EmulatorOptions {
  return {
    seed: 'empty',
    hourlyLimit: settings.hourlyLimit ?? DEFAULT_BENCH_HOURLY_LIMIT,
    threadLimit: settings.threadLimit ?? 3,
    latency: { baseMs: settings.latencyMs ?? 0 },
  };
}

/** Environment variables that point the product's configuration loader at this emulator. */
export function emulatorEnv(emulator: Pick<BenchEmulator, 'url' | 'credentials'>): Record<string, string> {
  return {
    AUTOTASK_URL: emulator.url,
    AUTOTASK_USERNAME: emulator.credentials.userName,
    AUTOTASK_SECRET: emulator.credentials.secret,
    AUTOTASK_INTEGRATION_CODE: emulator.credentials.integrationCode,
  };
}

/** Starts the emulator in a child process (tsx) and waits until it listens. */
export async function startEmulatorProcess(settings: BenchEmulatorSettings): Promise<BenchEmulator> {
  const entry = fileURLToPath(new URL('./emulator-child.ts', import.meta.url));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', entry, JSON.stringify(emulatorOptions(settings))],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const firstLine = await new Promise<string>((done, fail) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => done(line));
    child.once('exit', (code) =>
      fail(new Error(`The emulator child exited (code ${code}) before listening.`)),
    );
  });
  const { url, credentials } = JSON.parse(firstLine) as { url: string; credentials: EmulatorCredentials };
  const origin = new URL(url).origin;
  return {
    url,
    credentials,
    async stats() {
      const response = await fetch(`${origin}/_emulator/stats`);
      return (await response.json()) as EmulatorStats;
    },
    async resetCounters() {
      await (await fetch(`${origin}/_emulator/reset-counters`, { method: 'POST' })).arrayBuffer();
    },
    async close() {
      child.stdin.end();
      await exited;
    },
  };
}

/** An emulator of this process, served over loopback HTTP (for tests). */
export async function serveInProcess(settings: BenchEmulatorSettings): Promise<BenchEmulator> {
  const emulator = createEmulator(emulatorOptions(settings));
  const listening = await emulator.listen({ port: 0 });
  return {
    url: listening.url,
    credentials: emulator.credentials,
    stats: () => Promise.resolve(emulator.stats()),
    resetCounters: () => {
      emulator.resetCounters();
      return Promise.resolve();
    },
    close: () => emulator.close(),
  };
}
