/**
 * Emulator benchmark (issue 2, "Done when"): simple queries per second over HTTP with 10,000 records
 * per entity, and the emulator's memory with 100,000 records per entity.
 *
 *   node --import tsx bench/emulator-throughput.ts [--seconds 5] [--clients 32] [--records 10000] [--big 100000]
 *
 * `--dist` runs the built CLI (`npm run build` first; `autotask-sync emulator --json`) with plain node,
 * which is how the product ships: memory then comes from /proc without a forced GC.
 * Wall-clock queries/s depend on what else the machine runs; "queries per CPU-second" (queries served
 * divided by the CPU time the emulator process used meanwhile) is what one dedicated core would serve:
 * at least 2,500 (under 0.4 ms of CPU per query) so that 2,000 queries/s hold on a quiet machine.
 * `--profile-dir DIR` writes a CPU profile of the 10k-record emulator (open it in Chrome DevTools).
 *
 * "Records per entity" is the generator's N: N companies, about 2N contacts and N/2 opportunities.
 * The memory figures include Node, tsx (which transpiles the TypeScript at load) and the code; the
 * baseline row is the same child with no generated records.
 *
 * The emulator runs in a child process (this same file with `--serve N`), so the load generator does
 * not share its event loop and the memory figure is the emulator's alone. Limits are opened wide
 * (the bench measures the emulator, not Autotask's throttling).
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { createEmulator } from '../src/emulator/index.js';

interface ServeReport {
  url: string;
  credentials: { userName: string; secret: string; integrationCode: string };
  seedMs: number;
  rssBytes: number;
  heapUsedBytes: number;
  counts: Record<string, number>;
  samples: { companyIds: number[]; companyNames: string[]; contactEmails: string[] };
}

const SAMPLE_SIZE = 2000;

function pick<T>(values: T[], n: number): T[] {
  if (values.length <= n) return values;
  const step = values.length / n;
  return Array.from({ length: n }, (_, i) => values[Math.floor(i * step)]!);
}

/** Child: start the emulator with `records`, print one JSON line, serve until stdin closes. */
async function serve(records: number): Promise<void> {
  const started = performance.now();
  const emulator = createEmulator({
    seed: 'empty',
    records,
    randomSeed: 1,
    hourlyLimit: 1_000_000_000,
    threadLimit: 100_000,
    latency: { baseMs: 0, at50PercentMs: 0, at75PercentMs: 0 },
  });
  const seedMs = performance.now() - started;
  const { url } = await emulator.listen({ port: 0 });
  const companyIds: number[] = [];
  const companyNames: string[] = [];
  for (const c of emulator.tenant.tables.Companies.scan()) {
    companyIds.push(c.id);
    const name = c.values['companyName'];
    if (typeof name === 'string') companyNames.push(name);
  }
  const contactEmails: string[] = [];
  for (const c of emulator.tenant.tables.Contacts.scan()) {
    const email = c.values['emailAddress'];
    if (typeof email === 'string') contactEmails.push(email);
  }
  const counts: Record<string, number> = {};
  for (const [entity, table] of Object.entries(emulator.tenant.tables)) counts[entity] = table.size();
  (globalThis as { gc?: () => void }).gc?.();
  const memory = process.memoryUsage();
  const report: ServeReport = {
    url,
    credentials: { ...emulator.credentials },
    seedMs,
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    counts,
    samples: {
      companyIds: pick(companyIds, SAMPLE_SIZE),
      companyNames: pick(companyNames, SAMPLE_SIZE),
      contactEmails: pick(contactEmails, SAMPLE_SIZE),
    },
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  // each line on stdin asks for a fresh memory reading; the end of stdin stops the emulator
  const commands = createInterface({ input: process.stdin });
  commands.on('line', () => {
    const cpu = process.cpuUsage();
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    const probe: Probe = { rssBytes: m.rss, heapUsedBytes: m.heapUsed, cpuMicros: cpu.user + cpu.system };
    process.stdout.write(`${JSON.stringify(probe)}\n`);
  });
  commands.on('close', () => void emulator.close().then(() => process.exit(0)));
}

/** Parent: spawn a child emulator and wait for its report. */
/** A reading of the emulator child. */
interface Probe {
  rssBytes: number;
  heapUsedBytes: number;
  /** CPU time used so far (user + system). */
  cpuMicros: number;
}

interface Child {
  report: ServeReport;
  /** Asks the child for its memory (after a GC when possible) and the CPU time it has used. */
  probe(): Promise<Probe>;
  stop(): Promise<void>;
}

async function startChild(records: number, profileDir?: string): Promise<Child> {
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(
    process.execPath,
    [
      ...profile,
      '--expose-gc',
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      '--serve',
      String(records),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout });
  const report = await new Promise<ServeReport>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`emulator child exited with ${code}`)));
    lines.once('line', (line) => resolve(JSON.parse(line) as ServeReport));
  });
  const probe = (): Promise<Probe> =>
    new Promise((resolve) => {
      lines.once('line', (line) => resolve(JSON.parse(line) as Probe));
      child.stdin.write('probe\n');
    });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      child.removeAllListeners('exit');
      child.once('exit', () => resolve());
      child.stdin.end();
      setTimeout(() => child.kill('SIGTERM'), 5000).unref();
    });
  return { report, probe, stop };
}

