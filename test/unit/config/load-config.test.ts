import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { loadConfig, parseConfig, RESOURCE_READ_ONLY_MESSAGE } from '../../../src/config/index.js';
import type { ConfigIssue } from '../../../src/config/index.js';
import { ConfigError } from '../../../src/shared/errors.js';

const root = mkdtempSync(join(tmpdir(), 'load-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirNo = 0;

/** Writes `files` into a fresh folder; returns the folder. */
function folder(files: Record<string, string>): string {
  const dir = join(root, `d${++dirNo}`);
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

function issuesOf(fn: () => unknown): ConfigIssue[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues as ConfigIssue[];
  }
  throw new Error('expected a ConfigError');
}

const minimal = `version: 1
syncs:
  - name: companies
    object: Account
    source: { type: csv, path: data/companies.csv }
    fields:
      companyName: Name
`;

describe('loadConfig', () => {
  it('loads a configuration: defaults, aliases resolved, paths against the config folder', () => {
    const dir = folder({ 'conf/sync.yaml': minimal });
    const { config, warnings } = loadConfig('conf/sync.yaml', { cwd: dir, env: {} });
    expect(warnings).toEqual([]);
    expect(config.file).toBe(join(dir, 'conf/sync.yaml'));
    expect(config.state).toBe(join(dir, 'conf/.autotask-sync/state.sqlite'));
    expect(config.autotask.budget.share).toBe(0.5);
    expect(config.autotask.requests).toEqual({ timeoutSeconds: 120, maxRetries: 4 });
    expect(config.syncs).toEqual([
      {
        name: 'companies',
        object: 'Company',
        mode: 'upsert',
        source: {
          type: 'csv',
          path: join(dir, 'conf/data/companies.csv'),
          delimiter: 'auto',
          encoding: 'auto',
          quote: '"',
        },
        fields: { companyName: 'Name' },
      },
    ]);
    expect(config.exports).toEqual([]);
  });

  it('loads every source and destination kind, exports with Owner → Resource', () => {
    const dir = folder({
      'sync.yaml': `version: 1
state: /var/lib/ats/state.sqlite
syncs:
  - name: a
    object: Contact
    source: { type: jsonl, path: ~/in/a.jsonl, flatten: false }
    mode: create
    key: [emailAddress]
    where: { column: Status, notIn: [inactive] }
    fields: { emailAddress: Email, isActive: { default: 1 } }
  - name: b
    object: Opportunity
    source: { type: sqlite, path: crm.db, query: "SELECT * FROM deals", key: [id] }
    fields: { title: Name }
  - name: c
    object: Company
    source: { type: postgres, url: "postgres://reader@db/crm", table: crm.companies, batchSize: 500 }
    fields: { companyName: { template: "{Name} ({City})" } }
exports:
  - { name: owners, object: Owner, destination: { type: sqlite, path: out.db, table: resources } }
  - { name: pg, object: Contact, incremental: true, destination: { type: postgres, url: "postgres://w@db/x", table: out.contacts } }
`,
    });
    const { config } = loadConfig(join(dir, 'sync.yaml'), { env: { HOME: '/home/ops' } });
    expect(config.state).toBe('/var/lib/ats/state.sqlite');
    expect(config.syncs[0]?.source).toMatchObject({ path: '/home/ops/in/a.jsonl' });
    expect(config.syncs.map((s) => [s.object, s.source.type, s.mode])).toEqual([
      ['Contact', 'jsonl', 'create'],
      ['Opportunity', 'sqlite', 'upsert'],
      ['Company', 'postgres', 'upsert'],
    ]);
    expect(config.syncs[1]?.source).toEqual({
      type: 'sqlite',
      path: join(dir, 'crm.db'),
      query: 'SELECT * FROM deals',
      key: ['id'],
    });
    expect(config.syncs[2]?.source).toMatchObject({ url: 'postgres://reader@db/crm', batchSize: 500 });
    expect(config.exports.map((e) => [e.object, e.incremental])).toEqual([
      ['Resource', false],
      ['Contact', true],
    ]);
    expect(config.exports[0]?.destination).toEqual({
      type: 'sqlite',
      path: join(dir, 'out.db'),
      table: 'resources',
    });
  });

  it('reports every problem at once, with path, YAML line:column and "did you mean"', () => {
    const dir = folder({
      'sync.yaml': `version: 1
autotask:
  budgte: { share: 0.4 }
syncs:
  - name: companies
    object: Compnay
    source: { type: cvs, path: companies.csv }
    mode: upsrt
    fields:
      phone: { colum: Phone }
  - name: companies
    object: Resource
    source: { type: sqlite, path: x.db }
    fields: { x: 1 }
`,
    });
    const issues = issuesOf(() => loadConfig('sync.yaml', { cwd: dir, env: {} }));
    expect(issues.map((i) => [i.path, i.line, i.column])).toEqual([
      ['autotask.budgte', 3, 3],
      ['syncs[0].object', 6, 13],
      ['syncs[0].source.type', 7, 21],
      ['syncs[0].mode', 8, 11],
      ['syncs[0].fields.phone', 10, 14],
      ['syncs[0].fields.phone.colum', 10, 16],
      ['syncs[1].name', 11, 11],
      ['syncs[1].object', 12, 13],
      ['syncs[1].source.table', 13, 13],
      ['syncs[1].fields.x', 14, 18],
    ]);
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    expect(byPath['autotask.budgte']).toBe(
      'unknown setting "budgte": did you mean "budget"? (sync.yaml:3:3)',
    );
    expect(byPath['syncs[0].object']).toMatch(
      /must be one of Company, Account, Contact, Opportunity: did you mean "Company"\?/,
    );
    expect(byPath['syncs[0].source.type']).toMatch(/did you mean "csv"\?/);
    expect(byPath['syncs[0].mode']).toMatch(/did you mean "upsert"\?/);
    expect(byPath['syncs[0].fields.phone.colum']).toMatch(/did you mean "column"\?/);
    expect(byPath['syncs[1].name']).toMatch(/already used by syncs\[0\]/);
    expect(byPath['syncs[1].object']).toBe(`${RESOURCE_READ_ONLY_MESSAGE} (sync.yaml:12:13)`);
    expect(byPath['syncs[1].source.table']).toMatch(/give either `table: <name>` or `query: SELECT \.\.\.`/);
    expect(byPath['syncs[1].fields.x']).toMatch(/expected text or a mapping \(key: value\), got a number/);
  });

  it('checks CSV quote against delimiter, and table/query exclusivity', () => {
    const issues = issuesOf(() =>
      parseConfig(
        `version: 1\nsyncs:\n  - { name: a, object: Company, source: { type: csv, path: a.csv, delimiter: "'", quote: "'" }, fields: { a: b } }\n  - { name: b, object: Company, source: { type: postgres, url: "postgres://h/d", table: t, query: "SELECT 1" }, fields: { a: b } }\n`,
        { file: '/c.yaml', env: {} },
      ),
    );
    expect(issues.map((i) => [i.path, i.message.replace(/ \(.*\)$/, '')])).toEqual([
      ['syncs[0].source.quote', 'the quote character must differ from the delimiter'],
      ['syncs[1].source.query', 'give either `table` or `query`, not both'],
    ]);
  });

  it('says what is missing, and that the version must be 1', () => {
    const issues = issuesOf(() =>
      parseConfig('version: 2\nsyncs:\n  - name: x\n', { file: '/x/sync.yaml', env: {} }),
    );
    expect(issues.map((i) => `${i.path}: ${i.message}`)).toEqual([
      'version: must be 1 (/x/sync.yaml:1:10)',
      'syncs[0].object: missing: give one of Company, Account, Contact, Opportunity (/x/sync.yaml:3:5)',
      'syncs[0].source: missing: this setting is required (a mapping (key: value)) (/x/sync.yaml:3:5)',
      'syncs[0].fields: missing: this setting is required (a mapping (key: value)) (/x/sync.yaml:3:5)',
    ]);
  });

  it('supports YAML anchors and merge keys, with top-level x- keys to hold shared parts', () => {
    const { config } = parseConfig(
      `version: 1
x-csv: &csv { type: csv, delimiter: ";" }
syncs:
  - name: a
    object: Company
    source: { <<: *csv, path: a.csv }
    fields: &fields { companyName: Name }
  - name: b
    object: Company
    source: { <<: *csv, path: b.csv }
    fields: *fields
`,
      { file: '/c/sync.yaml', env: {} },
    );
    expect(config.syncs[1]?.source).toMatchObject({ type: 'csv', delimiter: ';', path: '/c/b.csv' });
  });

  it('reports YAML syntax errors and duplicate keys with their line', () => {
    const broken = issuesOf(() =>
      parseConfig('version: 1\nsyncs: [\n  { name: a\n', { file: '/c.yaml', env: {} }),
    );
    expect(broken[0]?.path).toBe('(yaml)');
    expect(broken[0]?.line).toBeGreaterThanOrEqual(2);
    const dup = issuesOf(() => parseConfig('version: 1\nstate: a\nstate: b\n', { file: '/c.yaml', env: {} }));
    expect(dup[0]).toMatchObject({ line: 3, message: expect.stringMatching(/unique/i) as unknown });
  });

  it('rejects an empty file, a file that is not a mapping, and a missing file, saying what to do', () => {
    expect(() => parseConfig('', { file: '/c.yaml', env: {} })).toThrow(
      /is empty: start from `autotask-sync init`/,
    );
    expect(() => parseConfig('- a\n- b\n', { file: '/c.yaml', env: {} })).toThrow(
      /must be a mapping of settings/,
    );
    expect(() => loadConfig('nope.yaml', { cwd: root, env: {} })).toThrow(
      /configuration file not found: nope\.yaml/,
    );
  });

  it('expands ${VAR}, ${VAR:-default} and $${ in values only, and reports unset variables at their setting', () => {
    const text = `version: 1
state: \${STATE_DIR}/state.sqlite
syncs:
  - name: \${NAME:-companies}
    object: Company
    source: { type: postgres, url: "\${DATABASE_URL}", query: "SELECT '$\${x}' AS v" }
    fields: { companyName: Name }
`;
    const { config } = parseConfig(text, {
      file: '/etc/ats/sync.yaml',
      env: { STATE_DIR: '/data', DATABASE_URL: 'postgres://u@h/db' },
    });
    expect(config.state).toBe('/data/state.sqlite');
    expect(config.syncs[0]?.name).toBe('companies');
    expect(config.syncs[0]?.source).toMatchObject({ url: 'postgres://u@h/db', query: "SELECT '${x}' AS v" });
    const issues = issuesOf(() => parseConfig(text, { file: '/etc/ats/sync.yaml', env: {} }));
    expect(issues.map((i) => [i.path, i.line])).toEqual([
      ['state', 2],
      ['syncs[0].source.url', 6],
    ]);
    expect(issues[0]?.message).toMatch(
      /environment variable STATE_DIR is not set: set it, add it to a \.env file/,
    );
  });

  it('reads .env beside the config and in the working folder; real variables win, then the config folder', () => {
    const cwd = folder({ '.env': 'A=from-cwd\nB=from-cwd\nC=from-cwd\n' });
    const conf = folder({
      '.env': 'B=from-config-dir\nC=from-config-dir\n',
      'sync.yaml': 'version: 1\nstate: ${A}-${B}-${C}\n',
    });
    const { config, env, envFiles } = loadConfig(join(conf, 'sync.yaml'), { cwd, env: { C: 'real' } });
    expect(config.state).toBe(join(conf, 'from-cwd-from-config-dir-real'));
    expect(env['B']).toBe('from-config-dir');
    expect(envFiles).toEqual([join(conf, '.env'), join(cwd, '.env')]);
    const without = loadConfig(join(conf, 'sync.yaml'), {
      cwd,
      env: { A: '1', B: '2', C: '3' },
      readEnvFiles: false,
    });
    expect(without.config.state).toBe(join(conf, '1-2-3'));
  });

  it('warns about secrets written inline, with their position, and never repeats them', () => {
    const text = `version: 1
autotask:
  token: dXNlcjpzM2NyZXRWYWx1ZQ==
  integrationCode: "\${AUTOTASK_INTEGRATION_CODE}"
  secret: \${AUTOTASK_SECRET:-hunter2hunter2}
syncs:
  - name: a
    object: Company
    source: { type: postgres, url: "postgres://app:Pa55word@db/crm", table: t }
    fields: { companyName: Name }
  - name: b
    object: Company
    source: { type: postgres, url: "postgres://app:\${PGPASSWORD}@db/crm", table: t }
    fields: { companyName: Name }
`;
    const { warnings } = parseConfig(text, {
      file: '/c/sync.yaml',
      env: { AUTOTASK_INTEGRATION_CODE: 'CODE', PGPASSWORD: 'x' },
    });
    expect(warnings.map((w) => [w.code, w.path, w.line])).toEqual([
      ['INLINE_SECRET', 'autotask.token', 3],
      ['INLINE_SECRET', 'autotask.secret', 5],
      ['INLINE_SECRET', 'syncs[0].source.url', 9],
    ]);
    expect(warnings[0]?.message).toMatch(
      /move it to the environment or a \.env file \(AUTOTASK_TOKEN=\.\.\.\)/,
    );
    const all = JSON.stringify(warnings);
    for (const secret of ['dXNlcjpzM2NyZXRWYWx1ZQ==', 'hunter2hunter2', 'Pa55word'])
      expect(all).not.toContain(secret);
  });

  it('never echoes a secret in error messages', () => {
    const secretToken = 'c2VjcmV0OnRva2VuMTIz';
    const error = (() => {
      try {
        parseConfig(
          `version: 1\nautotask:\n  token: ${secretToken}\n  budget: { share: 3 }\nsyncs:\n  - { name: "${secretToken}!", object: Company, source: { type: csv, path: a.csv }, fields: { a: b } }\n`,
          {
            file: '/c.yaml',
            env: { AUTOTASK_SECRET: 'env-secret-value' },
          },
        );
      } catch (e) {
        return e as ConfigError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.issues.map((i) => i.path)).toEqual(['autotask.budget.share', 'syncs[0].name']);
    expect(JSON.stringify(error?.toJSON())).not.toContain(secretToken);
    expect(error?.message).not.toContain(secretToken);
  });
});
