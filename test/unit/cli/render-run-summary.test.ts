import { describe, expect, it } from 'vitest';

import { inSourceOrder, renderTable } from '../../../src/cli/commands/render-run-summary.js';
import type { RecordOutcome, RunSummary } from '../../../src/sync/engine/index.js';
import { RECORD_ACTIONS } from '../../../src/sync/engine/index.js';

const counts = Object.fromEntries(RECORD_ACTIONS.map((a) => [a, 0])) as RunSummary['counts'];

function outcome(
  sync: string,
  location: string | null,
  action: RecordOutcome['action'] = 'invalid',
): RecordOutcome {
  return {
    sync,
    action,
    key: null,
    location,
    autotaskId: null,
    reason: `bad ${location ?? '?'}`,
    field: null,
    diff: null,
  };
}

function summary(syncs: { name: string; outcomes: RecordOutcome[] }[]): RunSummary {
  return {
    runId: 7,
    mode: 'run',
    status: 'partial',
    counts,
    apiCalls: 0,
    startedAt: 0,
    finishedAt: 1000,
    syncs: syncs.map((s) => ({ name: s.name, object: 'Company', counts, apiCalls: 0, outcomes: s.outcomes })),
  };
}

describe('the Problems list under a run summary', () => {
  it('is in source line order within each sync, syncs in run order', () => {
    const text = renderTable(
      summary([
        {
          name: 'companies',
          outcomes: [
            outcome('companies', 'companies.csv:12'),
            outcome('companies', 'companies.csv:3', 'conflict'),
            outcome('companies', 'companies.csv:9', 'failed'),
          ],
        },
        {
          name: 'contacts',
          outcomes: [outcome('contacts', 'contacts.csv:10'), outcome('contacts', 'contacts.csv:2')],
        },
      ]),
      [],
    );
    const problems = text
      .slice(text.indexOf('Problems:'))
      .split('\n')
      .slice(1)
      .filter((l) => l.trim() !== '');
    expect(problems.map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'companies companies.csv:3',
      'companies companies.csv:9',
      'companies companies.csv:12',
      'contacts contacts.csv:2',
      'contacts contacts.csv:10',
    ]);
  });
});

describe('inSourceOrder', () => {
  it('orders by file, then line (numerically), table rows too; locations without a line last, as they came', () => {
    const sorted = inSourceOrder([
      outcome('s', 'b.csv:2'),
      outcome('s', null),
      outcome('s', 'a.csv:10'),
      outcome('s', 'people (ada@x)'),
      outcome('s', 'a.csv:9'),
      outcome('s', 'people row 3'),
      outcome('s', 'people row 20'),
    ]);
    expect(sorted.map((o) => o.location)).toEqual([
      'a.csv:9',
      'a.csv:10',
      'b.csv:2',
      'people row 3',
      'people row 20',
      null,
      'people (ada@x)',
    ]);
  });
});
