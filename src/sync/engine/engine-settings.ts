/**
 * The engine options a configuration sets (its `engine:` section), for every caller that runs syncs
 * from a configuration file (`run`, `plan`, the web app, `serve`'s form intakes).
 */
import type { SyncConfig } from '../../config/types.js';
import type { EngineOptions } from './types.js';

/** The configuration's `engine:` settings as engine options (a missing section gives the defaults). */
export function engineOptionsOf(
  config: Partial<Pick<SyncConfig, 'engine'>>,
): Pick<EngineOptions, 'intentSettleMs'> {
  const seconds = config.engine?.intentSettleSeconds;
  return seconds === undefined ? {} : { intentSettleMs: Math.round(seconds * 1000) };
}
