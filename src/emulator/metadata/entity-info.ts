/**
 * `entityInformation` of the four entities (API doc §3.2, §5.1). `name` is the singular entity name,
 * as in the doc's Companies example ("Company"). `hasUserDefinedFields` is tenant data: it is true when
 * the tenant defines at least one UDF for the entity (never for Resources, which have no UDFs).
 */
import type { EntityInformation, EntityName } from '../../autotask/types.js';
import type { EntitySchema } from '../contracts.js';

/** Access level values of `userAccessFor*`. */
export const USER_ACCESS = { none: 0, all: 1, restricted: 2 } as const;

export const ENTITY_SINGULAR: Record<EntityName, EntitySchema['singular']> = {
  Companies: 'Company',
  Contacts: 'Contact',
  Opportunities: 'Opportunity',
  Resources: 'Resource',
};

interface Capabilities {
  canCreate: boolean;
  canDelete: boolean;
  canUpdate: boolean;
  supportsWebhookCallouts: boolean;
  supportsUserDefinedFields: boolean;
}

/** Static capabilities; Resources webhooks are off (see resource-fields.ts). */
export const ENTITY_CAPABILITIES: Record<EntityName, Readonly<Capabilities>> = {
  Companies: {
    canCreate: true,
    canDelete: false,
    canUpdate: true,
    supportsWebhookCallouts: true,
    supportsUserDefinedFields: true,
  },
  Contacts: {
    canCreate: true,
    canDelete: true,
    canUpdate: true,
    supportsWebhookCallouts: true,
    supportsUserDefinedFields: true,
  },
  Opportunities: {
    canCreate: true,
    canDelete: false,
    canUpdate: true,
    supportsWebhookCallouts: false,
    supportsUserDefinedFields: true,
  },
  Resources: {
    canCreate: false,
    canDelete: false,
    canUpdate: true,
    supportsWebhookCallouts: false,
    supportsUserDefinedFields: false,
  },
};

/** The `info` object of `GET /{entity}/entityInformation`. */
export function entityInformation(entity: EntityName, udfCount: number): EntityInformation {
  const c = ENTITY_CAPABILITIES[entity];
  const access = (allowed: boolean): number => (allowed ? USER_ACCESS.all : USER_ACCESS.none);
  return {
    name: ENTITY_SINGULAR[entity],
    canCreate: c.canCreate,
    canDelete: c.canDelete,
    canQuery: true,
    canUpdate: c.canUpdate,
    userAccessForCreate: access(c.canCreate),
    userAccessForDelete: access(c.canDelete),
    userAccessForQuery: USER_ACCESS.all,
    userAccessForUpdate: access(c.canUpdate),
    hasUserDefinedFields: c.supportsUserDefinedFields && udfCount > 0,
    supportsWebhookCallouts: c.supportsWebhookCallouts,
  };
}
