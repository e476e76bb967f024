// Plan & run: preview what a run would do (counts, field diffs, conflicts, invalid rows, cost
// against the budget left), then run it with live progress per sync and a budget gauge. Two-way syncs
// (twoWay: in the configuration) are covered too, after the one-way ones: what each side (Autotask,
// the table) would receive or received, and per field the side written and the side that wins.
import { api, onJobEvent } from './api.js';
import { budgetGauge, OUTCOME_COLOURS } from './charts.js';
import { changeList, fmt, h, replace, toast } from './dom.js';

const ACTIONS = Object.keys(OUTCOME_COLOURS);

function countsTable(report, caption) {
  return h(
    'div',
    { className: 'table-wrap' },
    h(
      'table',
      { className: 'counts' },
      h('caption', {}, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Sync'),
          ACTIONS.map((a) => h('th', { scope: 'col', className: 'num' }, a)),
          h('th', { scope: 'col', className: 'num' }, 'API calls'),
        ),
      ),
      h(
        'tbody',
        {},
        report.syncs.map((s) =>
          h(
            'tr',
            {},
            h(
              'th',
              { scope: 'row' },
              `${s.name} (${s.object})`,
              s.kind === 'two-way'
                ? h(
                    'span',
                    { className: 'badge twoway', title: 'two-way sync: Autotask ⇄ table' },
                    '⇄ two-way',
                  )
                : null,
            ),
            ACTIONS.map((a) =>
              h('td', { className: `num ${s.counts[a] ? `c-${a}` : 'zero'}` }, fmt.number(s.counts[a])),
            ),
            h('td', { className: 'num' }, fmt.number(s.apiCalls)),
          ),
        ),
      ),
      h(
        'tfoot',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, 'Total'),
          ACTIONS.map((a) => h('td', { className: 'num' }, fmt.number(report.counts[a]))),
          h('td', { className: 'num' }, fmt.number(report.apiCalls)),
        ),
      ),
    ),
  );
}

/** `+1 ~2 −0`: created, updated, deactivated on one side. */
function sideText(side, created) {
  return `+${fmt.number(side[created])} ~${fmt.number(side.update)} −${fmt.number(side.deactivate)}`;
}

/** What each side of every two-way sync would receive (plan) or received (run); null without any. */
export function sidesTable(report, caption) {
  const rows = report.syncs.filter((s) => s.kind === 'two-way' && s.twoWay);
  if (rows.length === 0) return null;
  return h(
    'div',
    { className: 'table-wrap' },
    h(
      'table',
      { className: 'sides' },
      h('caption', {}, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Two-way sync', 'Read (Autotask / table)', 'Autotask', 'Table', 'Overridden', 'Deletes seen'].map(
            (t, i) => h('th', { scope: 'col', className: i >= 4 ? 'num' : null }, t),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((s) =>
          h(
            'tr',
            { 'data-sync': s.name },
            h('th', { scope: 'row' }, `${s.name} (${s.object})`),
            h(
              'td',
              {},
              `${fmt.number(s.twoWay.read.autotask)} ${s.twoWay.autotaskRead} / ${fmt.number(s.twoWay.read.sql)} ${s.twoWay.sqlRead}`,
            ),
            h('td', { className: 'side-autotask' }, sideText(s.twoWay.autotask, 'create')),
            h('td', { className: 'side-table' }, sideText(s.twoWay.table, 'insert')),
            h('td', { className: 'num' }, fmt.number(s.twoWay.overridden)),
            h('td', { className: 'num' }, fmt.number(s.twoWay.deletesSeen)),
          ),
        ),
      ),
    ),
    h(
      'p',
      { className: 'hint' },
      '+ created (a row inserted in the table) · ~ updated · − deactivated. Overridden: fields where the rule keeps one side’s value over a change made on the other.',
    ),
    notesList(rows),
  );
}

function notesList(rows) {
  const notes = rows.flatMap((s) => s.twoWay.notes.map((n) => `${s.name}: ${n}`));
  if (notes.length === 0) return null;
  return h(
    'ul',
    { className: 'notes' },
    notes.slice(0, 20).map((n) => h('li', {}, n)),
  );
}

