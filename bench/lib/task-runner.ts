/**
 * Where a task runs: in a child process of its own (so its peak RSS and CPU are its own, as for a CLI
 * invocation) or in this process (the CI test). Scenarios take a `TaskRunner` and do not care which.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { runTask, type Task, type TaskResult } from './tasks.js';

export type TaskRunner = (task: Task) => Promise<TaskResult>;

export const inProcessRunner: TaskRunner = runTask;

/** Runs each task in `node --import tsx task-worker.ts` (task on stdin), with extra node flags if given. */
export function childProcessRunner(nodeFlags: readonly string[] = []): TaskRunner {
  const entry = fileURLToPath(new URL('./task-worker.ts', import.meta.url));
  return (task) =>
    new Promise<TaskResult>((resolve, reject) => {
      const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', entry], {
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
