/**
 * Webhook callouts of the emulator for Companies and Contacts (API doc §10): after a create, update or
 * delete, every active webhook of the entity subscribed to that event POSTs JSON
 * `{Action, Guid, EntityType, Id, Fields, EventTime, SequenceNumber, PersonID}` to its `webhookUrl`,
 * signed with `X-Hook-Signature: sha1=<base64(HMAC-SHA1(secretKey, body))>`. Like Autotask, the body
 * escapes `& < > ' +` and non-ASCII characters as `\uXXXX` before it is signed, so a receiver must
 * verify the raw bytes.
 *
 * An update calls out only when a subscribed field changed (every field, when the webhook lists none);
 * `Fields` holds the subscribed fields that changed (all subscribed fields with a value on create) plus
 * the always-displayed ones. Deliveries run in the background, in order per webhook, with a few
 * retries; `idle()` waits for them (tests). Configured through `emulator.webhooks.register()` (the
 * `CompanyWebhooks` / `ContactWebhooks` REST entities are not emulated).
 */
import { createHmac, randomUUID } from 'node:crypto';

import { formatAutotaskDateTime } from '../../autotask/datetime.js';
import type { EntityName } from '../../autotask/types.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { StoredRecord } from '../contracts.js';

export type WebhookEntity = 'Companies' | 'Contacts';
export type CalloutAction = 'Create' | 'Update' | 'Delete';

export interface WebhookInput {
  entity: WebhookEntity;
  /** Up to 50 characters. @default 'emulator webhook' */
  name?: string;
  webhookUrl: string;
  /** Signs each callout (Autotask: up to 64 characters). */
  secretKey: string;
  /** @default true */
  isActive?: boolean;
  /** @default true */
  isSubscribedToCreateEvents?: boolean;
  /** @default true */
  isSubscribedToUpdateEvents?: boolean;
  /** @default false */
  isSubscribedToDeleteEvents?: boolean;
  /** Fields whose change triggers a callout. @default every field */
  subscribedFields?: string[];
  /** Fields always included in `Fields`. @default none */
  displayAlwaysFields?: string[];
}

export interface EmulatorWebhook extends Required<Omit<WebhookInput, 'subscribedFields'>> {
  id: number;
  webhookGUID: string;
  subscribedFields: string[] | undefined;
}

export interface CalloutStats {
  sent: number;
  failed: number;
}

export interface WebhookCalloutsOptions {
  /** Sends the callouts. @default globalThis.fetch */
  fetch?: typeof fetch;
  clock: Clock;
  logger: Logger;
  /** Attempts per callout before it is dropped. @default 3 */
  maxAttempts?: number;
}

const ENTITY_TYPES: Record<WebhookEntity, string> = { Companies: 'Company', Contacts: 'Contact' };

/** JSON as Autotask writes callouts: `& < > ' +` and non-ASCII as `\uXXXX` (inside strings only, as in JSON they can be nowhere else). */
export function autotaskCalloutJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[&<>'+\u0080-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function calloutSignature(secretKey: string, body: string): string {
  return `sha1=${createHmac('sha1', secretKey).update(body).digest('base64')}`;
}

export class WebhookCallouts {
  private readonly hooks = new Map<number, EmulatorWebhook>();
  private readonly sequence = new Map<number, number>();
  private readonly queues = new Map<number, Promise<void>>();
  private readonly counters: CalloutStats = { sent: 0, failed: 0 };
  private nextId = 1;
  private closed = false;
  private readonly send: typeof fetch;

  constructor(private readonly options: WebhookCalloutsOptions) {
    this.send = options.fetch ?? globalThis.fetch;
  }

  register(input: WebhookInput): EmulatorWebhook {
    const hook: EmulatorWebhook = {
      id: this.nextId++,
      webhookGUID: randomUUID(),
      entity: input.entity,
      name: input.name ?? 'emulator webhook',
      webhookUrl: input.webhookUrl,
      secretKey: input.secretKey,
      isActive: input.isActive ?? true,
      isSubscribedToCreateEvents: input.isSubscribedToCreateEvents ?? true,
      isSubscribedToUpdateEvents: input.isSubscribedToUpdateEvents ?? true,
      isSubscribedToDeleteEvents: input.isSubscribedToDeleteEvents ?? false,
      subscribedFields: input.subscribedFields,
      displayAlwaysFields: input.displayAlwaysFields ?? [],
    };
    this.hooks.set(hook.id, hook);
    return hook;
  }

