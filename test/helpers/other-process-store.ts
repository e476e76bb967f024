/**
 * A state store opened as another, live process: how a test holds the run lock the way a second CLI
 * (pid 4242 on host sync-01) would, to see what this process says and does while it is held.
 */
import { openStateStore, type StateStore } from '../../src/state/index.js';

/** The state database at `path`, opened as process 4242 on sync-01 (always alive). Close it after use. */
export function openAsOtherProcess(path: string): StateStore {
  return openStateStore({
    path,
    processProbe: { self: { pid: 4242, host: 'sync-01', pidScope: 'sync-01/other' }, isAlive: () => true },
  });
}