/** Who holds the state's run lock, for a run refused with STATE_LOCKED (or shown on the Runs page). */
export function lockMessage(holder, message, { refused = true } = {}) {
  const since = holder?.since ? fmt.time(Date.parse(holder.since) || holder.since) : null;
  return h(
    'div',
    {
      className: `card lock-held ${refused ? 'error' : 'warn'}`,
      role: refused ? 'alert' : 'status',
      id: 'lock-held',
    },
    h(
      'p',
      {},
      h('strong', {}, 'Another autotask-sync is syncing this configuration’s state'),
      holder
        ? [
            ': ',
            h('code', {}, holder.command),
            ` (pid ${holder.pid} on host ${holder.host})`,
            since ? `, since ${since}` : '',
            '.',
          ]
        : '.',
    ),
    h(
      'p',
      {},
      refused
        ? 'Nothing was started: two processes syncing one state at once could create duplicates. Wait for it to finish (or stop it), then run again. A lock left by a process that is gone is taken over by itself.'
        : 'A run started here is refused until it finishes: two processes syncing one state at once could create duplicates.',
    ),
    message ? h('details', {}, h('summary', {}, 'Details'), h('p', {}, message)) : null,
  );
}

function outcomesTable(report) {
  const rows = report.syncs.flatMap((s) => s.outcomes);
  if (rows.length === 0) return h('p', { className: 'muted' }, 'No record-level details to show.');
  return h(
    'div',
    { className: 'table-wrap' },
    h(
      'table',
      { className: 'outcomes' },
      h(
        'caption',
        {},
        'Records (conflicts, invalid rows and a sample of changes; the ledger has every record)',
      ),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Sync', 'Action', 'Key', 'Where', 'Details'].map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((o) =>
          h(
            'tr',
            { className: `row-${o.action}` },
            h('td', {}, o.sync),
            h('td', {}, h('span', { className: `badge a-${o.action}` }, o.action)),
            h('td', {}, o.key ?? '—'),
            h('td', {}, o.location ?? '—'),
            h(
              'td',
              {},
              o.reason
                ? h('p', { className: 'reason' }, o.field ? [h('code', {}, o.field), ': '] : null, o.reason)
                : null,
              changeList(o.diff, { plan: true }),
            ),
          ),
        ),
      ),
    ),
  );
}

