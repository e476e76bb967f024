import { faultResponse } from './fault-responses.js';
import { parseFaultInjectorOptions, parseFaultRule } from './fault-options-schema.js';
import { SeededRandom } from './seeded-random.js';
import {
  AFTER_COMMIT_KINDS,
  type ActiveFaultRule,
  type FaultDecision,
  type FaultInjector,
  type FaultInjectorOptions,
  type FaultInjectorStats,
  type FaultKind,
  type FaultMatch,
  type FaultRequest,
  type FaultRule,
} from './types.js';

/** Numbers quoted by the threshold messages of `rate-limit` / `thread-limit` faults. */
export interface FaultThresholds {
  hourlyLimit: number;
  threadLimit: number;
}

export interface FaultInjectorDeps {
  /**
   * The current limits, so that forced 429s quote the same numbers as real ones.
   * @default () => ({ hourlyLimit: 10000, threadLimit: 3 })
   */
  thresholds?: () => FaultThresholds;
}

const DEFAULT_KINDS: FaultKind[] = [
  'error-before',
  'error-after-commit',
  'drop-before',
  'drop-after-commit',
  'slow',
  'rate-limit',
];

function matches(match: FaultMatch, request: FaultRequest): boolean {
  if (match.method !== undefined && match.method !== request.method.toUpperCase()) return false;
  if (match.entity !== undefined && match.entity.toLowerCase() !== (request.entity ?? '').toLowerCase()) {
    return false;
  }
  if (match.isWrite !== undefined && match.isWrite !== request.isWrite) return false;
  if (
    match.pathContains !== undefined &&
    !request.path.toLowerCase().includes(match.pathContains.toLowerCase())
  ) {
    return false;
  }
  return true;
}

/**
 * Decides, per request, whether it fails and how. Rules (targeted, counted) are checked first, in
 * order; a rule whose kind is after-commit only catches writes. Otherwise, with probability
 * `faultRate`, a kind is drawn uniformly from `kinds` (after-commit kinds are left out for reads;
 * if nothing is left, the request goes through). All randomness comes from a seeded generator.
 */
export function createFaultInjector(
  options: FaultInjectorOptions = {},
  deps: FaultInjectorDeps = {},
): FaultInjector {
  const thresholds = deps.thresholds ?? (() => ({ hourlyLimit: 10_000, threadLimit: 3 }));
  const current = { faultRate: 0, seed: 1, kinds: [...DEFAULT_KINDS], slowMs: 2000 };
  let random = new SeededRandom(current.seed);
  let rules: ActiveFaultRule[] = [];
  let nextRuleId = 1;
  let decided = 0;
  const injected: Partial<Record<FaultKind, number>> = {};

  const toActive = (rule: FaultRule): ActiveFaultRule => {
    const parsed = parseFaultRule(rule);
    const active: ActiveFaultRule = {
      id: nextRuleId++,
      match: { ...(parsed.match ?? {}) },
      kind: parsed.kind,
      remaining: parsed.times === undefined ? 1 : parsed.times,
    };
    if (parsed.delayMs !== undefined) active.delayMs = parsed.delayMs;
    return active;
  };

  const set = (input: FaultInjectorOptions): void => {
    const o = parseFaultInjectorOptions(input);
    if (o.faultRate !== undefined) current.faultRate = o.faultRate;
    if (o.kinds !== undefined) current.kinds = [...o.kinds];
    if (o.slowMs !== undefined) current.slowMs = o.slowMs;
    if (o.seed !== undefined) {
      current.seed = o.seed;
      random = new SeededRandom(o.seed);
    }
    if (o.rules !== undefined) rules = o.rules.map(toActive);
  };
  set(options);

  const build = (kind: FaultKind, delayMs: number | undefined): FaultDecision => {
    injected[kind] = (injected[kind] ?? 0) + 1;
    if (kind === 'slow') return { kind, delayMs: delayMs ?? current.slowMs };
    const afterCommit = AFTER_COMMIT_KINDS.includes(kind);
    const errorId = random.int(1000, 99999);
    return {
      kind,
      timing: afterCommit ? 'after-commit' : 'before',
      drop: kind === 'drop-before' || kind === 'drop-after-commit',
      response: faultResponse(kind, errorId, thresholds()),
      delayMs: 0,
    };
  };

  return {
    decide(request: FaultRequest): FaultDecision {
      decided += 1;
      for (const rule of rules) {
        if (!matches(rule.match, request)) continue;
        if (AFTER_COMMIT_KINDS.includes(rule.kind) && !request.isWrite) continue;
        if (rule.remaining !== null) {
          rule.remaining -= 1;
          if (rule.remaining <= 0) rules = rules.filter((r) => r !== rule);
        }
        return build(rule.kind, rule.delayMs);
      }
      if (current.faultRate > 0 && random.next() < current.faultRate) {
        const candidates = request.isWrite
          ? current.kinds
          : current.kinds.filter((k) => !AFTER_COMMIT_KINDS.includes(k));
        if (candidates.length > 0) {
          const kind = candidates[random.int(0, candidates.length - 1)];
          if (kind !== undefined) return build(kind, undefined);
        }
      }
      return { kind: 'none', delayMs: 0 };
    },
    set,
    addRule(rule: FaultRule): number {
      const active = toActive(rule);
      rules.push(active);
      return active.id;
    },
    removeRule(id: number): boolean {
      const before = rules.length;
      rules = rules.filter((r) => r.id !== id);
      return rules.length < before;
    },
    clearRules(): void {
      rules = [];
    },
    rules(): ActiveFaultRule[] {
      return rules.map((r) => ({ ...r, match: { ...r.match } }));
    },
    options() {
      return { ...current, kinds: [...current.kinds] };
    },
    stats(): FaultInjectorStats {
      return { decided, injected: { ...injected } };
    },
  };
}
