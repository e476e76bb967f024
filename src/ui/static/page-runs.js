// Runs: history with counts and calls, charts (calls per hour against the share and the limit;
// outcomes per run), one run's ledger searchable by key, and its rejects as CSV.
import { api } from './api.js';
import { budgetGauge, hourlyChart, OUTCOME_COLOURS, outcomesChart } from './charts.js';
import { changeList, fmt, h, labelled, replace, select } from './dom.js';

const ACTIONS = Object.keys(OUTCOME_COLOURS);

function countsText(counters) {
  return (
    ACTIONS.filter((a) => counters[a])
      .map((a) => `${counters[a]} ${a}`)
      .join(', ') || '—'
  );
}

export async function runsPage(main, params) {
  const charts = h('section', { className: 'card', 'aria-labelledby': 'charts-h' });
  const history = h('section', { className: 'card', 'aria-labelledby': 'history-h' });
  const detail = h('section', { className: 'card', 'aria-labelledby': 'detail-h', id: 'run-detail' });
  replace(main, h('h1', {}, 'Runs'), charts, history, detail);

  const [usage, runs] = await Promise.all([api('GET', '/usage'), api('GET', '/runs')]);
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
                  h('td', {}, r.mode),
                  h('td', {}, h('span', { className: `badge s-${r.status}` }, r.status)),
                  h('td', {}, fmt.time(r.startedAt)),
                  h('td', {}, r.syncNames.join(', ')),
                  h('td', {}, countsText(r.counters)),
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
      `Started ${fmt.time(run.startedAt)}, finished ${fmt.time(run.finishedAt)}; ${fmt.number(run.apiCalls)} API calls.`,
    ),
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