export async function planPage(main) {
  const planArea = h('section', { className: 'card', 'aria-labelledby': 'plan-h', 'aria-live': 'polite' });
  const runArea = h('section', { className: 'card', 'aria-labelledby': 'run-h' });
  const planButton = h(
    'button',
    { type: 'button', className: 'primary', id: 'preview-plan', onclick: () => void plan() },
    'Preview plan',
  );
  const runButton = h('button', { type: 'button', id: 'run-now', onclick: () => void run() }, 'Run');
  const stopButton = h(
    'button',
    { type: 'button', className: 'danger', hidden: true, onclick: () => void api('POST', '/runs/stop') },
    'Stop',
  );
  const lockArea = h('div');
  replace(
    main,
    h('h1', {}, 'Plan & run'),
    h(
      'p',
      { className: 'lead' },
      'Preview writes nothing to Autotask. Run creates and updates records, then records each outcome in the ledger.',
    ),
    h('div', { className: 'actions' }, planButton, runButton, stopButton),
    lockArea,
    planArea,
    runArea,
  );
  replace(
    planArea,
    h('h2', { id: 'plan-h' }, 'Plan'),
    h('p', { className: 'muted' }, 'Press “Preview plan” to see what a run would do.'),
  );
  replace(runArea, h('h2', { id: 'run-h' }, 'Run'), h('p', { className: 'muted' }, 'No run in progress.'));

  async function plan() {
    planButton.disabled = true;
    replace(planArea, h('h2', { id: 'plan-h' }, 'Plan'), h('p', {}, 'Planning… (reads only)'));
    try {
      const r = await api('POST', '/plan', {});
      const over = r.budgetLeft !== null && r.estimatedCalls > r.budgetLeft;
      replace(
        planArea,
        h('h2', { id: 'plan-h' }, 'Plan'),
        h(
          'p',
          { className: over ? 'warn' : 'ok', id: 'plan-cost' },
          `The run will cost about ${fmt.number(r.estimatedCalls)} API calls; ${r.budgetLeft === null ? 'budget left unknown' : `${fmt.number(r.budgetLeft)} left under the share this hour`}; estimated time ${fmt.duration(r.etaMs)}.`,
          over ? ' It will wait for the budget window to free up.' : '',
        ),
        countsTable(r, 'What each sync would do'),
        sidesTable(r, 'What each side of the two-way syncs would receive'),
        outcomesTable(r),
      );
    } catch (error) {
      replace(
        planArea,
        h('h2', { id: 'plan-h' }, 'Plan'),
        h('p', { className: 'error', role: 'alert' }, error.message),
        error.issues?.length
          ? h(
              'ul',
              {},
              error.issues.map((i) => h('li', {}, `${i.path}: ${i.message}`)),
            )
          : null,
      );
    } finally {
      planButton.disabled = false;
    }
  }

  const bars = new Map();
  let gauge = null;
  let progressList = null;
  function showJob(event) {
    if (event.type === 'started') {
      replace(lockArea);
      bars.clear();
      const twoWay = new Set(event.twoWay ?? []);
      gauge = h('div');
      replace(
        runArea,
        h('h2', { id: 'run-h' }, `Run in progress (job ${event.jobId})`),
        gauge,
        (progressList = h(
          'ul',
          { className: 'progress-list' },
          event.syncs.map((name) => {
            const bar = h('progress', {
              max: 1,
              value: 0,
              id: `p-${name}`,
              'aria-label': `${name} progress`,
            });
            const text = h('span', { className: 'muted', 'aria-live': 'polite' }, 'waiting');
            bars.set(name, { bar, text, twoWay: twoWay.has(name) });
            return h('li', {}, h('label', { for: bar.id }, name, twoWay.has(name) ? ' ⇄' : ''), bar, text);
          }),
        )),
      );
      runButton.disabled = true;
      planButton.disabled = true;
      stopButton.hidden = false;
    } else if (event.type === 'progress') {
      const b = bars.get(event.sync);
      if (!b) return;
      if (event.total) {
        b.bar.max = event.total;
        b.bar.value = event.done;
      }
      if (event.stage === 'done') b.bar.value = b.bar.max;
      if (b.twoWay && event.stage !== 'done')
        b.text.textContent = 'reading both sides, settling each field, writing…';
      else
        b.text.textContent = `${event.stage} · ${fmt.number(event.done)}${event.total ? ` / ${fmt.number(event.total)}` : ''} records`;
    } else if (event.type === 'budget' && gauge) {
      replace(gauge, budgetGauge(event));
    } else if (event.type === 'finished' || event.type === 'error') {
      runButton.disabled = false;
      planButton.disabled = false;
      stopButton.hidden = true;
      if (event.type === 'error') {
        replace(
          runArea,
          h('h2', { id: 'run-h' }, 'Run failed'),
          h('p', { className: 'error', role: 'alert' }, `${event.message} (${event.code})`),
        );
        return;
      }
      const s = event.summary;
      replace(
        runArea,
        h('h2', { id: 'run-h' }, `Run ${(s.runIds ?? [s.runId]).join(' + ')}: ${s.status}`),
        gauge,
        progressList,
        h(
          'p',
          { className: s.status === 'succeeded' ? 'ok' : 'warn', id: 'run-result' },
          `Finished: ${
            ACTIONS.filter((a) => s.counts[a])
              .map((a) => `${s.counts[a]} ${a}`)
              .join(', ') || 'nothing to do'
          }; ${fmt.number(s.apiCalls)} API calls; ${fmt.duration(s.finishedAt - s.startedAt)}.`,
        ),
        s.error ? h('p', { className: 'error' }, s.error.message) : null,
        countsTable(s, 'Outcomes per sync'),
        sidesTable(s, 'What each side of the two-way syncs received'),
        h(
          'p',
          {},
          (s.runIds ?? [s.runId]).length > 1
            ? [
                'See the records and rejects of ',
                h('a', { href: `#/runs/${s.runIds[0]}` }, `run #${s.runIds[0]} (one-way syncs)`),
                ' and ',
                h('a', { href: `#/runs/${s.runIds[1]}` }, `run #${s.runIds[1]} (two-way syncs)`),
              ]
            : h('a', { href: `#/runs/${s.runId}` }, 'See this run’s records and rejects'),
        ),
      );
    }
  }
  const unsubscribe = onJobEvent(showJob);
  // another process syncing this state (a run in a terminal, serve, another web app): say so up front
  api('GET', '/runs')
    .then(({ lock, busy }) => {
      if (lock && !lock.stale && !busy) replace(lockArea, lockMessage(lock, null, { refused: false }));
    })
    .catch(() => undefined);

  async function run() {
    try {
      await api('POST', '/runs', {});
    } catch (error) {
      if (error.code === 'STATE_LOCKED') {
        replace(lockArea);
        replace(runArea, h('h2', { id: 'run-h' }, 'Run'), lockMessage(error.holder, error.message));
      } else toast(error.message);
    }
  }
  return unsubscribe;
}
