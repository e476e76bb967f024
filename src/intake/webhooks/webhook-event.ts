/**
 * Autotask's webhook callout (API doc §10): `{Action, Guid, EntityType, Id, Fields, EventTime,
 * SequenceNumber, PersonID}`. `EntityType` may be the REST or the SOAP name (`Account` for Companies).
 */

export type WebhookAction = 'Create' | 'Update' | 'Delete' | 'Deactivated';

export interface WebhookEvent {
  action: WebhookAction;
  guid: string | null;
  entityType: string;
  /** The Autotask id of the record (absent for `Deactivated`). */
  id: number | null;
  /** Subscribed and always-displayed fields, as Autotask sent them. */
  fields: Record<string, unknown>;
  eventTime: string | null;
  sequenceNumber: number | null;
}

const ACTIONS: readonly WebhookAction[] = ['Create', 'Update', 'Delete', 'Deactivated'];

/** Object names each intake object accepts in `EntityType`. */
const ENTITY_TYPES: Readonly<Record<'Company' | 'Contact', readonly string[]>> = {
  Company: ['company', 'companies', 'account', 'accounts'],
  Contact: ['contact', 'contacts'],
};

function pick(body: Record<string, unknown>, name: string): unknown {
  if (name in body) return body[name];
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(body)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** The callout of `body`, or why it is not one (for a 400). */
export function parseWebhookEvent(
  body: Record<string, unknown>,
  object: 'Company' | 'Contact',
): { ok: true; event: WebhookEvent } | { ok: false; message: string } {
  const actionText = pick(body, 'Action');
  const action = ACTIONS.find(
    (a) => typeof actionText === 'string' && a.toLowerCase() === actionText.toLowerCase(),
  );
  if (action === undefined)
    return {
      ok: false,
      message: `"Action" must be one of ${ACTIONS.join(', ')} (got ${JSON.stringify(actionText)})`,
    };
  const entityType = pick(body, 'EntityType');
  if (typeof entityType !== 'string' || !ENTITY_TYPES[object].includes(entityType.toLowerCase()))
    return {
      ok: false,
      message: `"EntityType" ${JSON.stringify(entityType)} is not a ${object}: point each webhook at the intake of its object`,
    };
  const idValue = pick(body, 'Id');
  const id =
    typeof idValue === 'number'
      ? idValue
      : typeof idValue === 'string' && /^\d+$/.test(idValue)
        ? Number(idValue)
        : null;
  if (id === null && action !== 'Deactivated') return { ok: false, message: '"Id" must be the record id' };
  const fields = pick(body, 'Fields');
  const seq = pick(body, 'SequenceNumber');
  const guid = pick(body, 'Guid');
  const time = pick(body, 'EventTime');
  return {
    ok: true,
    event: {
      action,
      guid: typeof guid === 'string' ? guid : null,
      entityType,
      id,
      fields:
        fields !== null && typeof fields === 'object' && !Array.isArray(fields)
          ? (fields as Record<string, unknown>)
          : {},
      eventTime: typeof time === 'string' ? time : null,
      sequenceNumber:
        typeof seq === 'number' ? seq : typeof seq === 'string' && /^\d+$/.test(seq) ? Number(seq) : null,
    },
  };
}

/** Identifies one callout across Autotask's re-deliveries. */
export function eventIdempotencyKey(event: WebhookEvent): string | undefined {
  if (event.guid === null || event.sequenceNumber === null) return undefined;
  return `${event.guid}:${event.id ?? ''}:${event.sequenceNumber}`;
}
