/**
 * The Autotask objects a configuration may name, their aliases, and which of them can be written.
 * Names follow product.md §2: Company (Autotask `Companies`, alias Account), Contact, Opportunity and
 * Resource (alias Owner), which Autotask's API only lets us read.
 */
import type { EntityName } from '../autotask/types.js';

/** Objects a sync may write. */
export const WRITABLE_OBJECTS = ['Company', 'Contact', 'Opportunity'] as const;
export type WritableObject = (typeof WRITABLE_OBJECTS)[number];

/** Objects an export may read. */
export const EXPORTABLE_OBJECTS = ['Company', 'Contact', 'Opportunity', 'Resource'] as const;
export type ExportableObject = (typeof EXPORTABLE_OBJECTS)[number];

/** Other names users know the objects by, and the canonical name each stands for. */
export const OBJECT_ALIASES = { Account: 'Company', Owner: 'Resource' } as const satisfies Record<
  string,
  ExportableObject
>;

/** Names accepted in `syncs[].object` (canonical names and their aliases). */
export const SYNC_OBJECT_NAMES = ['Company', 'Account', 'Contact', 'Opportunity'] as const;
/** Names accepted in `exports[].object`. */
export const EXPORT_OBJECT_NAMES = [
  'Company',
  'Account',
  'Contact',
  'Opportunity',
  'Resource',
  'Owner',
] as const;

/** The Autotask REST entity behind each object. */
export const OBJECT_ENTITIES = {
  Company: 'Companies',
  Contact: 'Contacts',
  Opportunity: 'Opportunities',
  Resource: 'Resources',
} as const satisfies Record<ExportableObject, EntityName>;

/** Said whenever a configuration tries to write Resources. */
export const RESOURCE_READ_ONLY_MESSAGE =
  "Resource is read-only in Autotask's API (product.md §2): it can be exported or referenced, not written";

/** The canonical name for `name` (`Account` → `Company`), or `undefined` when it names no object. */
export function canonicalObject(name: string): ExportableObject | undefined {
  if ((EXPORTABLE_OBJECTS as readonly string[]).includes(name)) return name as ExportableObject;
  return (OBJECT_ALIASES as Record<string, ExportableObject>)[name];
}
