/**
 * The JSON API behind the pages. Every route here sits behind the access-token check and a request
 * size limit (see `server.ts`); bodies are validated with the schemas of `input-schemas.ts`. Nothing
 * a route returns holds a secret: the connection is described by where each setting comes from, and
 * every message is redacted of the secrets the workspace knows.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

import { Hono, type Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { z } from 'zod';

import { lintConfig } from '../cli/commands/check.js';
import { proposeMappings } from '../cli/init/propose-mappings.js';
import { resolveConnectionSettings } from '../config/connection-settings.js';
import { interpolateString } from '../config/interpolate.js';
import { OBJECT_ENTITIES, WRITABLE_OBJECTS, type WritableObject } from '../config/objects.js';
import type { SourceSpec, SyncConfig } from '../config/types.js';
import { createSource } from '../connectors/sources/create-source.js';
import { AppError, ConfigError } from '../shared/errors.js';
import { redactValue } from '../shared/redact.js';
import { writeRejectsCsv } from '../state/rejects-csv.js';
import { RunLockedError, takeoverNotice, type RunLock } from '../state/run-lock.js';
import { LEDGER_ACTIONS, type RunRecord, type StateStore } from '../state/state-store.js';
import {
  engineOptionsOf,
  planSyncs,
  runSyncs,
  type EngineDeps,
  type PlanReport,
  type ProgressEvent,
  type RunSummary,
} from '../sync/engine/index.js';
import type { MappingFinding } from '../sync/mapping/types.js';
import { planTwoWaySyncs, runTwoWaySyncs, type TwoWayPlanReport } from '../sync/two-way/index.js';
import { combinePlans, combineRuns, twoWayRunAsSummary, type WebRunSummary } from './combined-report.js';
import { applySyncDraft, NEW_CONFIG_TEXT, rawSyncs, rawTwoWay, removeSync } from './config-document.js';
import { updateEnvFile } from './env-file-writer.js';
import { fieldCatalog } from './field-catalog.js';
import { errorResponse, inputError, UiRequestError } from './http-errors.js';
import {
  connectionInput,
  ledgerQueryInput,
  runInput,
  sourceColumnsInput,
  syncDraftInput,
  uploadName,
} from './input-schemas.js';
import type { JobRunner } from './job-runner.js';
import { lockView, runView } from './run-view.js';
import { selectSyncs, type SyncSelection } from './sync-selection.js';
import { runOutcomes, usageChartData } from './usage-chart-data.js';
import type { Workspace } from './workspace.js';

/** Autotask's hourly limit per tenant, used until the client has read the real one. */
const DEFAULT_HOURLY_LIMIT = 10_000;

export interface ApiDeps {
  workspace: Workspace;
  jobs: JobRunner;
  now: () => number;
  /** Largest upload accepted, in bytes. */
  maxUploadBytes: number;
}

