/**
 * A world for intake tests: the engine world (emulator, real client, real SQLite state store), the
 * intake service on a loopback port, and helpers to submit signed requests over real HTTP.
 */
import { randomUUID } from 'node:crypto';

import { startIntakeService, type IntakeService } from '../../../src/intake/intake-service.js';
import type { IntakeSpec } from '../../../src/intake/intake-config-schema.js';
import { signedHeaders } from '../../../src/intake/http/request-auth.js';
import type { IntakeItem } from '../../../src/intake/queue/intake-queue.js';
import { createEngineWorld, type EngineWorld } from '../../engine/helpers/engine-world.js';
import { countRecords } from '../../helpers/count-records.js';

export const OWNER_ID = 29682885;
export const FORM_SECRET = 'website-form-secret-0123456789';

/** A form intake writing a company and its contact per submission. */
export function formConfigYaml(extra = ''): string {
  return `version: 1
intakes:
  - name: website
    type: form
    auth: { type: hmac, secret: ${FORM_SECRET} }
    rateLimit: { perMinute: 100000 }
    retry: { baseDelaySeconds: 0.05, maxDelaySeconds: 0.2, maxAttempts: 5 }
${extra}    records:
      - name: web-companies
        object: Company
        fields:
          companyName: company
          phone: { value: '+1 555 0100' }
          companyType: { default: Prospect }
          ownerResourceID: { value: ${OWNER_ID} }
      - name: web-contacts
        object: Contact
        fields:
          companyID: { column: company, ref: Company }
          firstName: first
          lastName: last
          emailAddress: email
`;
}

export interface IntakeWorld {
  world: EngineWorld;
  service: IntakeService;
  intakes: IntakeSpec[];
  /** POSTs a JSON body signed for the form intake. */
  submit: (body: Record<string, unknown>, headers?: Record<string, string>) => Promise<Response>;
  /** Waits until no item of the queue is queued or processing (or the timeout passes). */
  drain(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function createIntakeWorld(yaml: string = formConfigYaml()): Promise<IntakeWorld> {
  const world = await createEngineWorld();
  const config = world.config(yaml);
  const intakes = config.intakes;
  const service = await startIntakeService({
    intakes,
    statePath: world.state.path,
    engine: { client: world.client, state: world.state, clock: world.deps.clock, logger: world.deps.logger },
    port: 0,
    worker: { idleMs: 50 },
  });
  const submit = (body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> => {
    const raw = JSON.stringify(body);
    return fetch(`${service.origin}/intake/website`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...signedHeaders(FORM_SECRET, raw, Date.now(), randomUUID()),
        ...headers,
      },
      body: raw,
    });
  };
  return {
    world,
    service,
    intakes,
    submit,
    async drain(timeoutMs = 60_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const open = service.queue
          .counts()
          .filter((c) => c.status === 'queued' || c.status === 'processing')
          .reduce((n, c) => n + c.count, 0);
        if (open === 0) return;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(
        `the queue did not drain in ${timeoutMs} ms: ${JSON.stringify(service.queue.counts())}`,
      );
    },
    async close() {
      await service.close();
      await world.close();
    },
  };
}

/** Names → count of emulator records whose `field` matches. */
export function countBy(
  world: EngineWorld,
  entity: 'Companies' | 'Contacts',
  field: string,
  match: RegExp,
): Map<string, number> {
  return countRecords(world.emulator, entity, field, match);
}

export type { IntakeItem };
