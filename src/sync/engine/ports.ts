/**
 * The parts of its collaborators the engine uses: the Autotask client (`src/autotask/`), the
 * configuration (`src/config/`) and sources (`src/connectors/`). The engine never imports a concrete
 * client, source or store; tests and embedders pass their own.
 */
import type { AutotaskClient } from '../../autotask/client-types.js';
import type { SyncConfig, SyncSpec } from '../../config/types.js';
import type { Source } from '../../connectors/source.js';

/** The Autotask client surface the engine calls (the real client satisfies it). */
export type EngineClient = Pick<
  AutotaskClient,
  'entity' | 'metadata' | 'findByValues' | 'budget' | 'threshold' | 'stats'
>;

/** One sync of the configuration. */
export type EngineSyncConfig = SyncSpec;

/** The part of a loaded configuration the engine reads. */
export type EngineConfig = Pick<SyncConfig, 'syncs'>;

/**
 * Opens the source of a sync. Called once per pass over it: the engine reads a source twice (keys
 * first, then the load), which every `Source` supports (`read()` starts from the top each time).
 */
export type OpenSource = (sync: EngineSyncConfig) => Source | Promise<Source>;
