import { PassThrough } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { formatBudgetGauge, gaugeBar, nextWindowRelease } from '../../../../src/cli/render/budget-gauge.js';
import { formatCallLine } from '../../../../src/cli/render/call-log.js';
import { colourEnabled, createColours, stripColour } from '../../../../src/cli/render/colour.js';
import { toJsonLine } from '../../../../src/cli/render/json-output.js';
import { createProgressDisplay, formatTaskLine } from '../../../../src/cli/render/progress.js';
import { renderTable } from '../../../../src/cli/render/table.js';
import { ManualClock } from '../../../../src/shared/clock.js';

describe('colour', () => {
  it('is on for a TTY, off with NO_COLOR, TERM=dumb or a pipe; FORCE_COLOR wins over a pipe', () => {
    expect(colourEnabled({ isTTY: true }, {})).toBe(true);
    expect(colourEnabled({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(colourEnabled({}, {})).toBe(false);
    expect(colourEnabled({}, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourEnabled({}, { FORCE_COLOR: '1', NO_COLOR: 'x' })).toBe(false);
  });

  it('styles only when enabled, and stripColour undoes it', () => {
    expect(createColours(false).red('x')).toBe('x');
    const red = createColours(true).red('x');
    expect(red).not.toBe('x');
    expect(stripColour(red)).toBe('x');
  });
});

describe('renderTable', () => {
  it('pads columns, right-aligns numeric columns and ignores colour codes in widths', () => {
    const c = createColours(true);
    const text = renderTable(
      ['name', 'count'],
      [
        [c.green('a'), '5'],
        ['longer', '120'],
      ],
    );
    expect(stripColour(text).split('\n')).toEqual(['name    count', 'a           5', 'longer    120']);
  });

  it('cuts long cells with an ellipsis', () => {
    expect(renderTable(['x'], [['abcdefghij']], { maxCellWidth: 5 }).split('\n')[1]).toBe('abcd…');
  });
});

describe('budget gauge', () => {
  it('shows usage against the allowed share and when calls leave the window', () => {
    const line = formatBudgetGauge(
      { used: 2500, limit: 10_000, allowed: 5000 },
      { release: { at: Date.UTC(2026, 0, 1, 12, 3), calls: 12 }, barWidth: 10 },
    );
    expect(line).toBe(
      'API budget [█████░░░░░] 2,500 of 5,000 allowed (50% of 10,000/h) · 12 calls free up at 12:03 UTC',
    );
  });

  it('says until when it waits', () => {
    const line = formatBudgetGauge(
      { used: 5000, limit: 10_000, allowed: 5000 },
      { waitingUntil: Date.UTC(2026, 0, 1, 13, 0) },
    );
    expect(line).toContain('waiting for budget until 13:00 UTC');
  });

  it('finds the oldest recorded calls of the rolling hour', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0);
    const usage = {
      recent: () => [
        { at: now - 30 * 60_000, count: 4 },
        { at: now - 50 * 60_000, count: 7 },
      ],
      add: () => undefined,
    };
    expect(nextWindowRelease(usage, now)).toEqual({ at: now + 10 * 60_000, calls: 7 });
    expect(nextWindowRelease(undefined, now)).toBeUndefined();
  });

  it('clamps the bar', () => {
    expect(gaugeBar(2, 4)).toBe('████');
    expect(gaugeBar(-1, 4)).toBe('░░░░');
  });
});

describe('progress', () => {
  it('formats a task line with count, rate and ETA', () => {
    const line = formatTaskLine(
      { name: 'companies', stage: 'load', done: 50, total: 150 },
      0,
      10_000,
      createColours(false),
      10,
    );
    expect(line).toMatch(/^companies\s+load\s+\[███░░░░░░░\]\s+50\/150\s+5\.0\/s\s+ETA 20\.0 s$/);
  });

  it('prints plain lines without a TTY: on stage changes only, redacted', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    const clock = new ManualClock(0);
    const display = createProgressDisplay({
      stream: out,
      tty: false,
      colours: createColours(false),
      clock,
      secrets: ['hunter22'],
      plainEveryMs: 60_000,
    });
    display.update({ name: 'companies', stage: 'extract', done: 0 });
    display.update({ name: 'companies', stage: 'load', done: 1, total: 3 });
    display.update({ name: 'companies', stage: 'load', done: 2, total: 3 });
    display.update({ name: 'companies', stage: 'done', done: 3, total: 3 });
    display.log('secret is hunter22');
    display.stop();
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^companies\s+extract…$/); // not "extract 0"
    expect(lines[3]).toBe('secret is [REDACTED]');
    expect(text).not.toContain('hunter22');
  });
});

describe('output redaction', () => {
  it('JSON output drops secrets by key and by value', () => {
    const line = toJsonLine({ secret: 'abc123', note: 'token abc123 here', ok: true }, ['abc123']);
    expect(line).not.toContain('abc123');
    expect(JSON.parse(line)).toEqual({ secret: '[REDACTED]', note: 'token [REDACTED] here', ok: true });
  });

  it('verbose call lines carry no secret', () => {
    const line = formatCallLine(
      {
        method: 'GET',
        entity: 'Companies',
        operation: 'query',
        url: 'https://x/Companies/query?s=sekrit99',
        status: 200,
        durationMs: 12.4,
        attempt: 2,
        budget: { used: 3, limit: 10_000 },
      },
      ['sekrit99'],
    );
    expect(line).toBe(
      'api: GET Companies query → 200 in 12 ms (attempt 2) (budget 3/10000) https://x/Companies/query?s=[REDACTED]',
    );
  });
});

describe('progress on a TTY', () => {
  it('draws a bar per task and the budget gauge with the allowed share', async () => {
    const out = Object.assign(new PassThrough(), { isTTY: true, columns: 160 });
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12, 0));
    const display = createProgressDisplay({
      stream: out,
      tty: true,
      colours: createColours(false),
      clock,
      secrets: [],
      budget: () => ({ used: 1200, limit: 10_000, allowed: 5000 }),
      usage: { recent: () => [{ at: Date.UTC(2026, 0, 1, 11, 30), count: 40 }], add: () => undefined },
    });
    display.update({ name: 'companies', stage: 'load', done: 10, total: 40 });
    display.call({
      method: 'POST',
      entity: 'Companies',
      operation: 'create',
      url: 'https://x/Companies',
      status: 200,
      durationMs: 5,
      attempt: 1,
      budget: { used: 1200, limit: 10_000 },
    });
    clock.advance(2000);
    display.update({ name: 'companies', stage: 'done', done: 40, total: 40 });
    display.stop();
    await new Promise((r) => setImmediate(r));
    const plain = stripColour(text);
    expect(plain).toContain('companies');
    expect(plain).toMatch(/40\/40/);
    expect(plain).toContain('1,200 of 5,000 allowed (50% of 10,000/h) · 40 calls free up at 12:30 UTC');
  });
});
