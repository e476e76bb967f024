/**
 * Which part of a configuration a web-app plan or run covers, the way `autotask-sync plan` and `run`
 * decide it: `only` may name syncs of either kind; one-way syncs (`syncs:`) run first, then two-way
 * syncs (`twoWay:`). A configuration with neither still gets an (empty) one-way part.
 */
import type { SyncConfig } from '../config/types.js';
import { UiRequestError } from './http-errors.js';

export interface SyncSelection {
  /** The one-way part, if it runs: `only` undefined means every one-way sync. */
  oneWay: { only: string[] | undefined } | undefined;
  /** The two-way part, if it runs: `only` undefined means every two-way sync. */
  twoWay: { only: string[] | undefined } | undefined;
  /** Names of the syncs covered, one-way first (unknown names in `only` are the engine's to refuse). */
  names: string[];
  /** Names of the two-way syncs covered. */
  twoWayNames: string[];
}

export function selectSyncs(config: SyncConfig, only: readonly string[] | undefined): SyncSelection {
  const twoWayNames = new Set(config.twoWay.map((s) => s.name));
  const oneWayOnly = only?.filter((n) => !twoWayNames.has(n));
  const twoWayOnly = only?.filter((n) => twoWayNames.has(n));
  const oneWay =
    (config.syncs.length > 0 || config.twoWay.length === 0) && oneWayOnly?.length !== 0
      ? { only: oneWayOnly }
      : undefined;
  const twoWay = config.twoWay.length > 0 && twoWayOnly?.length !== 0 ? { only: twoWayOnly } : undefined;
  if (oneWay === undefined && twoWay === undefined)
    throw new UiRequestError(
      'UI_INVALID_INPUT',
      `no sync of the configuration is named ${(only ?? []).map((n) => `"${n}"`).join(', ')}: ` +
        `choose among ${config.twoWay.map((s) => s.name).join(', ')}`,
    );
  const covered = (name: string, part: { only: string[] | undefined } | undefined): boolean =>
    part !== undefined && (part.only === undefined || part.only.includes(name));
  const selectedTwoWay = config.twoWay.map((s) => s.name).filter((n) => covered(n, twoWay));
  return {
    oneWay,
    twoWay,
    names: [...config.syncs.map((s) => s.name).filter((n) => covered(n, oneWay)), ...selectedTwoWay],
    twoWayNames: selectedTwoWay,
  };
}
