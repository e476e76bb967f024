/**
 * Child-process entry of a benchmark task: `node --import tsx task-worker.ts < task.json`. Reads the
 * task as JSON from stdin (not from the command line, where `ps` would show the emulator's
 * credentials), runs it and prints its result as the last line of stdout (one JSON object).
 */
import { text } from 'node:stream/consumers';

import { runTask, type Task } from './tasks.js';

const task = JSON.parse(process.argv[2] ?? (await text(process.stdin))) as Task;
const result = await runTask(task);
process.stdout.write(`\n${JSON.stringify(result)}\n`);
