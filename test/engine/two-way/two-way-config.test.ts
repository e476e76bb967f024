/** The twoWay: part of the configuration: defaults, aliases, paths, and the problems it reports. */
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { parseConfig } from '../../../src/config/load-config.js';
import { ConfigError } from '../../../src/shared/errors.js';

const parse = (text: string): ReturnType<typeof parseConfig> =>
  parseConfig(text, { file: '/srv/sync/autotask-sync.yaml', env: { DB: 'postgres://app@db/crm' } });

describe('twoWay configuration', () => {
  it('resolves aliases and paths and fills the defaults; one-way configs need no twoWay', () => {
    const { config } = parse(`
version: 1
twoWay:
  - name: accounts
    object: Account
    table: { type: sqlite, path: data/crm.sqlite, table: accounts, key: id }
    fields:
      companyName: name
      phone: { column: phone, systems: [sql], readOnly: [autotask], rule: most-recent }
  - name: people
    object: Contact
    table: { type: postgres, url: "\${DB}", table: crm.people, key: id, updatedAt: changed_at }
    fields:
      companyID: { column: account_id, ref: accounts }
`);
    expect(config.twoWay[0]).toMatchObject({
      object: 'Company',
      table: { path: '/srv/sync/data/crm.sqlite' },
      systems: ['autotask', 'sql'],
      rule: 'system-of-record',
      create: { autotask: true, sql: true },
      deletes: { policy: 'report', maxShare: 0.1 },
      overlapSeconds: 300,
      fullReadHours: 24,
    });
    expect(config.twoWay[1]?.table).toMatchObject({ url: 'postgres://app@db/crm' });
    expect(parse('version: 1\nsyncs: []\n').config.twoWay).toEqual([]);
  });

  it('reports unknown systems, repeated systems and a name used by a one-way sync, with their paths', () => {
    let error: unknown;
    try {
      parse(`
version: 1
syncs:
  - name: companies
    object: Company
    source: { type: csv, path: c.csv }
    fields: { companyName: Name }
twoWay:
  - name: companies
    object: Company
    table: { type: sqlite, path: crm.sqlite, table: companies, key: id }
    systems: [sql, sql]
    fields:
      phone: { column: phone, systems: [crm] }
`);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const paths = (error as ConfigError).issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['twoWay[0].name', 'twoWay[0].systems', 'twoWay[0].fields.phone.systems[0]']),
    );
  });

  it('the configuration in docs/recipes/postgres-two-way.md is valid', () => {
    const doc = readFileSync(new URL('../../../docs/recipes/postgres-two-way.md', import.meta.url), 'utf8');
    const main = /## 2\. The configuration\s+```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    const contacts = /## 6\. Contacts too[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(main).toBeDefined();
    // the contacts snippet is one more entry of the same twoWay: list
    const entry = contacts!.replace(/^(?=.)/gm, '  ');
    const { config, warnings } = parseConfig(`${main!}${entry}`, {
      file: '/srv/sync/autotask-sync.yaml',
      env: { CRM_DATABASE_URL: 'postgres://crm_sync@db.internal/crm' },
    });
    expect(warnings).toEqual([]);
    expect(config.twoWay.map((s) => s.name)).toEqual(['companies-db', 'contacts-db']);
    expect(config.twoWay[0]?.deletes).toEqual({
      policy: 'deactivate',
      maxShare: 0.1,
      activeColumn: 'active',
    });
  });
});
