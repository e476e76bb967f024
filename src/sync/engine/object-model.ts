/**
 * What the engine knows about each Autotask object it writes or references: its REST entity, where it
 * stands in the dependency order, and which timestamps reveal a change (API doc §12.5).
 */
import type { EntityName } from '../../autotask/types.js';
import type { WritableObject } from '../../config/objects.js';

export interface ObjectModel {
  object: WritableObject | 'Resource';
  entity: EntityName;
  /** Dependency stage: companies (0) before contacts (1) before opportunities (2). */
  stage: number;
  /**
   * Timestamps Autotask moves when a record is created or changed; an incremental read asks for
   * records where any of them is at or after the watermark.
   */
  changeFields: readonly string[];
}

export const OBJECT_MODELS: Readonly<Record<WritableObject | 'Resource', ObjectModel>> = {
  Company: {
    object: 'Company',
    entity: 'Companies',
    stage: 0,
    changeFields: ['lastTrackedModifiedDateTime', 'lastActivityDate', 'createDate'],
  },
  Contact: {
    object: 'Contact',
    entity: 'Contacts',
    stage: 1,
    changeFields: ['lastModifiedDate', 'lastActivityDate', 'createDate'],
  },
  Opportunity: {
    object: 'Opportunity',
    entity: 'Opportunities',
    stage: 2,
    changeFields: ['lastActivity', 'createDate'],
  },
  /** Resources have no timestamps: they are re-read whole (they are few). */
  Resource: { object: 'Resource', entity: 'Resources', stage: -1, changeFields: [] },
};

/** Syncs sorted by dependency stage; syncs of one stage keep their config order. */
export function inDependencyOrder<T extends { object: WritableObject }>(syncs: readonly T[]): T[] {
  return syncs
    .map((sync, index) => ({ sync, index }))
    .sort(
      (a, b) => OBJECT_MODELS[a.sync.object].stage - OBJECT_MODELS[b.sync.object].stage || a.index - b.index,
    )
    .map(({ sync }) => sync);
}