  remove(id: number): boolean {
    return this.hooks.delete(id);
  }

  list(): EmulatorWebhook[] {
    return [...this.hooks.values()];
  }

  stats(): CalloutStats {
    return { ...this.counters };
  }

  /** Called by the write path after a record of `entity` changed; returns at once. */
  notify(
    entity: EntityName,
    action: CalloutAction,
    before: StoredRecord | undefined,
    after: StoredRecord | undefined,
    personId: number,
  ): void {
    if (this.closed || (entity !== 'Companies' && entity !== 'Contacts')) return;
    const record = after ?? before;
    if (record === undefined) return;
    for (const hook of this.hooks.values()) {
      if (hook.entity !== entity || !hook.isActive) continue;
      if (action === 'Create' && !hook.isSubscribedToCreateEvents) continue;
      if (action === 'Update' && !hook.isSubscribedToUpdateEvents) continue;
      if (action === 'Delete' && !hook.isSubscribedToDeleteEvents) continue;
      const fields = calloutFields(hook, action, before, after);
      if (fields === undefined) continue;
      const seq = (this.sequence.get(hook.id) ?? 0) + 1;
      this.sequence.set(hook.id, seq);
      const body = autotaskCalloutJson({
        Action: action,
        Guid: hook.webhookGUID,
        EntityType: ENTITY_TYPES[hook.entity],
        Id: record.id,
        Fields: fields,
        EventTime: formatAutotaskDateTime(this.options.clock.now()),
        SequenceNumber: seq,
        PersonID: personId,
      });
      const previous = this.queues.get(hook.id) ?? Promise.resolve();
      const next = previous.then(() => this.deliver(hook, body));
      this.queues.set(hook.id, next);
    }
  }

  /** Resolves when every callout queued so far was delivered or given up. */
  async idle(): Promise<void> {
    let pending = [...this.queues.values()];
    while (pending.length > 0) {
      await Promise.all(pending);
      const now = [...this.queues.values()];
      pending = now.filter((p) => !pending.includes(p));
    }
  }

  /** Stops sending (callouts in flight finish). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.queues.values());
  }

  private async deliver(hook: EmulatorWebhook, body: string): Promise<void> {
    const attempts = this.options.maxAttempts ?? 3;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const res = await this.send(hook.webhookUrl, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'X-Hook-Signature': calloutSignature(hook.secretKey, body),
          },
          body,
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) {
          this.counters.sent++;
          return;
        }
      } catch {
        // connection refused / reset: retried below
      }
      if (this.closed) break;
      if (attempt < attempts) await this.options.clock.sleep(100 * attempt).catch(() => undefined);
    }
    this.counters.failed++;
    this.options.logger.warn({ webhook: hook.id, url: hook.webhookUrl }, 'webhook callout not delivered');
  }
}

/** The callout's `Fields`, or undefined when the change concerns no subscribed field. */
function calloutFields(
  hook: EmulatorWebhook,
  action: CalloutAction,
  before: StoredRecord | undefined,
  after: StoredRecord | undefined,
): Record<string, unknown> | undefined {
  const fields: Record<string, unknown> = {};
  const subscribed = hook.subscribedFields;
  const current = (after ?? before)?.values ?? {};
  if (action === 'Update') {
    const changed = changedFields(before?.values ?? {}, after?.values ?? {});
    const relevant = subscribed === undefined ? changed : changed.filter((f) => subscribed.includes(f));
    if (relevant.length === 0) return undefined;
    for (const f of relevant) fields[f] = current[f] ?? null;
  } else if (action === 'Create') {
    for (const [f, v] of Object.entries(current))
      if (subscribed === undefined || subscribed.includes(f)) fields[f] = v;
  }
  for (const f of hook.displayAlwaysFields) fields[f] = current[f] ?? null;
  return fields;
}

const SERVER_FIELDS = new Set([
  'lastActivityDate',
  'lastModifiedDate',
  'lastTrackedModifiedDateTime',
  'lastActivity',
]);

function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter(
    (n) => !SERVER_FIELDS.has(n) && JSON.stringify(before[n] ?? null) !== JSON.stringify(after[n] ?? null),
  );
}
