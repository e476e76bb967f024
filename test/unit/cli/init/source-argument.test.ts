import { describe, expect, it } from 'vitest';

import { yamlScalar } from '../../../../src/cli/init/render-config.js';
import { parseSourceArgument, redactUrl } from '../../../../src/cli/init/source-argument.js';

const parse = (arg: string) => parseSourceArgument(arg, '/work/data', '/work', yamlScalar);

describe('parseSourceArgument', () => {
  it('writes file paths relative to the configuration', () => {
    const csv = parse('companies.csv');
    expect(csv.spec).toMatchObject({ type: 'csv', path: '/work/data/companies.csv' });
    expect(csv.yaml).toBe('{ type: csv, path: data/companies.csv }');
    expect(parse('people.jsonl').yaml).toBe('{ type: jsonl, path: data/people.jsonl }');
    expect(parse('crm.sqlite#customers').yaml).toBe(
      '{ type: sqlite, path: data/crm.sqlite, table: customers }',
    );
  });

  it('never writes a database password into the configuration', () => {
    const pg = parse('postgres://app:s3cretpw@db.local/crm#public.customers');
    expect(pg.spec).toMatchObject({
      type: 'postgres',
      url: 'postgres://app:s3cretpw@db.local/crm',
      table: 'public.customers',
    });
    expect(pg.yaml).toBe('{ type: postgres, url: ${DATABASE_URL}, table: public.customers }');
    expect(pg.notes.join(' ')).toContain('DATABASE_URL');
    expect(parse('postgres://db.local/crm#t').yaml).toContain('url: postgres://db.local/crm');
  });

  it('asks for the table of a database and refuses unknown kinds, without echoing a password', () => {
    expect(() => parse('crm.sqlite')).toThrow(/name the table after #/);
    expect(() => parse('postgres://u:pw123456@h/db')).toThrow(/name the table/);
    expect(() => parse('data.parquet')).toThrow(/give a \.csv, \.jsonl/);
    expect(() => parse('data.xlsx')).toThrow(/spreadsheet workbook.*"CSV UTF-8"/);
    expect(() => parse('Contacts.ODS')).toThrow(/spreadsheet workbook/);
    try {
      parse('postgres://u:pw123456@h/db');
    } catch (error) {
      expect((error as Error).message).not.toContain('pw123456');
    }
  });
});

describe('redactUrl', () => {
  it('hides the password of every URL in a text', () => {
    expect(redactUrl('connect postgres://a:b@h/x and mysql://c:d@e/y failed')).toBe(
      'connect postgres://a:***@h/x and mysql://c:***@e/y failed',
    );
    expect(redactUrl('postgres://h/x')).toBe('postgres://h/x');
  });
});
