/**
 * Control endpoints for tests and benchmarks that run the emulator in another process, under
 * `/_emulator/`: not authenticated, not counted, served to loopback callers only (403 otherwise).
 * - `GET  /_emulator/stats` → `emulator.stats()`
 * - `POST /_emulator/faults` body = fault options (`faultRate`, `seed`, `kinds`, `slowMs`, `rules`) → current options and rules
 * - `POST /_emulator/limits` body = `{hourlyLimit?, threadLimit?, latency?, ...}` → usage
 * - `POST /_emulator/reset-counters` → forgets the hourly window, rejections and request stats
 * - `POST /_emulator/time` body = `{"advanceMs": n}` → moves the emulator's clock forward; `{now}` back
 */
import { parseFaultInjectorOptions } from '../faults/index.js';
import type { FaultInjector } from '../faults/types.js';
import { validateLimitsOptions } from '../limits/index.js';
import type { RequestLimits, RequestLimitsOptions } from '../limits/types.js';
import type { EmulatorStats } from '../stats.js';
import type { ApiReply, ApiRequest } from './api-exchange.js';
import { errorsResponse, jsonResponse, notFoundHtml } from './responses.js';

export interface ControlSurface {
  stats(): EmulatorStats;
  faults: FaultInjector;
  limits: RequestLimits;
  resetCounters(): void;
  /** Moves the clock forward by `ms`; returns the new time (ms since the epoch). */
  advanceTime(ms: number): number;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Whether a request path is under `/_emulator/`. */
export function isControlPath(pathname: string): boolean {
  return pathname.length >= 11 && pathname.slice(0, 11).toLowerCase() === '/_emulator/';
}

/** Control bodies are small option objects. */
const MAX_CONTROL_BODY_BYTES = 1024 * 1024;

async function jsonBody(request: ApiRequest): Promise<unknown> {
  const text = await request.readBody(MAX_CONTROL_BODY_BYTES);
  if (text === undefined)
    throw new Error(`Control request bodies are limited to ${MAX_CONTROL_BODY_BYTES} bytes.`);
  return text.trim() === '' ? {} : (JSON.parse(text) as unknown);
}

export async function handleControlRequest(
  control: ControlSurface,
  request: ApiRequest,
  remoteAddress: string | undefined,
): Promise<ApiReply> {
  if (remoteAddress !== undefined && !LOOPBACK.has(remoteAddress)) {
    return errorsResponse(['The emulator control endpoints answer loopback callers only.'], 403);
  }
  const action = request.url.pathname
    .toLowerCase()
    .replace(/^\/_emulator\//, '')
    .replace(/\/+$/, '');
  const method = request.method;
  try {
    if (action === 'stats' && method === 'GET') return jsonResponse(control.stats());
    if (action === 'faults' && method === 'POST') {
      control.faults.set(parseFaultInjectorOptions(await jsonBody(request)));
      return jsonResponse({ options: control.faults.options(), rules: control.faults.rules() });
    }
    if (action === 'limits' && method === 'POST') {
      const options = (await jsonBody(request)) as Omit<RequestLimitsOptions, 'clock'>;
      validateLimitsOptions(options);
      control.limits.set(options);
      return jsonResponse(control.limits.usage());
    }
    if (action === 'reset-counters' && method === 'POST') {
      control.resetCounters();
      return jsonResponse({ ok: true });
    }
    if (action === 'time' && method === 'POST') {
      const body = (await jsonBody(request)) as { advanceMs?: unknown };
      const ms = body.advanceMs;
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
        return errorsResponse(['Send {"advanceMs": <milliseconds, at least 0>}.'], 400);
      }
      return jsonResponse({ now: control.advanceTime(ms) });
    }
  } catch (error) {
    return errorsResponse([error instanceof Error ? error.message : String(error)], 400);
  }
  return notFoundHtml();
}