/** CPU time (user + system) of a process from /proc (Linux), in microseconds (CLK_TCK = 100). */
async function procCpuMicros(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

/** RSS of a process from /proc (Linux), in bytes. */
async function procRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb) * 1024;
}

/** First `n` values of `field` of `entity`, read through the API (for the --dist child). */
async function sampleField(
  report: Pick<ServeReport, 'url' | 'credentials'>,
  entity: string,
  field: string,
  n: number,
): Promise<unknown[]> {
  const headers = {
    ApiIntegrationCode: report.credentials.integrationCode,
    UserName: report.credentials.userName,
    Secret: report.credentials.secret,
    'Content-Type': 'application/json',
  };
  const body = JSON.stringify({ filter: [{ op: 'exist', field }], IncludeFields: [field] });
  const out: unknown[] = [];
  let url: string | null = `${report.url}V1.0/${entity}/query`;
  while (url && out.length < n) {
    const response = await fetch(url, { method: 'POST', headers, body });
    const page = (await response.json()) as {
      items: Record<string, unknown>[];
      pageDetails: { nextPageUrl: string | null };
    };
    for (const item of page.items) out.push(item[field]);
    url = page.pageDetails.nextPageUrl;
  }
  return out.slice(0, n);
}

/**
 * Child running the built CLI (`npm run build` first): `autotask-sync emulator --json`, as shipped,
 * without tsx. Samples come through the API; memory from /proc (no forced GC).
 */
async function startDistChild(records: number): Promise<Child> {
  const bin = fileURLToPath(new URL('../bin/autotask-sync.js', import.meta.url));
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      bin,
      'emulator',
      '--json',
      '--port',
      '0',
      '--seed',
      'empty',
      '--records',
      String(records),
      '--hourly-limit',
      '1000000000',
      '--thread-limit',
      '100000',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout });
  const startup = await new Promise<{
    url: string;
    userName: string;
    secret: string;
    integrationCode: string;
  }>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`emulator CLI exited with ${code} (did you npm run build?)`)),
    );
    lines.once('line', (line) =>
      resolve(JSON.parse(line) as { url: string; userName: string; secret: string; integrationCode: string }),
    );
  });
  const seedMs = performance.now() - started;
  const pid = child.pid ?? 0;
  const base = {
    url: startup.url,
    credentials: {
      userName: startup.userName,
      secret: startup.secret,
      integrationCode: startup.integrationCode,
    },
  };
  const rssBytes = await procRss(pid);
  const report: ServeReport = {
    ...base,
    seedMs,
    rssBytes,
    heapUsedBytes: Number.NaN,
    counts: {},
    samples: {
      companyIds: (await sampleField(base, 'Companies', 'id', SAMPLE_SIZE)) as number[],
      companyNames: (await sampleField(base, 'Companies', 'companyName', SAMPLE_SIZE)) as string[],
      contactEmails: (await sampleField(base, 'Contacts', 'emailAddress', SAMPLE_SIZE)) as string[],
    },
  };
  const probe = async (): Promise<Probe> => ({
    rssBytes: await procRss(pid),
    heapUsedBytes: Number.NaN,
    cpuMicros: await procCpuMicros(pid),
  });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      child.removeAllListeners('exit');
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    });
  return { report, probe, stop };
}

