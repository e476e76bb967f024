export { startUiServer, createUiApp, type UiServer, type UiServerOptions } from './server.js';
export type { JobEvent } from './job-runner.js';
export type { CatalogField } from './field-catalog.js';
