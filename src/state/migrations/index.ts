export type { Migration } from './migration.js';
export { MIGRATIONS, LATEST_SCHEMA_VERSION } from './migrations.js';
export { migrate, currentSchemaVersion } from './migrate.js';
