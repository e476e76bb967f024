/**
 * Runs one sync job at a time (a `run` of the configuration: its one-way, then its two-way syncs) in the background and fans its events out
 * to every listener (the page's server-sent event stream). Events of the current or last job are kept,
 * so a page that connects late, or reconnects, first receives what it missed.
 */
import type { ProgressEvent } from '../sync/engine/index.js';
import type { WebRunSummary } from './combined-report.js';

/** What the live view receives. */
export type JobEvent =
  /** `twoWay`: which of `syncs` are two-way syncs (they report progress when each starts and ends). */
  | { type: 'started'; jobId: number; syncs: string[]; twoWay: string[]; at: number }
  | ({ type: 'progress'; jobId: number } & ProgressEvent)
  | { type: 'budget'; jobId: number; used: number; limit: number; allowed: number }
  | { type: 'finished'; jobId: number; summary: WebRunSummary }
  | { type: 'error'; jobId: number; code: string; message: string };

export type JobListener = (event: JobEvent) => void;

/** Most events kept for late listeners (progress events are coalesced per sync before this). */
const MAX_KEPT_EVENTS = 1_000;

export class JobRunner {
  private nextId = 1;
  private current:
    | {
        id: number;
        running: boolean;
        events: JobEvent[];
        abort: AbortController;
        emit: (e: JobEvent) => void;
      }
    | undefined;
  private readonly listeners = new Set<JobListener>();

  /** True while a job runs. */
  get busy(): boolean {
    return this.current?.running === true;
  }

  /** Id of the current (or last) job. */
  get jobId(): number | undefined {
    return this.current?.id;
  }

  /**
   * Starts `work` unless a job is running (returns undefined then). `work` gets the job id, an emit
   * function and an abort signal; its result or error ends the job with a `finished`/`error` event.
   */
  start(
    syncs: { names: string[]; twoWay: string[] },
    work: (emit: (event: JobEvent) => void, signal: AbortSignal, jobId: number) => Promise<WebRunSummary>,
    describeError: (error: unknown) => { code: string; message: string },
  ): number | undefined {
    if (this.busy) return undefined;
    const id = this.nextId++;
    const job = {
      id,
      running: true,
      events: [] as JobEvent[],
      abort: new AbortController(),
      emit: (_event: JobEvent): void => undefined,
    };
    this.current = job;
    const emit = (event: JobEvent): void => {
      if (this.current !== job) return;
      const last = job.events.at(-1);
      // keep one progress event per sync and stage in a row, so the replay stays short
      if (
        event.type === 'progress' &&
        last?.type === 'progress' &&
        last.sync === event.sync &&
        last.stage === event.stage
      )
        job.events[job.events.length - 1] = event;
      else if (event.type === 'budget' && last?.type === 'budget') job.events[job.events.length - 1] = event;
      else if (job.events.length < MAX_KEPT_EVENTS) job.events.push(event);
      for (const listener of this.listeners) listener(event);
    };
    job.emit = emit;
    emit({ type: 'started', jobId: id, syncs: syncs.names, twoWay: syncs.twoWay, at: Date.now() });
    void work(emit, job.abort.signal, id)
      .then((summary) => emit({ type: 'finished', jobId: id, summary }))
      .catch((error: unknown) => emit({ type: 'error', jobId: id, ...describeError(error) }))
      .finally(() => {
        job.running = false;
      });
    return id;
  }

  /** Sends the budget reading to the running job's listeners (ignored when nothing runs). */
  budget(reading: { used: number; limit: number; allowed: number }): void {
    const job = this.current;
    if (job?.running) job.emit({ type: 'budget', jobId: job.id, ...reading });
  }

  /** Asks the running job to stop (writes in flight finish; nothing new starts). */
  stop(): boolean {
    if (!this.busy) return false;
    this.current?.abort.abort(new Error('stopped from the web app'));
    return true;
  }

  /** Subscribes; `listener` first receives the kept events of the current job. Returns unsubscribe. */
  subscribe(listener: JobListener): () => void {
    for (const event of this.current?.events ?? []) listener(event);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops the running job and drops listeners (server shutdown). */
  close(): void {
    this.stop();
    this.listeners.clear();
  }
}
