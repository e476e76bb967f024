/**
 * Child-process entry of the benchmark's emulator: `node --import tsx emulator-child.ts '<options JSON>'`.
 * Starts the emulator with those options on a free loopback port, prints one JSON line
 * (`{url, credentials}`) and serves until its stdin closes (the parent exiting closes it too), so
 * the emulator's CPU and memory never mix with the engine's.
 */
import { createEmulator, type EmulatorOptions } from '../../src/emulator/index.js';

const options = JSON.parse(process.argv[2] ?? '{}') as EmulatorOptions;
const emulator = createEmulator(options);
const listening = await emulator.listen({ port: 0 });
process.stdout.write(`${JSON.stringify({ url: listening.url, credentials: emulator.credentials })}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void emulator.close().then(() => process.exit(0));
});
