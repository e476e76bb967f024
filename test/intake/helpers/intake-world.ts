/**
 * A world for intake tests: the engine world (emulator, real client, real SQLite state store), the
 * intake service on a loopback port, and helpers to submit signed requests over real HTTP.
 */
import { formIntakeYaml, postSignedJson, waitForDrain } from '../../../bench/lib/form-intake-traffic.js';
import { startIntakeService, type IntakeService } from '../../../src/intake/intake-service.js';
import type { IntakeSpec } from '../../../src/intake/intake-config-schema.js';
import type { IntakeItem } from '../../../src/intake/queue/intake-queue.js';
import { createEngineWorld, type EngineWorld } from '../../engine/helpers/engine-world.js';
import { countRecords } from '../../helpers/count-records.js';

export const OWNER_ID = 29682885;
export const FORM_SECRET = 'website-form-secret-0123456789';

/** A form intake writing a company and its contact per submission. */
export function formConfigYaml(extra = ''): string {
  return formIntakeYaml({
    secret: FORM_SECRET,
    intakeSettings: `    rateLimit: { perMinute: 100000 }
    retry: { baseDelaySeconds: 0.05, maxDelaySeconds: 0.2, maxAttempts: 5 }
${extra}`,
  });
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

/**
 * @param engineOptions the engine's options for form batches, as `engine:` would give them
 *   (@default the engine's: a 5-minute settle period)
 */
export async function createIntakeWorld(
  yaml: string = formConfigYaml(),
  engineOptions?: { intentSettleMs?: number },
): Promise<IntakeWorld> {
  const world = await createEngineWorld();
  const config = world.config(yaml);
  const intakes = config.intakes;
  const service = await startIntakeService({
    intakes,
    statePath: world.state.path,
    engine: { client: world.client, state: world.state, clock: world.deps.clock, logger: world.deps.logger },
    ...(engineOptions === undefined ? {} : { engineOptions }),
    port: 0,
    worker: { idleMs: 50 },
  });
  const submit = (body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> =>
    postSignedJson(`${service.origin}/intake/website`, FORM_SECRET, body, headers);
  return {
    world,
    service,
    intakes,
    submit,
    async drain(timeoutMs = 60_000) {
      if (await waitForDrain(service.queue, { timeoutMs })) return;
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
