// Runs: history with counts and calls (a two-way run also with what each side received), charts
// (calls per hour against the share and the limit; outcomes per run), one run's ledger searchable by
// key, and its rejects as CSV. Who holds the state's run lock, when another process is syncing.
import { api } from './api.js';
import { budgetGauge, hourlyChart, OUTCOME_COLOURS, outcomesChart, sidesText } from './charts.js';
import { changeList, fmt, h, labelled, replace, select } from './dom.js';
import { lockMessage } from './page-plan.js';

const ACTIONS = Object.keys(OUTCOME_COLOURS);

function countsText(counters) {
  return (
    ACTIONS.filter((a) => counters[a])
      .map((a) => `${counters[a]} ${a}`)
      .join(', ') || '—'
  );
}

const INTERRUPTED =
  'The process running it stopped (killed, crashed, or its machine went down) before it finished: the counts are what its ledger recorded, and the next run settles the writes it had in flight by key, so nothing is created twice.';

/** A note when another process holds the run lock (a run going on elsewhere, or left by a gone process). */
function lockNote(lock, busy) {
  if (!lock || (busy && lock.command === 'ui')) return null;
  if (lock.stale)
    return h(
      'p',
      { className: 'muted', id: 'lock-note' },
      `The run lock is still held by \`${lock.command}\` (pid ${lock.pid} on host ${lock.host}), whose process is gone: the next run takes it over.`,
    );
  return lockMessage(lock, null, { refused: false });
}

