/** What every route handler gets: the emulator's parts and the request being served. */
import type { EntityName } from '../../autotask/types.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { Caller } from '../auth.js';
import type { EntitySchema, Tenant } from '../contracts.js';
import type { FaultInjector } from '../faults/types.js';
import type { RequestLimits } from '../limits/types.js';
import type { WebhookCallouts } from '../webhooks/webhook-callouts.js';
import type { PagedQueryMemory } from './paging.js';
import type { ApiRequest } from './api-exchange.js';
import type { Route } from './route-match.js';

/** Long-lived parts shared by all requests. */
export interface EmulatorParts {
  tenant: Tenant;
  /** Entity schemas; `hasUserDefinedFields` is recomputed from the tenant when served. */
  schemas: Record<EntityName, EntitySchema>;
  clock: Clock;
  logger: Logger;
  limits: RequestLimits;
  faults: FaultInjector;
  pagedQueries: PagedQueryMemory;
  /** Settings the handlers read; see `EmulatorOptions` for meanings and defaults. */
  settings: HandlerSettings;
  /** Webhook callouts for Companies and Contacts (API doc §10); none when absent. */
  webhooks?: WebhookCallouts;
}

export interface HandlerSettings {
  notFoundStatus: 200 | 404;
  zone: { zoneName: string; webUrl: string | undefined; ci: number };
  apiVersions: string[];
  version: { majorVersion: string; minorVersion: string; build: string; customerType: string };
  /** Fixed REST root (`.../ATServicesRest/`) for URLs the emulator returns; undefined = from the request. */
  publicUrl: string | undefined;
  /** Answer a wrong integration code (right user and secret) with 500 "IntegrationCode is invalid." */
  legacyIntegrationCodeError: boolean;
  /** Largest request body accepted (bytes); larger → 413. */
  maxBodyBytes: number;
}

/** One request being served. */
export interface RequestScope {
  request: ApiRequest;
  url: URL;
  method: string;
  route: Route;
  /** Body text ('' when none). */
  raw: string;
  /** The authenticated API user (undefined only for unauthenticated routes). */
  caller: Caller | undefined;
  /** REST root for absolute URLs in responses, ending in `/ATServicesRest/`. */
  restRoot: string;
}
