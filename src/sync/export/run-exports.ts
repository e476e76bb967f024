import { createHash } from 'node:crypto';

import type { ExportSpec } from '../../config/types.js';
import type { RunRecord } from '../../state/state-store.js';
import { runExport, type ExportOptions, type ExportResult } from './run-export.js';

export interface ExportRunSummary {
  /** The run recorded in the state store (mode `export`). */
  runId: number;
  status: RunRecord['status'];
  exports: ExportResult[];
  /** Exports that failed, with the error's code and message (secrets never included). */
  failures: { name: string; code: string; message: string }[];
  /** Autotask calls used by all exports. */
  apiCalls: number;
}

/**
 * Runs several exports one after another, recorded as one `export` run in the state store. One
 * failing export does not stop the others; the run is then `partial` (or `failed` if none succeeded).
 */
export async function runExports(
  specs: readonly ExportSpec[],
  options: ExportOptions,
): Promise<ExportRunSummary> {
  const { store, client } = options;
  const callsBefore = client.stats().totalCalls;
  const run = store.startRun({
    mode: 'export',
    syncNames: specs.map((s) => s.name),
    configHash: createHash('sha256')
      .update(JSON.stringify(specs.map(describeSpec)))
      .digest('hex'),
  });
  const exports: ExportResult[] = [];
  const failures: ExportRunSummary['failures'] = [];
  for (const spec of specs) {
    if (options.signal?.aborted) break;
    try {
      exports.push(await runExport(spec, options));
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      failures.push({
        name: spec.name,
        code: typeof code === 'string' ? code : 'INTERNAL_ERROR',
        message: error instanceof Error ? error.message : String(error),
      });
      options.logger?.error({ export: spec.name, err: error }, 'export failed');
    }
  }
  const status: RunRecord['status'] = options.signal?.aborted
    ? 'aborted'
    : failures.length === 0
      ? 'succeeded'
      : exports.length === 0
        ? 'failed'
        : 'partial';
  const apiCalls = client.stats().totalCalls - callsBefore;
  store.finishRun(run.id, {
    status,
    counters: {
      read: sum(exports, 'read'),
      written: sum(exports, 'written'),
      skipped: sum(exports, 'skipped'),
      failedExports: failures.length,
      deletedRemoved: exports.reduce((n, e) => n + (e.deletions?.removed ?? 0), 0),
      deletedFlagged: exports.reduce((n, e) => n + (e.deletions?.flagged ?? 0), 0),
    },
    apiCalls,
  });
  return { runId: run.id, status, exports, failures, apiCalls };
}

function sum(results: readonly ExportResult[], key: 'read' | 'written' | 'skipped'): number {
  return results.reduce((n, r) => n + r[key], 0);
}

/** The parts of a spec that identify it, without connection URLs (which may hold a password). */
function describeSpec(spec: ExportSpec): unknown {
  const d = spec.destination;
  return {
    name: spec.name,
    object: spec.object,
    incremental: spec.incremental,
    destination: d.type === 'postgres' ? { type: d.type, table: d.table } : d,
  };
}
