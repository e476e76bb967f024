/**
 * Child-process entry of a benchmark task: `node --import tsx task-worker.ts '<task JSON>'`. Runs the
 * task and prints its result as the last line of stdout (one JSON object).
 */
import { runTask, type Task } from './tasks.js';

const task = JSON.parse(process.argv[2] ?? '{}') as Task;
const result = await runTask(task);
process.stdout.write(`\n${JSON.stringify(result)}\n`);
