/**
 * The web app on a fresh emulator tenant, over real HTTP: an empty tenant listening on loopback, a
 * temp folder the test fills (its `sync.config.yaml` and sources), and the app serving that folder's
 * configuration with the tenant's credentials in its environment.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { emulatorEnv } from '../../bench/lib/bench-emulator.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { silentLogger } from '../../src/shared/logger.js';
import { startUiServer, type UiServer } from '../../src/ui/index.js';

export interface UiOnEmulator {
  emulator: Emulator;
  server: UiServer;
  /** The temp folder: the app's working folder and HOME. */
  dir: string;
  /** Stops the app and the emulator and deletes the folder. */
  close: () => Promise<void>;
}

/**
 * Starts an empty tenant and the web app on `<dir>/sync.config.yaml`, after `prepare(dir)` has
 * written the configuration and whatever it reads. `prefix` names the temp folder.
 */
export async function startUiOnEmulator(
  prefix: string,
  prepare: (dir: string) => void,
): Promise<UiOnEmulator> {
  const emulator = createEmulator({ seed: 'empty' });
  const { url } = await emulator.listen({ port: 0 });
  const dir = mkdtempSync(join(tmpdir(), prefix));
  try {
    prepare(dir);
    const server = await startUiServer({
      configFile: 'sync.config.yaml',
      env: { HOME: dir, ...emulatorEnv({ url, credentials: emulator.credentials }) },
      cwd: dir,
      logger: silentLogger,
    });
    const close = async (): Promise<void> => {
      await server.close();
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    };
    return { emulator, server, dir, close };
  } catch (error) {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
