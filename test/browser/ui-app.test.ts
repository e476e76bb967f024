/**
 * The web app in headless Chromium (Debian's, driven by playwright-core) against an emulator tenant on
 * loopback: connect, set up CSV → Companies + Contacts from scratch, fix a validation finding,
 * preview, run with live progress, look at the results and download the rejects; then a two-way sync
 * added in the YAML file is previewed (each side's writes, field sides) and run beside them. Saves a
 * screenshot of each page to docs/screenshots/.
 */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import Database from 'better-sqlite3';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { silentLogger } from '../../src/shared/logger.js';
import { startUiServer, type UiServer } from '../../src/ui/index.js';
import { openAsOtherProcess } from '../helpers/other-process-store.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
/** Screenshots go to docs/screenshots/ when UPDATE_SCREENSHOTS=1, otherwise to a temp folder (CI leaves the tree clean). */
const SCREENSHOTS =
  process.env['UPDATE_SCREENSHOTS'] === '1'
    ? resolve(import.meta.dirname, '../../docs/screenshots')
    : join(tmpdir(), 'autotask-sync-screenshots');
const OWNER_EMAIL = 'jordan.avery@emulator-msp.example';

describe.skipIf(!existsSync(CHROMIUM))('web app in a browser', () => {
  let emulator: Emulator;
  let emulatorUrl: string;
  let server: UiServer;
  let context: BrowserContext;
  let page: Page;
  let dir: string;
  let profile: string;
  const errors: string[] = [];

  beforeAll(async () => {
    emulator = createEmulator({ seed: 'empty' });
    emulatorUrl = (await emulator.listen({ port: 0 })).url;
    dir = mkdtempSync(join(tmpdir(), 'ui-browser-'));
    profile = mkdtempSync(join(tmpdir(), 'ui-chromium-'));
    writeFileSync(
      join(dir, 'companies.csv'),
      [
        'Name,Phone,Account Manager,City',
        `Acme Corporation,+1 555 0101,${OWNER_EMAIL},Springfield`,
        `Globex,+1 555 0102,${OWNER_EMAIL},Cypress Creek`,
        `Initech,+1 555 0103,${OWNER_EMAIL},Austin`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'contacts.csv'),
      [
        'Company,First Name,Apellido,Email',
        'Acme Corporation,Ada,Lovelace,ada@acme.example',
        'Globex,Hank,Scorpio,hank@globex.example',
        'Initech,Peter,Gibbons,not-an-email',
        '',
      ].join('\n'),
    );
    server = await startUiServer({
      configFile: 'sync.config.yaml',
      env: { HOME: dir },
      cwd: dir,
      logger: silentLogger,
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      viewport: { width: 1366, height: 900 },
      acceptDownloads: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    // nothing may come from the internet: fail any request that leaves loopback
    await context.route(/^(?!http:\/\/127\.0\.0\.1)/, (route) => route.abort());
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => errors.push(e.message));
  }, 60_000);

  afterAll(async () => {
    expect(errors).toEqual([]); // no script error on any page
    await context?.close();
    await server?.close();
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  });

  const shot = async (name: string): Promise<void> => {
    // pictures for the docs: without the passing status message, and without the temp folder's name
    await page.evaluate((folder) => {
      document.getElementById('toast')?.classList.remove('shown');
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n !== null; n = walker.nextNode())
        if (n.textContent?.includes(folder))
          n.textContent = n.textContent.replaceAll(folder, '/home/msp/autotask');
      for (const input of Array.from(document.querySelectorAll('input')))
        if (input.value.includes(folder)) input.value = input.value.replaceAll(folder, '/home/msp/autotask');
    }, dir);
    await page.waitForTimeout(300); // the status message fades out
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  };

  it('refuses the page without the token link', async () => {
    const res = await page.goto(`${server.origin}/`);
    expect(res?.status()).toBe(401);
    await expect.poll(() => page.locator('body').textContent()).toContain('access token');
  });

  it('connects: credentials stored, test connection shows zone, version and budget', async () => {
    await page.goto(server.link);
    expect(page.url()).toBe(`${server.origin}/`);
    await page.getByRole('heading', { name: 'Connection' }).waitFor();
    await page.getByLabel('REST zone URL (optional)').fill(emulatorUrl);
    await page.getByLabel('API user name').fill(emulator.credentials.userName);
    await page.getByLabel('Secret', { exact: true }).fill(emulator.credentials.secret);
    await page
      .getByLabel('Integration code (tracking identifier)')
      .fill(emulator.credentials.integrationCode);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('stored in .env').first().waitFor();
    expect(await page.getByLabel('Secret', { exact: true }).inputValue()).toBe('');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText(/✓ Connected to/).waitFor();
    expect(await page.locator('main').textContent()).not.toContain(emulator.credentials.secret);
    await expect.poll(() => page.locator('figure.gauge').textContent()).toContain('calls this hour');
    await shot('connection');
  });

  it('sets up companies from a CSV with proposed columns', async () => {
    await page.getByRole('link', { name: 'Mapping' }).click();
    await page.getByRole('heading', { name: 'New sync' }).waitFor();
    await page.getByLabel('File path').fill('companies.csv');
    await page.getByRole('button', { name: 'Read columns' }).click();
    await page.getByText('4 columns: Name, Phone, Account Manager, City').waitFor();
    const row = (target: string) => page.locator(`tr[data-target="${target}"]`);
    expect(await row('companyName').getByRole('combobox').first().inputValue()).toBe('Name');
    expect(await row('ownerResourceID').getByRole('combobox').first().inputValue()).toBe('Account Manager');
    expect(await row('companyType').getByLabel('companyType: default').inputValue()).toBe('Prospect');
    await page.locator('#check-summary', { hasText: 'No findings' }).waitFor();
    await page.getByRole('button', { name: 'Save to configuration' }).click();
    await page.getByRole('button', { name: 'companies (Company)' }).waitFor();
    const yaml = readFileSync(join(dir, 'sync.config.yaml'), 'utf8');
    expect(yaml).toContain('object: Company');
    expect(yaml).toContain('companyName: Name');
  });

  it('sets up contacts, shows the missing last name as a finding, and takes the fix', async () => {
    await page.getByRole('button', { name: '+ New sync' }).click();
    await expect.poll(() => page.getByLabel('Autotask object').inputValue()).toBe('Contact');
    await page.getByLabel('File path').fill('contacts.csv');
    await page.getByRole('button', { name: 'Read columns' }).click();
    await page.getByText('4 columns: Company, First Name, Apellido, Email').waitFor();
    await page.locator('#check-summary', { hasText: /1 error/ }).waitFor();
    await expect.poll(() => page.locator('.finding-list').textContent()).toContain('lastName');
    await expect
      .poll(() => page.locator('tr[data-target="lastName"]').getAttribute('class'))
      .toMatch(/has-error/);
    await shot('mapping-finding');
    await page.getByLabel('lastName: source column').selectOption('Apellido');
    await page.locator('#check-summary', { hasText: 'No findings' }).waitFor();
    await page.getByRole('button', { name: 'Save to configuration' }).click();
    await page.getByRole('button', { name: 'contacts (Contact)' }).waitFor();
    await shot('mapping');
    // the proposal's transform is kept and shown, though only the YAML file edits it
    expect(await page.locator('tr[data-target="emailAddress"] .transform').textContent()).toContain('trim');
    const yaml = readFileSync(join(dir, 'sync.config.yaml'), 'utf8');
    expect(yaml).toMatch(/lastName: Apellido/);
  });

  it('previews the plan: counts, invalid row with reason, cost against the budget', async () => {
    await page.getByRole('link', { name: 'Plan & run' }).click();
    await page.getByRole('button', { name: 'Preview plan' }).click();
    await page.locator('#plan-cost').waitFor();
    await expect.poll(() => page.locator('#plan-cost').textContent()).toContain('API calls');
    const totals = page.locator('table.counts tfoot');
    await expect.poll(() => totals.textContent()).toContain('5'); // 3 companies + 2 contacts created
    await expect.poll(() => page.locator('table.outcomes').textContent()).toContain('invalid');
    await expect.poll(() => page.locator('table.outcomes').textContent()).toContain('not-an-email');
    await shot('plan');
  });

  it('runs with live progress and shows the outcome', async () => {
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.locator('#run-result').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.locator('#run-result').textContent()).toContain('5 created');
    await expect.poll(() => page.locator('#run-result').textContent()).toContain('1 invalid');
    const progress = await page
      .locator('progress')
      .first()
      .evaluate((el: HTMLProgressElement) => [el.value, el.max]);
    expect(progress[0]).toBe(progress[1]);
    await shot('run');
  });

  it('browses the run: charts, ledger searchable by key, rejects CSV', async () => {
    await page.getByRole('link', { name: 'See this run’s records and rejects' }).click();
    await page.getByRole('heading', { name: /Run #\d+ \(run, partial\)/ }).waitFor();
    expect(await page.locator('svg.chart').first().isVisible()).toBe(true);
    await page.getByLabel('Search by key').fill('hank');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.locator('table.ledger tbody tr').count()).toBe(1);
    await expect.poll(() => page.locator('table.ledger tbody').textContent()).toContain('created');
    await page.getByLabel('Search by key').fill('');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.locator('table.ledger tbody tr').count()).toBe(6);
    await shot('runs');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#download-rejects').click(),
    ]);
    const file = await download.path();
    const csv = readFileSync(file, 'utf8');
    expect(csv).toContain('not-an-email');
    expect(csv.split('\n')[0]).toContain('_reason');
  });

  it('plans and runs a two-way sync added in the YAML file, and lists its run with each side’s writes', async () => {
    const db = new Database(join(dir, 'crm.sqlite'));
    db.exec(`CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT, phone TEXT, changed TEXT);
      INSERT INTO accounts (name, phone, changed) VALUES ('Umbrella', '+1 555 0199', '2026-01-01 00:00:00');`);
    db.close();
    appendFileSync(
      join(dir, 'sync.config.yaml'),
      `twoWay:
  - name: accounts-db
    object: Company
    table: { type: sqlite, path: crm.sqlite, table: accounts, key: id, updatedAt: changed }
    systems: [sql, autotask]
    autotaskDefaults: { companyType: 1, ownerResourceID: 29682885 }
    fields:
      companyName: name
      phone: phone
`,
    );
    // settings the page shows read-only: a key and a row filter written in the YAML file
    const yaml = readFileSync(join(dir, 'sync.config.yaml'), 'utf8');
    writeFileSync(
      join(dir, 'sync.config.yaml'),
      yaml.replace(
        /^( *)- name: companies\n/m,
        (line, indent: string) =>
          `${line}${indent}  key: [companyName]\n${indent}  where: { column: City, ne: Austin }\n`,
      ),
    );
    await page.getByRole('link', { name: 'Mapping' }).click();
    await expect.poll(() => page.locator('#two-way-syncs').textContent()).toContain('accounts-db');
    await expect.poll(() => page.locator('#sync-key').textContent()).toBe('[companyName]');
    expect(await page.locator('#sync-where').textContent()).toBe('City is not Austin');
    await page.getByRole('link', { name: 'Plan & run' }).click();
    await page.getByRole('button', { name: 'Preview plan' }).click();
    const sides = page.locator('table.sides tr[data-sync="accounts-db"]');
    await expect.poll(() => sides.locator('.side-autotask').textContent()).toBe('+1 ~0 −0');
    await expect.poll(() => page.locator('table.outcomes').textContent()).toContain('Autotask companyName');
    await shot('plan-two-way');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.locator('#run-result').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.locator('#run-h').textContent()).toMatch(/Run \d+ \+ \d+: partial/); // the contacts' invalid email again
    const bar = await page
      .locator('progress#p-accounts-db')
      .evaluate((el: HTMLProgressElement) => [el.value, el.max]);
    expect(bar[0]).toBe(bar[1]);
    expect(bar[1]).toBeGreaterThan(1); // every record of the two-way sync has its outcome
    await page.getByRole('link', { name: /two-way syncs/ }).click();
    await page.getByRole('heading', { name: /Run #\d+ \(run, succeeded\)/ }).waitFor();
    await expect.poll(() => page.locator('#run-sides').textContent()).toContain('Autotask +1 ~0 −0');
    await expect.poll(() => page.locator('table').nth(0).textContent()).toContain('run ⇄ two-way');
    await shot('runs-two-way');
  });

  it('says which process holds the run lock, and refuses Run while it does', async () => {
    const other = openAsOtherProcess(join(dir, '.autotask-sync', 'state.sqlite'));
    try {
      other.acquireRunLock({ command: 'run --watch' });
      await page.getByRole('link', { name: 'Runs' }).click();
      await expect
        .poll(() => page.locator('#lock-held').textContent())
        .toContain('run --watch (pid 4242 on host sync-01)');
      await page.getByRole('link', { name: 'Plan & run' }).click();
      await expect.poll(() => page.locator('#lock-held').textContent()).toContain('run --watch');
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await expect
        .poll(() => page.locator('#lock-held[role="alert"]').textContent())
        .toContain('Nothing was started');
    } finally {
      other.close();
    }
  });

  it('works on a laptop-sized screen with the keyboard', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    await page.goto(`${server.origin}/#/connection`);
    await page.reload(); // a fresh load: nothing focused yet
    await page.getByRole('heading', { name: 'Connection' }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').textContent()).toBe('Skip to content');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
    expect(overflow).toBe(false);
    // the navigation is reachable and usable with the keyboard alone
    await page.getByRole('link', { name: 'Runs' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Runs', exact: true }).waitFor();
    expect(await page.getByRole('link', { name: 'Runs' }).getAttribute('aria-current')).toBe('page');
  });
});
