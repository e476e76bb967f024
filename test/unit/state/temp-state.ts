import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ManualClock } from '../../../src/shared/clock.js';
import { openStateStore, type StateStore } from '../../../src/state/index.js';

/** A fresh state store in its own temp folder, with a manual clock; `cleanup()` closes and removes it. */
export function tempStateStore(): {
  store: StateStore;
  dir: string;
  path: string;
  clock: ManualClock;
  cleanup(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'autotask-sync-state-'));
  const path = join(dir, 'state', 'state.sqlite');
  const clock = new ManualClock(Date.UTC(2026, 10, 27, 10, 0, 0));
  const store = openStateStore({ path, clock });
  return {
    store,
    dir,
    path,
    clock,
    cleanup() {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
