/**
 * Hostile and broken input (issue 8 item 3), end to end through the CLI: `run` on the corpus in
 * test/fixtures/hostile/ (see its README) plus large inputs generated here (a 1 MB field, 10,000
 * columns), then `export`. Each hostile row gets a clear per-record outcome with its line and reason,
 * or is handled safely; nothing crashes; every good row is written; formulas are neutralised in the
 * rejects file and the export.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { emulatorEnv } from '../../bench/lib/bench-emulator.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { openStateStore } from '../../src/state/sqlite-state-store.js';
import type { LedgerEntry } from '../../src/state/state-store.js';
import { type InProcessCliResult, runCliInProcess } from '../helpers/run-cli-in-process.js';
import { OWNER_ID } from './helpers/dataset.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/hostile/', import.meta.url));

const CONFIG = `version: 1
state: state.sqlite
syncs:
  - name: companies
    object: Company
    source: { type: csv, path: companies.csv }
    fields:
      companyName: Name
      phone: Phone
      companyType: Type
      ownerResourceID: { value: ${OWNER_ID} }
  - name: contacts
    object: Contact
    source: { type: csv, path: contacts-latin1.csv }
    fields:
      companyID: { column: Company, ref: Company }
      firstName: First
      lastName: Last
      emailAddress: Email
  - name: opportunities
    object: Opportunity
    source: { type: csv, path: opportunities.csv }
    fields:
      title: Title
      projectedCloseDate: { column: Close, transform: [{ type: date, format: YYYY-MM-DD }] }
      startDate: { column: Close, transform: [{ type: date, format: YYYY-MM-DD }] }
      companyID: { column: Company, ref: Company }
      ownerResourceID: { value: ${OWNER_ID} }
      status: { default: Active }
      stage: { default: Qualified }
      probability: { default: 50 }
      amount: { default: 0 }
      cost: { default: 0 }
      useQuoteTotals: { default: true }
  - name: big
    object: Company
    source: { type: csv, path: big.csv }
    fields:
      companyName: Name
      phone: Phone
      companyType: { default: Prospect }
      ownerResourceID: { value: ${OWNER_ID} }
  - name: wide
    object: Company
    source: { type: csv, path: wide.csv }
    fields:
      companyName: Name
      phone: C9998
      companyType: { default: Prospect }
      ownerResourceID: { value: ${OWNER_ID} }
exports:
  - name: companies-out
    object: Company
    destination: { type: csv, path: out/companies.csv }
`;

describe('hostile and broken input', () => {
  let emulator: Emulator;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    emulator = createEmulator({ seed: 'empty' });
    const { url } = await emulator.listen({ port: 0 });
    dir = mkdtempSync(join(tmpdir(), 'hostile-'));
    env = {
      ...emulatorEnv({ url, credentials: emulator.credentials }),
      NO_COLOR: '1',
    };
    for (const f of ['companies.csv', 'contacts-latin1.csv', 'opportunities.csv'])
      copyFileSync(join(FIXTURES, f), join(dir, f));
    // Generated, not committed: a 1 MB field between two good rows, and 10,000 columns.
    writeFileSync(
      join(dir, 'big.csv'),
      `Name,Phone\nBig Good Before,+1 555 0100\n"${'M'.repeat(1024 * 1024)}",+1 555 0101\nBig Good After,+1 555 0102\n`,
    );
    const header = ['Name', ...Array.from({ length: 9_999 }, (_, i) => `C${i}`)];
    const wideRow = (name: string): string =>
      [name, ...Array.from({ length: 9_999 }, (_, i) => (i === 9_998 ? '+1 555 0200' : `v${i}`))].join(',');
    writeFileSync(
      join(dir, 'wide.csv'),
      [header.join(','), wideRow('Wide Co 1'), wideRow('Wide Co 2')].join('\n') + '\n',
    );
    writeFileSync(join(dir, 'sync.yaml'), CONFIG);
  });

  afterAll(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]): Promise<InProcessCliResult> => runCliInProcess(args, { env, cwd: dir });

  /** Expected outcome per source line: action, and for rejects a reason pattern. */
  const EXPECTED: Record<string, Record<number, [string, RegExp?]>> = {
    companies: {
      2: ['created'],
      3: ['created'],
      4: ['invalid', /companies\.csv:4: this row has 5 values but the header has 3 columns/],
      5: ['invalid', /this row has 1 values but the header has 3 columns: add the missing values/],
      6: ['created'], // NUL removed (with a warning)
      7: ['invalid', /"Martian" is not a value of companyType \(use one of: .*Prospect \(3\)/],
      8: ['invalid', /companyName \(column "Name"\) takes at most 100 characters; the value has 131/],
      9: ['created'], // "Acme Lookalike"
      10: ['created'], // "Аcme Lookalike" with a Cyrillic А: another name, not folded into the Latin one
      11: ['conflict', /2 rows have the key "fullwidth twin"/], // NFKC folds fullwidth letters
      12: ['conflict', /2 rows have the key "fullwidth twin"/],
      13: ['conflict', /2 rows have the key "zerowidth twin"/], // zero-width space ignored by the key
      14: ['conflict', /2 rows have the key "zerowidth twin"/],
      15: ['created'],
      16: ['created'],
      17: ['created'],
      18: ['created'],
      19: ['created'],
      20: ['created'],
      21: ['invalid', /"Martian" is not a value of companyType/],
      22: ['invalid', /opens a quote that is never closed \(it runs from line 22 to line 23\)/],
      23: ['created'], // read again after the stray quote
    },
    contacts: {
      2: ['created'],
      3: ['created'],
      4: ['invalid', /"not-an-email" is not a valid email address/],
      5: ['invalid', /"a@b" is not a valid email address/],
      6: ['invalid', /"x@@hostile.example" is not a valid email address/],
      7: ['created'],
      8: ['created'],
      9: ['created'],
    },
    opportunities: {
      2: ['created'],
      3: ['invalid', /"03\/04\/2027" is not a valid date in the format YYYY-MM-DD/],
      4: [
        'invalid',
        /"2027-02-30" is not a valid date in the format YYYY-MM-DD \(write it as YYYY-MM-DD \(a real calendar date\)/,
      ],
      5: ['invalid', /"next tuesday" is not a valid date/],
      6: ['created'],
    },
    big: {
      2: ['created'],
      3: ['invalid', /companyName \(column "Name"\) takes at most 100 characters; the value has 1048576/],
      4: ['created'],
    },
    wide: { 2: ['created'], 3: ['created'] },
  };

  const companyNamed = (name: string): number | undefined => {
    for (const r of emulator.tenant.tables.Companies.scan())
      if (r.values['companyName'] === name) return r.id;
    return undefined;
  };

  it('gives every hostile row a clear outcome and writes every good row', async () => {
    const run = await cli('run', '--config', 'sync.yaml', '--json', '--rejects', 'rejects.csv');
    expect(run.code).toBe(1); // some records were rejected; nothing crashed
    const summary = JSON.parse(run.out) as Record<string, unknown>;
    expect(summary).toMatchObject({ status: 'partial', created: 23, conflict: 4, invalid: 13, failed: 0 });
    expect(run.err).toMatch(/companies\.csv:6: NUL characters removed/);
    expect(run.err).toMatch(/contacts-latin1\.csv is not UTF-8 .*read as Latin-1/);

    const state = openStateStore({ path: join(dir, 'state.sqlite') });
    try {
      const entries = state.queryLedger({ runId: Number(summary['runId']) });
      const seen = new Map<string, LedgerEntry>();
      for (const e of entries) {
        const line = Number(/:(\d+)$/.exec(e.sourceLocation ?? '')?.[1]);
        seen.set(`${e.sync}:${line}`, e);
      }
      for (const [sync, lines] of Object.entries(EXPECTED)) {
        for (const [line, [action, reason]] of Object.entries(lines)) {
          const e = seen.get(`${sync}:${line}`);
          expect(e?.action, `${sync} line ${line}: ${e?.reason ?? 'no ledger entry'}`).toBe(action);
          if (reason) expect(e?.reason, `${sync} line ${line}`).toMatch(reason);
          if (action === 'created') expect(e?.autotaskId).toBeGreaterThan(0);
        }
      }
      expect(entries).toHaveLength(Object.values(EXPECTED).reduce((n, l) => n + Object.keys(l).length, 0));
    } finally {
      state.close();
    }

    // Values that look like SQL or query-filter syntax are data: written verbatim, and found again by
    // name when a contact refers to them (the lookup is a JSON filter, not a string built by hand).
    const sqlCo = companyNamed("Robert'); DROP TABLE links;--");
    const quoteCo = companyNamed('Quote" OR "1"="1');
    expect(sqlCo).toBeDefined();
    expect(quoteCo).toBeDefined();
    expect(companyNamed('Percent % Star * Back\\slash')).toBeDefined();
    expect(companyNamed('NulByte Co')).toBeDefined();
    expect(companyNamed('Acme Lookalike')).not.toBe(companyNamed('Аcme Lookalike'));
    const contacts = new Map<string, Record<string, unknown>>();
    for (const r of emulator.tenant.tables.Contacts.scan())
      contacts.set(String(r.values['emailAddress']), r.values);
    expect(contacts.get('sql.ref@hostile.example')?.['companyID']).toBe(sqlCo);
    expect(contacts.get('quote.ref@hostile.example')?.['companyID']).toBe(quoteCo);
    expect(contacts.get('zoe.muller@hostile.example')).toMatchObject({
      firstName: 'Zoë',
      lastName: 'Müller',
    });
    expect(contacts.get('ingrid@hostile.example')).toMatchObject({ lastName: 'Œuvre' });

    // The rejects files (one per sync with rejects): every rejected row with its reason; nothing a
    // spreadsheet would run.
    const files = readdirSync(dir).filter((f) => /^rejects\..+\.csv$/.test(f));
    expect(files.length).toBeGreaterThan(1);
    const rejects = files.flatMap((f) => {
      const rows = parse<Record<string, string>>(readFileSync(join(dir, f), 'utf8'), { columns: true });
      expectNoFormulas(rows, f);
      expect(new Set(rows.map((r) => r['_sync'])).size, f).toBe(1);
      return rows;
    });
    expect(rejects).toHaveLength(17);
    expect(rejects.map((r) => r['Name'])).toContain("'=1+2 Alien Formula Co");

    // A second run is free of duplicates: nothing created again, the rejects rejected again.
    const again = await cli('run', '--config', 'sync.yaml', '--json');
    expect(JSON.parse(again.out)).toMatchObject({ created: 0, unchanged: 23, conflict: 4, invalid: 13 });
  }, 120_000);

  it('exports formula-looking Autotask values neutralised', async () => {
    const exported = await cli('export', '--config', 'sync.yaml', '--json');
    expect(exported.code, exported.err).toBe(0);
    const rows = parse<Record<string, string>>(readFileSync(join(dir, 'out/companies.csv'), 'utf8'), {
      columns: true,
    });
    const names = rows.map((r) => r['companyName']);
    expect(names).toEqual(
      expect.arrayContaining([
        `'=HYPERLINK("http://evil.example","click")`,
        "'+cmd|' /C calc'!A0",
        "'@SUM(1+1)",
      ]),
    );
    expectNoFormulas(rows, 'out/companies.csv');
  }, 60_000);
});

function expectNoFormulas(rows: Record<string, string>[], file: string): void {
  for (const [i, row] of rows.entries())
    for (const [column, value] of Object.entries(row))
      expect(/^[=+\-@\t\r]/.test(value), `${file} row ${i + 2} column ${column}: ${value.slice(0, 60)}`).toBe(
        false,
      );
}
