/**
 * Where a task runs: in a child process of its own (so its peak RSS and CPU are its own, as for a CLI
 * invocation) or in this process (the CI test). Scenarios take a `TaskRunner` and do not care which.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { runTask, type Task, type TaskResult } from './tasks.js';

export type TaskRunner = (task: Task) => Promise<TaskResult>;

export const inProcessRunner: TaskRunner = runTask;

/**
 * Runs each task in `node --import tsx task-worker.ts` (task on stdin), with extra node flags if given.
 * With `builtCode`, the product's modules are the compiled `dist/` (see `built-code-hook.mjs`): what the
 * `autotask-sync` command runs; the benchmark's own code still runs under tsx.
 */
export function childProcessRunner(
  nodeFlags: readonly string[] = [],
  options: { builtCode?: boolean } = {},
): TaskRunner {
  const entry = fileURLToPath(new URL('./task-worker.ts', import.meta.url));
  const hook = fileURLToPath(new URL('./built-code-hook.mjs', import.meta.url));
  const loaders = options.builtCode === true ? ['--import', hook, '--import', 'tsx'] : ['--import', 'tsx'];
  return (task) =>
    new Promise<TaskResult>((resolve, reject) => {
      const child = spawn(process.execPath, [...nodeFlags, ...loaders, entry], {
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      child.stdin.end(JSON.stringify(task));
      let out = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => (out += chunk));
      child.once('error', reject);
      child.once('exit', (code) => {
        const last = out.trim().split('\n').at(-1) ?? '';
        try {
          if (code !== 0) throw new Error(`exit code ${code}`);
          resolve(JSON.parse(last) as TaskResult);
        } catch (error) {
          reject(
            new Error(
              `Benchmark task ${task.kind} failed (${(error as Error).message}). Output: ${out.slice(-2000)}`,
            ),
          );
        }
      });
    });
}
