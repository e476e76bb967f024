export * from './sql-system.js';
export * from './updated-at.js';
export * from './create-sql-system.js';
export { SqliteSystem } from './sqlite-system.js';
export { PostgresSystem } from './postgres-system.js';
