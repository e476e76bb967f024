/**
 * Types of the emulator's fault injection (issue 2 item 9, API doc §13.26). The injector decides,
 * per request, whether and how the request fails; the HTTP surface carries the decision out.
 * Independent of any HTTP framework.
 */

/** HTTP verbs the emulator serves. */
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * Kinds of fault:
 * - `error-before`: 500 "An unexpected error has occurred... Error ID: n" before the handler runs
 *   (nothing written);
 * - `error-after-commit`: the handler runs and commits its write, then the client gets that 500
 *   anyway — the ambiguous case a client must survive (only chosen for writes);
 * - `drop-before`: the connection is closed without a response, before the handler runs;
 * - `drop-after-commit`: the handler commits its write, then the connection is closed without a
 *   response (only chosen for writes);
 * - `slow`: the response is delayed by `delayMs`;
 * - `rate-limit`: 429 with the hourly-threshold message, before the handler;
 * - `thread-limit`: 429 with the thread-threshold message, before the handler;
 * - `thread-limit-500`: the thread-threshold message with status 500 (Autotask sometimes does this);
 * - `unauthorized`: 401 with an empty body;
 * - `not-found-html`: IIS-style HTML 404 page.
 */
export const FAULT_KINDS = [
  'error-before',
  'error-after-commit',
  'drop-before',
  'drop-after-commit',
  'slow',
  'rate-limit',
  'thread-limit',
  'thread-limit-500',
  'unauthorized',
  'not-found-html',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Fault kinds that only make sense for a write (POST create, PATCH, PUT, DELETE). */
export const AFTER_COMMIT_KINDS: readonly FaultKind[] = ['error-after-commit', 'drop-after-commit'];

/** What the HTTP surface knows about a request when it asks for a decision. */
export interface FaultRequest {
  method: HttpMethod;
  /** Entity (or other endpoint) name as in the URL, e.g. `Companies`, `ThresholdInformation`. */
  entity?: string;
  /** Path after the version segment, e.g. `/Companies/query`. */
  path: string;
  /**
   * True for requests that change data (create, update, delete). Queries sent with POST are not
   * writes.
   */
  isWrite: boolean;
}

/** Response the HTTP surface sends instead of (or after) running the handler. */
export interface FaultResponse {
  status: number;
  /** JSON body (serialise it), an HTML string, or null for an empty body. */
  body: { errors: string[] } | string | null;
  contentType: 'application/json; charset=utf-8' | 'text/html' | null;
}

/**
 * The decision for one request. `timing` says when to act:
 * - `before`: do not run the handler; answer `response` (or drop the connection when `drop`);
 * - `after-commit`: run the handler (its write is committed), then discard its response and answer
 *   `response` (or drop the connection when `drop`).
 * `delayMs` (> 0 for `slow`, otherwise 0) is waited before answering.
 */
export type FaultDecision =
  | { kind: 'none'; delayMs: 0 }
  | { kind: 'slow'; delayMs: number }
  | {
      kind: Exclude<FaultKind, 'slow'>;
      timing: 'before' | 'after-commit';
      /** True: close the connection without a response (in-process fetch: the call rejects). */
      drop: boolean;
      /** The response to send when `drop` is false. */
      response: FaultResponse | null;
      delayMs: 0;
    };

/** Which requests a rule applies to; every given property must match (strings case-insensitive). */
export interface FaultMatch {
  /** HTTP verb, e.g. `POST`. */
  method?: HttpMethod;
  /** Entity or endpoint name, e.g. `Companies`. */
  entity?: string;
  /** Only writes (true) or only reads (false). */
  isWrite?: boolean;
  /** Substring the path must contain, e.g. `/query`. */
  pathContains?: string;
}

/** A targeted fault: "the next `times` POSTs to Companies fail after commit". */
export interface FaultRule {
  /** Which requests; empty matches every request. @default {} */
  match?: FaultMatch;
  /** The fault to inject. */
  kind: FaultKind;
  /**
   * How many matching requests to fault before the rule is used up; `null` = forever.
   * @default 1
   */
  times?: number | null;
  /** For `slow`: the delay. @default FaultInjectorOptions.slowMs */
  delayMs?: number;
}

export interface FaultInjectorOptions {
  /**
   * Probability (0–1) that a request not caught by a rule gets a random fault.
   * @default 0
   */
  faultRate?: number;
  /**
   * Seed of the deterministic random source; the same seed and the same request sequence give the
   * same faults.
   * @default 1
   */
  seed?: number;
  /**
   * Kinds the random faults are drawn from (uniformly; after-commit kinds only for writes).
   * @default ['error-before', 'error-after-commit', 'drop-before', 'drop-after-commit', 'slow', 'rate-limit']
   */
  kinds?: FaultKind[];
  /**
   * Delay of a `slow` fault.
   * @default 2000
   */
  slowMs?: number;
  /** Targeted faults, checked in order before the random draw. @default [] */
  rules?: FaultRule[];
}

/** A rule as held by the injector, with its id and what is left of it. */
export interface ActiveFaultRule {
  id: number;
  match: FaultMatch;
  kind: FaultKind;
  /** Faults left; null = unlimited. */
  remaining: number | null;
  delayMs?: number;
}

export interface FaultInjectorStats {
  /** Requests decided. */
  decided: number;
  /** Faults injected, by kind. */
  injected: Partial<Record<FaultKind, number>>;
}

export interface FaultInjector {
  /** Decides the fate of one request (consumes rule uses and random numbers). */
  decide(request: FaultRequest): FaultDecision;
  /**
   * Changes options at runtime. `rules`, when given, replaces the rule list; `seed`, when given,
   * restarts the random sequence.
   */
  set(options: FaultInjectorOptions): void;
  /** Adds a rule at the end of the list; returns its id. */
  addRule(rule: FaultRule): number;
  removeRule(id: number): boolean;
  clearRules(): void;
  rules(): ActiveFaultRule[];
  /** Current options (rules excluded). */
  options(): Required<Omit<FaultInjectorOptions, 'rules'>>;
  stats(): FaultInjectorStats;
}
