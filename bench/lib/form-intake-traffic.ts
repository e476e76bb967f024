/**
 * Traffic for the web-form intake, shared by the intake load benchmark (bench/intake-load.ts) and the
 * intake tests: the form intake configuration (a company and its contact per submission), a signed
 * JSON POST, a fixed number of requests in flight, and waiting until the queue is drained.
 */
import { randomUUID } from 'node:crypto';

import { signedHeaders } from '../../src/intake/http/request-auth.js';
import type { IntakeQueue } from '../../src/intake/queue/intake-queue.js';

/** The Autotask resource that owns the companies the form creates (the emulator's seeded owner). */
export const FORM_OWNER_ID = 29682885;

/** How the form intake's YAML varies. */
export interface FormIntakeYamlOptions {
  /** The HMAC secret submissions are signed with. */
  secret: string;
  /**
   * YAML lines of the intake (indented four spaces, each ending in a newline) placed before its
   * records, such as `rateLimit:` and `retry:`.
   * @default '' (the intake's defaults)
   */
  intakeSettings?: string;
  /**
   * YAML lines of more contact fields (indented ten spaces, each ending in a newline), such as
   * `phone: phone`.
   * @default '' (company, first, last and email only)
   */
  contactFields?: string;
}

/** A form intake named `website`: each submission upserts a company and its contact. */
export function formIntakeYaml(options: FormIntakeYamlOptions): string {
  return `version: 1
intakes:
  - name: website
    type: form
    auth: { type: hmac, secret: ${options.secret} }
${options.intakeSettings ?? ''}    records:
      - name: web-companies
        object: Company
        fields:
          companyName: company
          phone: { value: '+1 555 0100' }
          companyType: { default: Prospect }
          ownerResourceID: { value: ${FORM_OWNER_ID} }
      - name: web-contacts
        object: Contact
        fields:
          companyID: { column: company, ref: Company }
          firstName: first
          lastName: last
          emailAddress: email
${options.contactFields ?? ''}`;
}

/** POSTs `body` as JSON to `url`, signed with `secret` (HMAC, a fresh nonce); `headers` are added last. */
export function postSignedJson(
  url: string,
  secret: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<Response> {
  const raw = JSON.stringify(body);
  return fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...signedHeaders(secret, raw, Date.now(), randomUUID()),
      ...headers,
    },
    body: raw,
  });
}

/**
 * Runs `task` on every item, `width` at a time, starting them in order; resolves with the results
 * in the items' order, or rejects with the first error (once the tasks already started have ended).
 */
export async function inParallel<T, R>(
  items: readonly T[],
  width: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await task(items[index] as T, index);
      }
    }),
  );
  return results;
}

/** How many items of the queue are still queued or being processed. */
export function openItems(queue: Pick<IntakeQueue, 'counts'>): number {
  return queue
    .counts()
    .filter((c) => c.status === 'queued' || c.status === 'processing')
    .reduce((n, c) => n + c.count, 0);
}

/**
 * Waits until no item of the queue is queued or processing; resolves true then, or false once
 * `timeoutMs` has passed with items still open.
 */
export async function waitForDrain(
  queue: Pick<IntakeQueue, 'counts'>,
  options: {
    /** @default Infinity (wait as long as it takes) */
    timeoutMs?: number;
    /** How often the queue is looked at (ms). @default 50 */
    pollMs?: number;
  } = {},
): Promise<boolean> {
  const until = Date.now() + (options.timeoutMs ?? Infinity);
  for (;;) {
    if (openItems(queue) === 0) return true;
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, options.pollMs ?? 50));
  }
}
