/** Builds a complete, deterministic tenant (API doc §13 item 9; issue 2 item 10). */
import type { InMemoryTenant } from '../store/tenant.js';
import type { SeedOptions } from './seed-options.js';

export function seedTenant(options: SeedOptions = {}): InMemoryTenant {
  void options;
  throw new Error('seedTenant: implementation lands within the hour');
}
