// Inline SVG charts (no chart library): the budget gauge, API calls per hour, outcomes per run.
import { fmt, h, svg } from './dom.js';

/** Colours per outcome, with enough contrast on white (WCAG AA for the legend text beside them). */
export const OUTCOME_COLOURS = {
  created: '#1a7f37',
  updated: '#0b5cad',
  unchanged: '#8c959f',
  skipped: '#6e7781',
  conflict: '#9a6700',
  invalid: '#cf222e',
  failed: '#82071e',
};

/**
 * What each side of a two-way run received, from `sides` of `/api/runs`:
 * `Autotask +1 created ~2 updated −0 deactivated · table +3 ~0 −0`.
 */
export function sidesText(sides) {
  const side = (x) => `+${fmt.number(x.created)} ~${fmt.number(x.updated)} −${fmt.number(x.deactivated)}`;
  return (
    `Autotask ${side(sides.autotask)} · table ${side(sides.table)}` +
    (sides.deletesSeen ? ` · ${fmt.number(sides.deletesSeen)} deleted on one side` : '')
  );
}

/**
 * Budget gauge: the tenant's usage in the rolling hour against our share of the limit and the limit.
 * `budget`: `{ used, limit, allowed }`.
 */
export function budgetGauge(budget, { title = 'API budget this hour' } = {}) {
  if (!budget) return h('p', { className: 'muted' }, 'Budget unknown until Autotask has been reached.');
  const { used, limit, allowed } = budget;
  const width = 320;
  const ratio = limit > 0 ? Math.min(1, used / limit) : 0;
  const shareX = limit > 0 ? (allowed / limit) * width : width;
  const over = used >= allowed;
  const label = `${title}: ${fmt.number(used)} of ${fmt.number(limit)} calls used by the tenant; our share stops at ${fmt.number(allowed)}`;
  return h(
    'figure',
    { className: 'gauge' },
    svg(
      'svg',
      {
        viewBox: `0 0 ${width} 28`,
        width: '100%',
        role: 'img',
        'aria-label': label,
        preserveAspectRatio: 'none',
      },
      svg('title', {}, label),
      svg('rect', { x: 0, y: 4, width, height: 16, rx: 3, fill: '#eaeef2' }),
      svg('rect', {
        x: 0,
        y: 4,
        width: Math.max(1, ratio * width),
        height: 16,
        rx: 3,
        fill: over ? '#cf222e' : '#0b5cad',
      }),
      svg('line', {
        x1: shareX,
        x2: shareX,
        y1: 0,
        y2: 24,
        stroke: '#1f2328',
        'stroke-width': 2,
        'stroke-dasharray': '3 2',
      }),
    ),
    h(
      'figcaption',
      {},
      `${fmt.number(used)} / ${fmt.number(limit)} calls this hour (tenant) · share limit ${fmt.number(allowed)} · ${fmt.number(Math.max(0, allowed - used))} left for us`,
    ),
  );
}

