import { StateStoreError } from '../../shared/errors.js';

/** Parses a JSON column written by this store; a corrupt value is a `StateStoreError` naming the place. */
export function parseJsonColumn<T>(text: string | null, where: string): T | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new StateStoreError(`corrupt JSON in the state database (${where})`, error);
  }
}

export function toJsonColumn(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}
