/**
 * The built CLI, run as a subprocess the way users run it (`node bin/autotask-sync.js`). `ensureBuilt()`
 * compiles `src/` into `dist/` once when `dist/` is missing or older than a source file (CI builds
 * first, so it is a no-op there); a lock folder keeps parallel test files from building twice.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const BIN = join(REPO, 'bin', 'autotask-sync.js');
const MAIN = join(REPO, 'dist', 'cli', 'main.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function stale(): boolean {
  return mtime(MAIN) < newestSource(join(REPO, 'src'));
}

/** Builds `dist/` if it is missing or older than `src/` (set E2E_SKIP_BUILD=1 to trust it as is). */
export async function ensureBuilt(): Promise<void> {
  if (process.env['E2E_SKIP_BUILD'] === '1' || !stale()) return;
  const lock = join(tmpdir(), `autotask-sync-e2e-build-${Buffer.from(REPO).toString('hex').slice(-16)}.lock`);
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Another test file is building: wait for it (a lock older than 5 minutes is abandoned).
      if (Date.now() - mtime(lock) > 300_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 500));
      if (!stale()) return;
    }
  }
  try {
    if (!stale()) return;
    // Type errors elsewhere in a work-in-progress tree still emit JavaScript; only a missing file fails.
    spawnSync(
      process.execPath,
      [join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: REPO,
        stdio: 'ignore',
      },
    );
    if (mtime(MAIN) === 0) throw new Error('npm run build produced no dist/cli/main.js');
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout + stderr, for "no secret anywhere" assertions. */
  all: string;
}

export interface RunCliOptions {
  cwd: string;
  /** The child's whole environment (PATH and HOME are added). */
  env?: Record<string, string | undefined>;
  input?: string;
  /** @default 60000 */
  timeoutMs?: number;
  /** Program to run instead of the CLI (e.g. npm). */
  command?: { file: string; args: string[] };
}

/** Runs `autotask-sync ...args` and collects its output. */
export function runCli(args: readonly string[], options: RunCliOptions): Promise<CliResult> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries({
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    NO_COLOR: '1',
    ...options.env,
  }))
    if (v !== undefined) env[k] = v;
  const file = options.command?.file ?? process.execPath;
  const argv = options.command?.args ?? [BIN, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(file, argv, { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, all: stdout + stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** `init` from the three example CSVs in the working folder (companies, contacts, opportunities), accepting its proposals. */
export const INIT_EXAMPLES: readonly string[] = [
  'init',
  '--company',
  'companies.csv',
  '--contact',
  'contacts.csv',
  '--opportunity',
  'opportunities.csv',
  '--yes',
];

/** Parses the one JSON document a `--json` command prints on stdout. */
export function jsonOf(result: CliResult): Record<string, unknown> {
  const lines = result.stdout.trim().split('\n');
  if (lines.length !== 1)
    throw new Error(`expected one JSON line on stdout, got:\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(lines[0] ?? '') as Record<string, unknown>;
}