export async function runsPage(main, params) {
  const charts = h('section', { className: 'card', 'aria-labelledby': 'charts-h' });
  const history = h('section', { className: 'card', 'aria-labelledby': 'history-h' });
  const detail = h('section', { className: 'card', 'aria-labelledby': 'detail-h', id: 'run-detail' });
  const lockArea = h('div');
  replace(main, h('h1', {}, 'Runs'), lockArea, charts, history, detail);

  const [usage, runs] = await Promise.all([api('GET', '/usage'), api('GET', '/runs')]);
  replace(lockArea, lockNote(runs.lock, runs.busy));
  replace(
    charts,
    h('h2', { id: 'charts-h' }, 'API use and outcomes'),
    budgetGauge(usage.budget),
    h(
      'div',
      { className: 'chart-grid' },
      h('div', {}, h('h3', {}, 'API calls per hour'), hourlyChart(usage.usage)),
      h(
        'div',
        {},
        h('h3', {}, 'Outcomes per run'),
        usage.outcomes.length
          ? outcomesChart(usage.outcomes)
          : h('p', { className: 'muted' }, 'No runs yet.'),
      ),
    ),
  );
  replace(
    history,
    h('h2', { id: 'history-h' }, 'History'),
    runs.runs.length === 0
      ? h('p', { className: 'muted' }, 'Nothing has run with this configuration yet.')
      : h(
          'div',
          { className: 'table-wrap' },
          h(
            'table',
            {},
            h('caption', { className: 'sr-only' }, 'Runs, most recent first'),
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ['Run', 'Kind', 'Status', 'Started', 'Syncs', 'Outcomes', 'API calls'].map((t) =>
                  h('th', { scope: 'col' }, t),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              runs.runs.map((r) =>
                h(
                  'tr',
                  {},
                  h('th', { scope: 'row' }, h('a', { href: `#/runs/${r.id}` }, `#${r.id}`)),
                  h('td', {}, r.kind === 'two-way' ? `${r.mode} ⇄ two-way` : r.mode),
                  h(
                    'td',
                    {},
                    h(
                      'span',
                      {
                        className: `badge s-${r.status}`,
                        title: r.status === 'interrupted' ? INTERRUPTED : null,
                      },
                      r.status,
                    ),
                  ),
                  h('td', {}, fmt.time(r.startedAt)),
                  h('td', {}, r.syncNames.join(', ')),
                  h(
                    'td',
                    {},
                    countsText(r.counters),
                    r.sides ? h('div', { className: 'sides-line' }, sidesText(r.sides)) : null,
                  ),
                  h('td', { className: 'num' }, fmt.number(r.apiCalls)),
                ),
              ),
            ),
          ),
        ),
  );

  const selected = params[0] !== undefined ? Number(params[0]) : runs.runs.find((r) => r.mode === 'run')?.id;
  if (selected === undefined || !Number.isInteger(selected)) {
    detail.hidden = true;
    return undefined;
  }
  const { run, perSync } = await api('GET', `/runs/${selected}`);
  const results = h('div', { 'aria-live': 'polite' });
  const keyInput = h('input', { type: 'search', placeholder: 'key, e.g. an email or company name' });
  const actionSelect = select([{ value: '', label: 'any outcome' }, ...ACTIONS], '');
  const syncSelect = select([{ value: '', label: 'every sync' }, ...run.syncNames], '');
  const form = h(
    'form',
    { className: 'toolbar', role: 'search' },
    labelled('Search by key', keyInput),
    labelled('Outcome', actionSelect),
    labelled('Sync', syncSelect),
    h('div', { className: 'actions' }, h('button', { type: 'submit' }, 'Search')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void search();
  });
  async function search() {
    const q = new URLSearchParams({ limit: '200' });
    if (keyInput.value.trim()) q.set('key', keyInput.value.trim());
    if (actionSelect.value) q.set('action', actionSelect.value);
    if (syncSelect.value) q.set('sync', syncSelect.value);
    const { entries } = await api('GET', `/runs/${selected}/ledger?${q}`);
    replace(
      results,
      h(
        'p',
        { className: 'muted' },
        `${entries.length}${entries.length === 200 ? '+' : ''} record${entries.length === 1 ? '' : 's'}`,
      ),
      h(
        'div',
        { className: 'table-wrap' },
        h(
          'table',
          { className: 'ledger' },
          h('caption', { className: 'sr-only' }, `Records of run ${selected}`),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['Sync', 'Outcome', 'Key', 'Where', 'Autotask id', 'Reason / changes'].map((t) =>
                h('th', { scope: 'col' }, t),
              ),
            ),
          ),
          h(
            'tbody',
            {},
            entries.map((e) =>
              h(
                'tr',
                {},
                h('td', {}, e.sync),
                h('td', {}, h('span', { className: `badge a-${e.action}` }, e.action)),
                h('td', {}, e.key ?? '—'),
                h('td', {}, e.sourceLocation ?? '—'),
                h('td', { className: 'num' }, e.autotaskId ?? '—'),
                h(
                  'td',
                  {},
                  e.reason
                    ? h(
                        'p',
                        { className: 'reason' },
                        e.field ? [h('code', {}, e.field), ': '] : null,
                        e.reason,
                      )
                    : null,
                  changeList(e.diff),
                ),
              ),
            ),
          ),
        ),
      ),
    );
  }
  const rejects = perSync.reduce((n, s) => n + s.counts.invalid + s.counts.failed + s.counts.conflict, 0);
  replace(
    detail,
    h('h2', { id: 'detail-h' }, `Run #${run.id} (${run.mode}, ${run.status})`),
    h(
      'p',
      {},
      `Started ${fmt.time(run.startedAt)}, ${run.status === 'interrupted' ? 'last heard from' : 'finished'} ${fmt.time(run.finishedAt)}; ${fmt.number(run.apiCalls)} API calls.`,
    ),
    run.status === 'interrupted' ? h('p', { className: 'warn', id: 'interrupted-note' }, INTERRUPTED) : null,
    run.sides ? h('p', { id: 'run-sides' }, h('strong', {}, 'Two-way: '), sidesText(run.sides), '.') : null,
    h(
      'ul',
      {},
      perSync.map((s) => h('li', {}, h('strong', {}, s.sync), `: ${countsText(s.counts)}`)),
    ),
    h(
      'p',
      {},
      rejects > 0
        ? h(
            'a',
            {
              className: 'button',
              href: `/api/runs/${run.id}/rejects.csv`,
              download: `rejects-run-${run.id}.csv`,
              id: 'download-rejects',
            },
            `Download ${rejects} rejected row${rejects === 1 ? '' : 's'} (CSV)`,
          )
        : h('span', { className: 'muted' }, 'No rejected rows in this run.'),
    ),
    h('h3', {}, 'Records'),
    form,
    results,
  );
  await search();
  return undefined;
}