async function body<S extends z.ZodType>(c: Context, schema: S, what: string): Promise<z.output<S>> {
  let json: unknown;
  try {
    json = await c.req.json();
  } catch {
    throw new UiRequestError('UI_INVALID_INPUT', `${what}: the body must be JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw inputError(parsed.error, what);
  return parsed.data;
}

function parseIndex(text: string): number {
  if (!/^\d{1,3}$/.test(text)) throw new UiRequestError('UI_INVALID_INPUT', `"${text}" is not a sync number`);
  return Number(text);
}

function runIdParam(c: Context): number {
  const text = c.req.param('id') ?? '';
  if (!/^\d{1,12}$/.test(text)) throw new UiRequestError('UI_INVALID_INPUT', `"${text}" is not a run id`);
  return Number(text);
}

/** A configuration issue as a finding, so the page shows loader problems and lint findings alike. */
function issueFinding(issue: { path: string; message: string }): MappingFinding {
  return {
    severity: 'error',
    code: 'CONFIG_INVALID',
    path: issue.path,
    message: issue.message,
    fix: 'change this setting as the message says',
  };
}

export function createApiRoutes(deps: ApiDeps): Hono {
  const { workspace, jobs } = deps;
  const api = new Hono();
  const handle =
    (fn: (c: Context) => Promise<Response> | Response) =>
    async (c: Context): Promise<Response> => {
      try {
        return await fn(c);
      } catch (error) {
        return errorResponse(c, error, workspace.secrets());
      }
    };
  const clean = <T>(value: T): T => redactValue(value, workspace.secrets()) as T;
  const requireConfig = (): SyncConfig => {
    const config = workspace.readConfig();
    if (config === undefined)
      throw new UiRequestError(
        'UI_NO_CONFIG',
        `there is no configuration yet at ${workspace.configFile}: add a sync on the Mapping page first`,
        409,
      );
    return config;
  };
  const stateOrUndefined = () => {
    try {
      return workspace.existingStateStore();
    } catch {
      return undefined;
    }
  };

  // ── connection ────────────────────────────────────────────────────────────────────────────────
  const describeConnection = () => {
    const env = workspace.env();
    const names = [
      'AUTOTASK_TOKEN',
      'AUTOTASK_USERNAME',
      'AUTOTASK_SECRET',
      'AUTOTASK_INTEGRATION_CODE',
      'AUTOTASK_URL',
    ] as const;
    // a list, not an object keyed by variable: redaction blanks values under keys that name secrets
    const sources = names.map((variable) => ({ variable, from: workspace.settingSource(variable) }));
    let username: string | null = env['AUTOTASK_USERNAME'] ?? null;
    let complete = false;
    let problem: string | null = null;
    try {
      const settings = resolveConnectionSettings(undefined, env);
      username = settings.username;
      complete = true;
    } catch (error) {
      problem = error instanceof AppError ? error.message : String(error);
    }
    return clean({
      envFile: workspace.envFile,
      sources,
      username,
      url: env['AUTOTASK_URL'] ?? null,
      complete,
      problem,
    });
  };
  api.get(
    '/connection',
    handle((c) => c.json(describeConnection())),
  );
  api.put(
    '/connection',
    handle(async (c) => {
      const input = await body(c, connectionInput, 'connection settings');
      const changes: Record<string, string | null> = {};
      const put = (name: string, value: string | null | undefined): void => {
        if (value === undefined) return;
        changes[name] = value === null || value.trim() === '' ? null : value.trim();
      };
      put('AUTOTASK_TOKEN', input.token);
      put('AUTOTASK_USERNAME', input.username);
      put('AUTOTASK_SECRET', input.secret);
      put('AUTOTASK_INTEGRATION_CODE', input.integrationCode);
      put('AUTOTASK_URL', input.url);
      mkdirSync(workspace.configDir, { recursive: true });
      updateEnvFile(workspace.envFile, changes);
      workspace.resetClient();
      return c.json(describeConnection());
    }),
  );
  api.post(
    '/connection/test',
    handle(async (c) => {
      try {
        const client = workspace.autotask();
        const result = await client.check();
        const budget = client.budget();
        return c.json(
          clean({
            ok: true,
            url: result.url,
            zone: result.zone ?? null,
            apiVersion: result.apiVersion,
            username: resolveConnectionSettings(undefined, workspace.env()).username,
            budget,
          }),
        );
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        return c.json(clean({ ok: false, error: { code: error.code, message: error.message } }));
      }
    }),
  );

  // ── configuration ─────────────────────────────────────────────────────────────────────────────
  api.get(
    '/config',
    handle((c) => {
      const text = workspace.readText();
      let issues: { path: string; message: string; line?: number }[] = [];
      let share = 0.5;
      try {
        if (text !== undefined) share = workspace.parse(text).autotask.budget.share;
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        issues = [...error.issues];
        if (issues.length === 0) issues = [{ path: '(file)', message: error.message }];
      }
      return c.json(
        clean({
          file: workspace.configFile,
          exists: text !== undefined,
          syncs: text === undefined ? [] : rawSyncs(text),
          twoWay: text === undefined ? [] : rawTwoWay(text),
          share,
          issues,
        }),
      );
    }),
  );
  const saveSync = handle(async (c) => {
    const draft = await body(c, syncDraftInput, 'sync');
    const text = applySyncDraft(workspace.readText() ?? NEW_CONFIG_TEXT, draft.index, draft.sync);
    workspace.parse(text); // refuses (422) a configuration the CLI could not load
    mkdirSync(workspace.configDir, { recursive: true });
    writeFileSync(workspace.configFile, text, { mode: 0o644 });
    return c.json(clean({ saved: true, syncs: rawSyncs(text) }));
  });
  api.put('/config/syncs', saveSync);
  api.delete(
    '/config/syncs/:index',
    handle((c) => {
      const text = workspace.readText();
      if (text === undefined) throw new UiRequestError('UI_NO_CONFIG', 'there is no configuration yet', 404);
      const next = removeSync(text, parseIndex(c.req.param('index') ?? ''));
      writeFileSync(workspace.configFile, next);
      return c.json(clean({ saved: true, syncs: rawSyncs(next) }));
    }),
  );
  api.post(
    '/validate',
    handle(async (c) => {
      const draft = await body(c, syncDraftInput, 'sync');
      const base = workspace.readText() ?? NEW_CONFIG_TEXT;
      const index = draft.index ?? rawSyncs(base).length;
      const text = applySyncDraft(base, draft.index, draft.sync);
      const prefix = `syncs[${index}]`;
      const ours = (path: string): boolean =>
        path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
      let config: SyncConfig;
      try {
        config = workspace.parse(text);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        const issues = error.issues.length > 0 ? error.issues : [{ path: prefix, message: error.message }];
        return c.json(
          clean({
            findings: issues.filter((i) => ours(i.path) || !i.path.startsWith('syncs[')).map(issueFinding),
            checked: 'structure',
          }),
        );
      }
      let findings: MappingFinding[];
      try {
        const client = workspace.autotask(config);
        findings = await lintConfig(client, { ...config, syncs: config.syncs });
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        return c.json(
          clean({
            findings: [],
            checked: 'structure',
            note: `the mapping could not be checked against Autotask's metadata: ${error.message}`,
          }),
        );
      }
      return c.json(clean({ findings: findings.filter((f) => ours(f.path)), checked: 'metadata' }));
    }),
  );

  // ── metadata and sources ──────────────────────────────────────────────────────────────────────
  api.get(
    '/objects/:object/fields',
    handle(async (c) => {
      const object = c.req.param('object') as WritableObject;
      if (!(WRITABLE_OBJECTS as readonly string[]).includes(object))
        throw new UiRequestError(
          'UI_INVALID_INPUT',
          `"${object}" cannot be synced: choose ${WRITABLE_OBJECTS.join(', ')}`,
        );
      const client = workspace.autotask(lenientConfig());
      const entity = OBJECT_ENTITIES[object];
      const metadata = {
        fields: await client.metadata.fields(entity),
        udfs: await client.metadata.udfs(entity),
      };
      return c.json(clean({ object, entity, fields: fieldCatalog(object, metadata) }));
    }),
  );
  /** How runs are listed: two-way runs told apart by their counters or the configuration's twoWay names. */
  const viewOfRuns = () => {
    const names = new Set((lenientConfig()?.twoWay ?? []).map((s) => s.name));
    return (run: RunRecord) => runView(run, names);
  };
  const lenientConfig = (): SyncConfig | undefined => {
    try {
      return workspace.readConfig();
    } catch {
      return undefined;
    }
  };
  api.post(
    '/source/columns',
    handle(async (c) => {
      const input = await body(c, sourceColumnsInput, 'source');
      const source = createSource(resolveSource(input.source));
      let columns: string[];
      try {
        ({ columns } = await source.describe());
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        throw new UiRequestError('UI_SOURCE_UNREADABLE', `the source cannot be read: ${error.message}`, 422);
      }
      if (input.object === undefined) return c.json(clean({ name: source.name, columns }));
      const client = workspace.autotask(lenientConfig());
      const entity = OBJECT_ENTITIES[input.object];
      const metadata = {
        fields: await client.metadata.fields(entity),
        udfs: await client.metadata.udfs(entity),
      };
      return c.json(
        clean({ name: source.name, columns, proposal: proposeMappings(input.object, columns, metadata) }),
      );
    }),
  );
  const resolveSource = (source: z.output<typeof sourceColumnsInput>['source']): SourceSpec => {
    const env = workspace.env();
    const at = (path: string): string =>
      path === '~' || path.startsWith('~/')
        ? join(env['HOME'] ?? '', path.slice(1))
        : resolve(workspace.configDir, interpolateString(path, env).value);
    if (source.type === 'postgres') return { ...source, url: interpolateString(source.url, env).value };
    return { ...source, path: at(source.path) };
  };
  api.post(
    '/uploads',
    handle(async (c) => {
      const parsed = uploadName.safeParse(c.req.query('name'));
      if (!parsed.success) throw inputError(parsed.error, 'upload name');
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      if (bytes.byteLength === 0) throw new UiRequestError('UI_INVALID_INPUT', 'the uploaded file is empty');
      const dir = join(workspace.configDir, 'uploads');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, parsed.data);
      writeFileSync(file, bytes, { mode: 0o600 });
      return c.json({ path: relative(workspace.configDir, file), bytes: bytes.byteLength });
    }),
  );

  // ── plan and run ──────────────────────────────────────────────────────────────────────────────
  api.post(
    '/plan',
    handle(async (c) => {
      const input = await body(c, runInput, 'plan');
      if (jobs.busy) throw new UiRequestError('UI_BUSY', 'a run is in progress: wait for it to finish', 409);
      const config = requireConfig();
      const selection = selectSyncs(config, input.only);
      const controller = new AbortController();
      c.req.raw.signal.addEventListener('abort', () => controller.abort());
      const deps = workspace.engineDeps(config, controller.signal);
      // one-way syncs first, then two-way syncs, as `autotask-sync plan` does
      const parts: (PlanReport | TwoWayPlanReport)[] = [];
      if (selection.oneWay !== undefined)
        parts.push(
          await planSyncs(deps, config, {
            ...engineOptionsOf(config),
            ...(selection.oneWay.only === undefined ? {} : { only: selection.oneWay.only }),
            signal: controller.signal,
          }),
        );
      if (selection.twoWay !== undefined)
        parts.push(
          await planTwoWaySyncs(deps, config.twoWay, {
            ...engineOptionsOf(config),
            ...(selection.twoWay.only === undefined ? {} : { only: selection.twoWay.only }),
            signal: controller.signal,
          }),
        );
      return c.json(clean(combinePlans(parts)));
    }),
  );
  api.post(
    '/runs',
    handle(async (c) => {
      const input = await body(c, runInput, 'run');
      const config = requireConfig();
      const selection = selectSyncs(config, input.only);
      if (jobs.busy) throw new UiRequestError('UI_BUSY', 'a run is already in progress', 409);
      // One process at a time syncs a state database (a `run` in a terminal, `serve`, another web app).
      const lock = takeRunLock(workspace.stateStore(config));
      const id = jobs.start(
        { names: selection.names, twoWay: selection.twoWayNames },
        (emit, jobSignal, jobId) => {
          const signal = AbortSignal.any([jobSignal, lock.lost]);
          const onProgress = (event: ProgressEvent): void => emit({ type: 'progress', jobId, ...event });
          const deps = workspace.engineDeps(config, signal, onProgress);
          const notice = takeoverNotice(lock);
          if (notice !== undefined) deps.logger.warn({ command: 'ui' }, notice);
          return runSelection(deps, config, selection, signal, onProgress)
            .finally(() => lock.release())
            .then((summary) => clean(summary));
        },
        (error) => {
          const e = clean({
            code: error instanceof AppError ? error.code : 'UI_INTERNAL',
            message: error instanceof Error ? error.message : String(error),
          });
          return e;
        },
      );
      if (id === undefined) {
        lock.release();
        throw new UiRequestError('UI_BUSY', 'a run is already in progress', 409);
      }
      return c.json({ jobId: id }, 202);
    }),
  );
  api.post(
    '/runs/stop',
    handle((c) => c.json({ stopping: jobs.stop() })),
  );
  api.get('/events', (c) =>
    streamSSE(c, async (stream) => {
      let closed = false;
      const queue: string[] = [];
      let wake: (() => void) | undefined;
      const unsubscribe = jobs.subscribe((event) => {
        queue.push(JSON.stringify(event));
        wake?.();
      });
      stream.onAbort(() => {
        closed = true;
        wake?.();
      });
      try {
        while (!closed) {
          while (queue.length > 0 && !closed)
            await stream.writeSSE({ event: 'job', data: queue.shift() ?? '' });
          if (closed) break;
          await new Promise<void>((r) => {
            wake = r;
            setTimeout(r, 15_000).unref();
          });
          wake = undefined;
          if (queue.length === 0 && !closed) await stream.write(': keep-alive\n\n');
        }
      } finally {
        unsubscribe();
      }
    }),
  );

  // ── runs, ledger, rejects, charts ─────────────────────────────────────────────────────────────
  api.get(
    '/runs',
    handle((c) => {
      const state = stateOrUndefined();
      const view = viewOfRuns();
      const runs = (state?.listRuns({ limit: 100 }) ?? []).map(view);
      return c.json(clean({ runs, busy: jobs.busy, lock: lockView(state?.runLockHolder()) }));
    }),
  );
  api.get(
    '/runs/:id',
    handle((c) => {
      const id = runIdParam(c);
      const state = stateOrUndefined();
      const run = state?.getRun(id);
      if (state === undefined || run === undefined)
        throw new UiRequestError('UI_NO_SUCH_RUN', `run ${id} does not exist`, 404);
      const perSync = run.syncNames.map((name) => ({ sync: name, counts: state.countLedger(id, name) }));
      return c.json(clean({ run: viewOfRuns()(run), perSync }));
    }),
  );
  api.get(
    '/runs/:id/ledger',
    handle((c) => {
      const id = runIdParam(c);
      const parsed = ledgerQueryInput.safeParse(c.req.query());
      if (!parsed.success) throw inputError(parsed.error, 'ledger query');
      const q = parsed.data;
      const state = stateOrUndefined();
      if (state?.getRun(id) === undefined)
        throw new UiRequestError('UI_NO_SUCH_RUN', `run ${id} does not exist`, 404);
      const query = {
        runId: id,
        ...(q.sync === undefined ? {} : { sync: q.sync }),
        ...(q.action === undefined ? {} : { action: q.action }),
      };
      // key search: substring, case-insensitive, over the streamed ledger (bounded by limit)
      const needle = q.key?.trim().toLowerCase();
      const entries = [];
      let skipped = 0;
      for (const entry of state.iterateLedger(query)) {
        if (
          needle &&
          !(entry.key ?? '').toLowerCase().includes(needle) &&
          !(entry.sourceLocation ?? '').toLowerCase().includes(needle)
        )
          continue;
        if (skipped < q.offset) {
          skipped += 1;
          continue;
        }
        entries.push(entry);
        if (entries.length >= q.limit) break;
      }
      return c.json(clean({ entries, actions: LEDGER_ACTIONS }));
    }),
  );
  api.get(
    '/runs/:id/rejects.csv',
    handle(async (c) => {
      const id = runIdParam(c);
      const state = stateOrUndefined();
      if (state?.getRun(id) === undefined)
        throw new UiRequestError('UI_NO_SUCH_RUN', `run ${id} does not exist`, 404);
      const dir = await mkdtemp(join(tmpdir(), 'autotask-sync-rejects-'));
      try {
        const file = join(dir, 'rejects.csv');
        await writeRejectsCsv(state, id, file);
        const text = readFileSync(file, 'utf8');
        return c.body(text, 200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="rejects-run-${id}.csv"`,
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }),
  );
  api.get(
    '/usage',
    handle((c) => {
      const state = stateOrUndefined();
      const config = lenientConfig();
      let budget: { used: number; limit: number; allowed: number } | null = null;
      try {
        budget = workspace.autotask(config).budget();
      } catch {
        budget = null;
      }
      const share = config?.autotask.budget.share ?? 0.5;
      return c.json(
        clean({
          budget,
          usage: usageChartData(state, {
            now: deps.now(),
            limit: budget?.limit ?? DEFAULT_HOURLY_LIMIT,
            share,
            ...(budget === null ? {} : { allowed: budget.allowed }),
          }),
          outcomes: runOutcomes(state, viewOfRuns()),
        }),
      );
    }),
  );
  api.all('*', (c) =>
    c.json({ error: { code: 'UI_NOT_FOUND', message: `no API route ${c.req.method} ${c.req.path}` } }, 404),
  );
  return api;
}

/**
 * A web-app run: the selected one-way syncs, then the selected two-way syncs (skipped once the run is
 * stopped), as `autotask-sync run` does, as one summary. A two-way part that cannot start after the
 * one-way part ran (a table that cannot be opened) ends the summary as failed with its error.
 */
async function runSelection(
  deps: EngineDeps,
  config: SyncConfig,
  selection: SyncSelection,
  signal: AbortSignal,
  onProgress: (event: ProgressEvent) => void,
): Promise<WebRunSummary> {
  const parts: RunSummary[] = [];
  if (selection.oneWay !== undefined)
    parts.push(
      await runSyncs(deps, config, {
        ...engineOptionsOf(config),
        ...(selection.oneWay.only === undefined ? {} : { only: selection.oneWay.only }),
        signal,
      }),
    );
  if (selection.twoWay !== undefined && !signal.aborted) {
    try {
      const twoWay = await runTwoWaySyncs(deps, config.twoWay, {
        ...engineOptionsOf(config),
        ...(selection.twoWay.only === undefined ? {} : { only: selection.twoWay.only }),
        signal,
        onProgress,
      });
      parts.push(twoWayRunAsSummary(twoWay, deps.state));
    } catch (error) {
      if (parts.length === 0 || !(error instanceof AppError)) throw error;
      return { ...combineRuns(parts), status: 'failed', error: { code: error.code, message: error.message } };
    }
  }
  return combineRuns(parts);
}

/** Takes the run lock for a web-app run; another process holding it is a 409 saying which one. */
function takeRunLock(state: StateStore): RunLock {
  try {
    return state.acquireRunLock({ command: 'ui' });
  } catch (error) {
    if (error instanceof RunLockedError)
      throw new UiRequestError('STATE_LOCKED', error.message, 409, { holder: error.details });
    throw error;
  }
}