interface LoadResult {
  queries: number;
  errors: number;
  seconds: number;
  latenciesMs: number[];
  byShape: Record<string, number>;
}

async function runLoad(report: ServeReport, seconds: number, clients: number): Promise<LoadResult> {
  const headers = {
    ApiIntegrationCode: report.credentials.integrationCode,
    UserName: report.credentials.userName,
    Secret: report.credentials.secret,
    'Content-Type': 'application/json',
  };
  const { companyIds, companyNames, contactEmails } = report.samples;
  const shapes: { name: string; path: string; body: (i: number) => unknown }[] = [
    {
      name: 'Companies by id',
      path: 'V1.0/Companies/query',
      body: (i) => ({ filter: [{ op: 'eq', field: 'id', value: companyIds[i % companyIds.length] }] }),
    },
    {
      name: 'Contacts by email',
      path: 'V1.0/Contacts/query',
      body: (i) => ({
        filter: [{ op: 'eq', field: 'emailAddress', value: contactEmails[i % contactEmails.length] }],
      }),
    },
    {
      name: 'Companies by name',
      path: 'V1.0/Companies/query',
      body: (i) => ({
        filter: [{ op: 'eq', field: 'companyName', value: companyNames[i % companyNames.length] }],
      }),
    },
  ];
  const result: LoadResult = { queries: 0, errors: 0, seconds, latenciesMs: [], byShape: {} };
  const deadline = performance.now() + seconds * 1000;
  // node:http with keep-alive rather than fetch: a lean client leaves the CPU to the emulator.
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const target = new URL(report.url);
  const post = (path: string, body: string): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const req = request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: 'POST',
          path: `${target.pathname}${path}`,
          headers: { ...headers, 'Content-Length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  let next = 0;
  const client = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const i = next++;
      const shape = shapes[i % shapes.length]!;
      const started = performance.now();
      const response = await post(shape.path, JSON.stringify(shape.body(Math.floor(i / shapes.length))));
      result.latenciesMs.push(performance.now() - started);
      const body = JSON.parse(response.text) as { items?: unknown[] };
      if (response.status !== 200 || !Array.isArray(body.items) || body.items.length === 0) result.errors++;
      result.queries++;
      result.byShape[shape.name] = (result.byShape[shape.name] ?? 0) + 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, client));
  result.seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return result;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function table(rows: [string, string, string, string][]): string {
  const header: [string, string, string, string] = ['measure', 'figure', 'target', 'ok'];
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
  const line = (r: string[]): string => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      serve: { type: 'string' },
      seconds: { type: 'string', default: '5' },
      clients: { type: 'string', default: '32' },
      records: { type: 'string', default: '10000' },
      big: { type: 'string', default: '100000' },
      /** Write a CPU profile of the 10k-record emulator child to this directory (for digging). */
      'profile-dir': { type: 'string' },
      /** Run the built CLI (`npm run build`) with plain node instead of this file under tsx. */
      dist: { type: 'boolean', default: false },
    },
  });
  if (values.serve !== undefined) {
    await serve(Number(values.serve));
    return;
  }
  const seconds = Number(values.seconds);
  const clients = Number(values.clients);
  const records = Number(values.records);
  const big = Number(values.big);
  const start = (n: number, profileDir?: string): Promise<Child> =>
    values.dist ? startDistChild(n) : startChild(n, profileDir);
  const gcNote = values.dist ? '' : ', after GC';
  console.log(
    values.dist ? 'Emulator: built CLI (dist/), plain node.' : 'Emulator: TypeScript sources under tsx.',
  );

  console.log(`Starting the emulator with ${records} records per entity (child process)...`);
  const small = await start(records, values['profile-dir']);
  await runLoad(small.report, 0.5, clients); // warm-up (JIT, connections)
  console.log(`Querying for ${seconds} s from ${clients} concurrent clients...`);
  const cpuBefore = await small.probe();
  const load = await runLoad(small.report, seconds, clients);
  const cpuAfter = await small.probe();
  const cpuSeconds = (cpuAfter.cpuMicros - cpuBefore.cpuMicros) / 1e6;
  const perCpuSecond = load.queries / cpuSeconds;
  await small.stop();
  const qps = load.queries / load.seconds;
  const sorted = [...load.latenciesMs].sort((a, b) => a - b);

  console.log('Starting an emulator with no generated records (baseline memory of Node + tsx + code)...');
  const empty = await start(0);
  await runLoad(empty.report, 1, 4);
  const baseline = await empty.probe();
  await empty.stop();
  const baselineMb = baseline.rssBytes / 1024 / 1024;

  console.log(`Starting the emulator with ${big} records per entity (child process) for memory...`);
  const large = await start(big);
  const afterLoad = await runLoad(large.report, 2, clients); // memory of a server that has served
  const served = await large.probe();
  await large.stop();
  const rssMb = large.report.rssBytes / 1024 / 1024;
  const servedRssMb = served.rssBytes / 1024 / 1024;
  const bigQps = afterLoad.queries / afterLoad.seconds;

  console.log('');
  console.log(
    table([
      [
        `simple queries/s (${records}/entity, ${clients} clients, ${load.seconds.toFixed(1)} s)`,
        qps.toFixed(0),
        '>= 2000',
        qps >= 2000 ? 'yes' : 'NO',
      ],
      [
        'queries per CPU-second of the emulator (one dedicated core)',
        perCpuSecond.toFixed(0),
        '>= 2500',
        perCpuSecond >= 2500 ? 'yes' : 'NO',
      ],
      ['emulator CPU per query (ms)', (1000 / perCpuSecond).toFixed(3), '< 0.4', ''],
      [
        'latency p50 / p99 (ms)',
        `${percentile(sorted, 50).toFixed(1)} / ${percentile(sorted, 99).toFixed(1)}`,
        '-',
        '',
      ],
      ['failed or empty answers', String(load.errors), '0', load.errors === 0 ? 'yes' : 'NO'],
      [`seed time (${records}/entity)`, `${(small.report.seedMs / 1000).toFixed(2)} s`, '-', ''],
      [`seed time (${big}/entity)`, `${(large.report.seedMs / 1000).toFixed(2)} s`, '-', ''],
      [
        `RSS after seeding (${big}/entity${gcNote})`,
        `${rssMb.toFixed(0)} MB`,
        '< 300 MB',
        rssMb < 300 ? 'yes' : 'NO',
      ],
      [
        `RSS after 2 s of queries (${big}/entity${gcNote})`,
        `${servedRssMb.toFixed(0)} MB`,
        '< 300 MB',
        servedRssMb < 300 ? 'yes' : 'NO',
      ],
      ['RSS of an emulator without generated records (baseline)', `${baselineMb.toFixed(0)} MB`, '-', ''],
      [`RSS above the baseline (${big}/entity)`, `${(servedRssMb - baselineMb).toFixed(0)} MB`, '-', ''],
      ...(values.dist
        ? []
        : [
            [
              'heap used after seeding',
              `${(large.report.heapUsedBytes / 1024 / 1024).toFixed(0)} MB`,
              '-',
              '',
            ] as [string, string, string, string],
          ]),
      [`simple queries/s (${big}/entity)`, bigQps.toFixed(0), '-', ''],
    ]),
  );
  console.log('');
  console.log(
    `records: ${JSON.stringify(large.report.counts)}; queries by shape: ${JSON.stringify(load.byShape)}`,
  );
}

await main();
