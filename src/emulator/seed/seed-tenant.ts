/**
 * Builds a complete, deterministic tenant (API doc §13 item 9; issue 2 item 10): the tenant's own
 * company (id 0, a Partner), Resources (see seed-resources.ts), the default API user, UDF definitions,
 * and optionally demo and generated records. The same options always give the same tenant.
 */
import type { EntityName, UserDefinedFieldInformation } from '../../autotask/types.js';
import { ConfigError } from '../../shared/errors.js';
import type { ApiUser } from '../contracts.js';
import { COMPANY_TYPE_PARTNER } from '../metadata/picklists.js';
import { defaultUdfDefinitions } from '../metadata/udf-definitions.js';
import type { InMemoryTenant } from '../store/tenant.js';
import { createTenant } from '../store/tenant.js';
import { createPrng } from './prng.js';
import { companyRecord } from './record-builders.js';
import { seedDemo } from './seed-demo.js';
import { seedGenerated } from './seed-generated.js';
import type { SeedOptions } from './seed-options.js';
import { DEFAULT_API_USER, DEFAULT_REFERENCE_TIME } from './seed-options.js';
import { ADMIN_RESOURCE_ID, API_USER_RESOURCE_ID, seedResources } from './seed-resources.js';

/** Id and name of the tenant's own company ("Get the root company", §3.3). */
export const ROOT_COMPANY_ID = 0;
export const ROOT_COMPANY_NAME = 'Emulator MSP';

const DAY = 86_400_000;

export function seedTenant(options: SeedOptions = {}): InMemoryTenant {
  const records = options.records ?? 0;
  if (!Number.isInteger(records) || records < 0) {
    throw new ConfigError(`records must be a whole number of at least 0 (got ${String(records)}).`, [
      { path: 'records', message: 'expected a non-negative integer' },
    ]);
  }
  const udfDefinitions = resolveUdfDefinitions(options.udfDefinitions);
  const referenceTime = options.referenceTime ?? DEFAULT_REFERENCE_TIME;
  const apiUser: ApiUser = {
    userName: options.apiUser?.userName ?? DEFAULT_API_USER.userName,
    secret: options.apiUser?.secret ?? DEFAULT_API_USER.secret,
    integrationCode: options.apiUser?.integrationCode ?? DEFAULT_API_USER.integrationCode,
    resourceId: API_USER_RESOURCE_ID,
  };
  const tenant = createTenant({ udfDefinitions, apiUsers: [apiUser] });

  for (const r of seedResources(apiUser.userName, referenceTime)) tenant.tables.Resources.insert(r);
  const rootCreated = referenceTime - 3000 * DAY;
  tenant.tables.Companies.insert(
    companyRecord(ROOT_COMPANY_ID, {
      name: ROOT_COMPANY_NAME,
      type: COMPANY_TYPE_PARTNER,
      ownerResourceID: ADMIN_RESOURCE_ID,
      phone: '+1 555 0100 100',
      address1: '1 Service Desk Way',
      city: 'Denver',
      state: 'CO',
      postalCode: '80202',
      webAddress: 'https://www.emulator-msp.example',
      createdAt: rootCreated,
      lastActivityAt: rootCreated,
    }),
  );

  if ((options.seed ?? 'demo') === 'demo') seedDemo(tenant, referenceTime);
  if (records > 0) seedGenerated(tenant, records, createPrng(options.randomSeed ?? 1), referenceTime);
  return tenant;
}

function resolveUdfDefinitions(
  custom: SeedOptions['udfDefinitions'],
): Record<EntityName, UserDefinedFieldInformation[]> {
  const defaults = defaultUdfDefinitions();
  if (custom?.Resources && custom.Resources.length > 0) {
    throw new ConfigError('Resources do not support user-defined fields; remove udfDefinitions.Resources.', [
      { path: 'udfDefinitions.Resources', message: 'must be empty' },
    ]);
  }
  return {
    Companies: custom?.Companies ?? defaults.Companies,
    Contacts: custom?.Contacts ?? defaults.Contacts,
    Opportunities: custom?.Opportunities ?? defaults.Opportunities,
    Resources: [],
  };
}
