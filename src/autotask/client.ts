/**
 * `createAutotaskClient`: composes the layers (transport ← lanes ← budget ← retry) into the public
 * client. Work in progress: the surface is fixed, the implementation is landing.
 */
import type { AutotaskClient, AutotaskClientOptions } from './client-types.js';
import { resolveCredentials, normaliseRestUrl } from './connection-settings.js';

export function createAutotaskClient(options: AutotaskClientOptions): AutotaskClient {
  resolveCredentials(options);
  if (options.url !== undefined) normaliseRestUrl(options.url);
  throw new Error('createAutotaskClient: not implemented yet');
}