/** Bars of API calls per hour, with the share and the limit as lines. `usage` from `/api/usage`. */
export function hourlyChart(usage) {
  const W = 640;
  const H = 200;
  const pad = { l: 48, r: 8, t: 12, b: 28 };
  const allowed = usage.allowed ?? Math.floor(usage.limit * usage.share);
  const maxCalls = Math.max(...usage.hours.map((x) => x.calls), 1);
  // the scale shows the share line when usage comes near it; far below, the bars get the height
  // and the lines are named in the caption instead
  const top =
    maxCalls > allowed * 0.2 ? Math.max(maxCalls, usage.limit) * 1.05 : Math.max(maxCalls * 1.15, 10);
  const y = (v) => pad.t + (H - pad.t - pad.b) * (1 - Math.min(v, top) / top);
  const bw = (W - pad.l - pad.r) / usage.hours.length;
  const lines = [];
  for (const [value, name, dash] of [
    [usage.limit, 'tenant limit', ''],
    [allowed, `share ${Math.round(usage.share * 100)} %`, '6 3'],
  ]) {
    if (value > top) continue;
    lines.push(
      svg('line', {
        x1: pad.l,
        x2: W - pad.r,
        y1: y(value),
        y2: y(value),
        stroke: '#1f2328',
        'stroke-dasharray': dash,
      }),
      svg(
        'text',
        { x: W - pad.r - 4, y: y(value) - 4, 'text-anchor': 'end', class: 'chart-text' },
        `${name} ${fmt.number(value)}`,
      ),
    );
  }
  const total = usage.hours.reduce((s, x) => s + x.calls, 0);
  const offScale = [usage.limit, allowed].some((v) => v > top);
  const label = `API calls per hour over the last ${usage.hours.length} hours: ${fmt.number(total)} in all; share limit ${fmt.number(allowed)} per hour, tenant limit ${fmt.number(usage.limit)}`;
  const chart = svg(
    'svg',
    { viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img', 'aria-label': label, class: 'chart' },
    svg('title', {}, label),
    svg('line', { x1: pad.l, x2: pad.l, y1: pad.t, y2: H - pad.b, stroke: '#8c959f' }),
    svg('text', { x: pad.l - 6, y: y(0), 'text-anchor': 'end', class: 'chart-text' }, '0'),
    svg(
      'text',
      { x: pad.l - 6, y: y(top) + 10, 'text-anchor': 'end', class: 'chart-text' },
      fmt.number(Math.round(top)),
    ),
    usage.hours.map((x, i) =>
      svg(
        'rect',
        {
          x: pad.l + i * bw + 1,
          y: y(x.calls),
          width: Math.max(1, bw - 2),
          height: H - pad.b - y(x.calls),
          fill: x.calls > allowed ? '#cf222e' : '#0b5cad',
        },
        svg(
          'title',
          {},
          `${new Date(x.hour).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' })}: ${fmt.number(x.calls)} calls`,
        ),
      ),
    ),
    usage.hours
      .filter((_, i) => i % 4 === 3)
      .map((x) => {
        const i = usage.hours.indexOf(x);
        return svg(
          'text',
          { x: pad.l + i * bw + bw / 2, y: H - 8, 'text-anchor': 'middle', class: 'chart-text' },
          new Date(x.hour).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' }),
        );
      }),
    lines,
  );
  return h(
    'figure',
    { className: 'chart-figure' },
    chart,
    h(
      'figcaption',
      {},
      `Calls per hour, last ${usage.hours.length} hours (the last hour as logged per minute; before it, each run’s calls spread over the time it ran). ` +
        `Share limit ${fmt.number(allowed)}/hour, tenant limit ${fmt.number(usage.limit)}/hour` +
        (offScale ? ' (above this scale).' : '.') +
        ` This installation, rolling hour: ${fmt.number(usage.rollingHour)} calls.`,
    ),
  );
}

/**
 * Stacked bars of outcomes per run. `runs`: `[{ id, counters, kind?, sides? }]`, oldest first. A
 * two-way run's label is marked ⇄, and its description names what each side received.
 */
export function outcomesChart(runs) {
  const W = 640;
  const H = 200;
  const pad = { l: 48, r: 8, t: 12, b: 28 };
  const keys = Object.keys(OUTCOME_COLOURS);
  const totals = runs.map((r) => keys.reduce((s, k) => s + (r.counters[k] ?? 0), 0));
  const top = Math.max(...totals, 1);
  const bw = Math.min(48, (W - pad.l - pad.r) / Math.max(runs.length, 1));
  const y = (v) => (H - pad.t - pad.b) * (v / top);
  const sidesOf = (r) => (r.sides ? ` (two-way: ${sidesText(r.sides)})` : '');
  const label = `Outcomes of the last ${runs.length} runs: ${runs
    .map((r, i) => `run ${r.id}: ${totals[i]} records${sidesOf(r)}`)
    .join('; ')}`;
  return h(
    'figure',
    { className: 'chart-figure' },
    svg(
      'svg',
      { viewBox: `0 0 ${W} ${H}`, width: '100%', role: 'img', 'aria-label': label, class: 'chart' },
      svg('title', {}, label),
      svg('line', { x1: pad.l, x2: pad.l, y1: pad.t, y2: H - pad.b, stroke: '#8c959f' }),
      svg('text', { x: pad.l - 6, y: H - pad.b, 'text-anchor': 'end', class: 'chart-text' }, '0'),
      svg(
        'text',
        { x: pad.l - 6, y: pad.t + 10, 'text-anchor': 'end', class: 'chart-text' },
        fmt.number(top),
      ),
      runs.map((r, i) => {
        let base = H - pad.b;
        const x = pad.l + i * bw + 2;
        return svg(
          'g',
          {},
          keys.map((k) => {
            const v = r.counters[k] ?? 0;
            if (v === 0) return null;
            const hgt = y(v);
            base -= hgt;
            return svg(
              'rect',
              { x, y: base, width: bw - 4, height: hgt, fill: OUTCOME_COLOURS[k] },
              svg('title', {}, `run ${r.id}: ${v} ${k}${sidesOf(r)}`),
            );
          }),
          svg(
            'text',
            { x: x + (bw - 4) / 2, y: H - 8, 'text-anchor': 'middle', class: 'chart-text' },
            r.kind === 'two-way' ? `#${r.id}⇄` : `#${r.id}`,
          ),
        );
      }),
    ),
    h(
      'figcaption',
      { className: 'legend' },
      keys.map((k) => h('span', {}, h('span', { className: `swatch sw-${k}` }), k)),
      runs.some((r) => r.kind === 'two-way')
        ? h(
            'span',
            {},
            '⇄ two-way run (records counted once; each side’s writes in its bar’s tooltip and the history)',
          )
        : null,
    ),
  );
}
