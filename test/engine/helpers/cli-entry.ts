// Runs the CLI from source (for tests that need it in a child process): node --import tsx cli-entry.ts …
import { main } from '../../../src/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
