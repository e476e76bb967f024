/**
 * Create, update and delete (API doc §3.4–3.6, §13 items 9–13): `{"itemId":n}` responses, ids from
 * the tenant's monotonic sequence (an `id` in a create body is ignored), PATCH partial vs PUT full
 * (writable fields the body omits become null; UDFs it omits keep their value), read-only fields
 * ignored, timestamps and creator fields maintained by the server, validation per the metadata.
 */
import { formatAutotaskDateTime } from '../../autotask/datetime.js';
import type { EntityName } from '../../autotask/types.js';
import { coerceBody, parseJsonBody, type CoercedBody } from '../coercion.js';
import { AutotaskBusinessError, type StoredRecord } from '../contracts.js';
import { isApiOnlyResource } from '../metadata/index.js';
import { messages } from '../validation/messages.js';
import { mergeUdfs } from '../validation/udf-values.js';
import { validateWrite, type WriteMode } from '../validation/validate-record.js';
import type { ApiReply } from './api-exchange.js';
import type { EmulatorParts, RequestScope } from './context.js';
import { jsonResponse } from './responses.js';

/** Server-maintained timestamps, set on create (all) and update (all but `createDate`). */
const CREATE_ONLY_TIMESTAMPS = ['createDate'];
const ACTIVITY_TIMESTAMPS = [
  'lastActivityDate',
  'lastModifiedDate',
  'lastTrackedModifiedDateTime',
  'lastActivity',
];
/** Creator fields: the acting resource (the impersonated one, or the API user's own resource). */
const CREATOR_FIELDS = ['createdByResourceID', 'creatorResourceID'];

function fail(message: string): never {
  throw new AutotaskBusinessError([message]);
}

function hasField(parts: EmulatorParts, entity: EntityName, name: string): boolean {
  return parts.schemas[entity].fields.some((f) => f.name === name);
}

/** Resource ids the write is attributed to (§2.2). Throws for an unusable impersonation header. */
function actors(
  parts: EmulatorParts,
  scope: RequestScope,
): { actor: number; impersonator: number | undefined } {
  const caller = scope.caller;
  if (!caller) throw new Error('write without an authenticated caller');
  const own = caller.user.resourceId;
  const target = caller.impersonationResourceId;
  if (target === undefined) return { actor: own, impersonator: undefined };
  const raw = scope.request.header('impersonationresourceid') ?? '';
  const resource = Number.isNaN(target) ? undefined : parts.tenant.tables.Resources.get(target);
  const isApiUser = parts.tenant.apiUsers.some((u) => u.resourceId === target);
  if (!resource || resource.values['isActive'] !== true || isApiUser || isApiOnlyResource(resource.values)) {
    fail(messages.badImpersonation(raw.trim()));
  }
  return { actor: target, impersonator: own };
}

function readBody(parts: EmulatorParts, entity: EntityName, scope: RequestScope): CoercedBody {
  const parsed = parseJsonBody(scope.raw);
  return coerceBody(parts.schemas[entity].fields, parsed ?? null, scope.raw);
}

/** The child route's parent company, checked against the body's companyID (§3.4, §14 q15). */
function applyParent(body: CoercedBody, parentId: number | undefined): void {
  if (parentId === undefined) return;
  const sent = body.values.get('companyID');
  if (sent !== undefined && sent !== null && sent !== parentId) fail(messages.parentMismatch(sent, parentId));
  if (sent === undefined || sent === null) body.values.set('companyID', parentId);
}

/** Drops null/undefined values so stored records stay compact (rendering lists every field). */
function compact(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

/** Defaults applied on create for optional picklists with a default value and Company `isActive`. */
function createDefaults(parts: EmulatorParts, entity: EntityName): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of parts.schemas[entity].fields) {
    if (field.isReadOnly || field.isRequired || !field.isPickList) continue;
    const def = field.picklistValues?.find((v) => v.isDefaultValue && v.isActive);
    if (def) values[field.name] = Number(def.value);
  }
  if (entity === 'Companies' && hasField(parts, entity, 'isActive')) values['isActive'] = true;
  return values;
}

export function createRecord(
  parts: EmulatorParts,
  scope: RequestScope,
  entity: EntityName,
  parentId?: number,
): ApiReply {
  const schema = parts.schemas[entity];
  const body = readBody(parts, entity, scope);
  applyParent(body, parentId);
  const { actor, impersonator } = actors(parts, scope);
  const now = formatAutotaskDateTime(parts.clock.now());
  const values: Record<string, unknown> = createDefaults(parts, entity);
  const supplied = new Set<string>(Object.keys(values));
  for (const [name, value] of body.values) {
    // A create body deserialises into Autotask's model, where an explicit null and an absent property
    // are the same: clients that send every field of a DTO (Anteris' PHP client) still get defaults.
    if (value === null && name in values) continue;
    values[name] = value;
    supplied.add(name);
  }
  validateWrite({ schema, tenant: parts.tenant, mode: 'create', values, supplied });
  const udfs = mergeUdfs({
    definitions: parts.tenant.udfDefinitions[entity],
    current: {},
    sent: body.udfs,
    singular: schema.singular,
    create: true,
  });
  for (const name of [...CREATE_ONLY_TIMESTAMPS, ...ACTIVITY_TIMESTAMPS]) {
    if (hasField(parts, entity, name)) values[name] = now;
  }
  for (const name of CREATOR_FIELDS) if (hasField(parts, entity, name)) values[name] = actor;
  if (impersonator !== undefined && hasField(parts, entity, 'impersonatorCreatorResourceID')) {
    values['impersonatorCreatorResourceID'] = impersonator;
  }
  const id = parts.tenant.nextId(entity);
  values['id'] = id;
  const created: StoredRecord = { id, values: compact(values), udfs };
  parts.tenant.tables[entity].insert(created);
  parts.webhooks?.notify(entity, 'Create', undefined, created, actor);
  return jsonResponse({ itemId: id });
}

export function updateRecord(
  parts: EmulatorParts,
  scope: RequestScope,
  entity: EntityName,
  mode: Exclude<WriteMode, 'create'>,
  parentId?: number,
): ApiReply {
  const schema = parts.schemas[entity];
  const body = readBody(parts, entity, scope);
  if (body.id === undefined) fail(messages.updateIdRequired(schema.singular));
  const table = parts.tenant.tables[entity];
  const existing = table.get(body.id);
  if (!existing || (parentId !== undefined && existing.values['companyID'] !== parentId)) {
    fail(messages.updateNotFound(schema.singular, body.id));
  }
  applyParent(body, parentId);
  const { actor, impersonator } = actors(parts, scope);
  const values: Record<string, unknown> = {};
  if (mode === 'patch') Object.assign(values, existing.values);
  else {
    // PUT: keep only what the client cannot write; every writable field comes from the body or is null.
    for (const field of schema.fields) {
      if (field.isReadOnly && existing.values[field.name] !== undefined) {
        values[field.name] = existing.values[field.name];
      }
    }
  }
  const supplied = new Set<string>();
  for (const [name, value] of body.values) {
    values[name] = value;
    supplied.add(name);
  }
  validateWrite({ schema, tenant: parts.tenant, mode, values, supplied });
  const udfs = mergeUdfs({
    definitions: parts.tenant.udfDefinitions[entity],
    current: existing.udfs,
    sent: body.udfs,
    singular: schema.singular,
    create: false,
  });
  const now = formatAutotaskDateTime(parts.clock.now());
  for (const name of ACTIVITY_TIMESTAMPS) if (hasField(parts, entity, name)) values[name] = now;
  if (impersonator !== undefined && hasField(parts, entity, 'impersonatorUpdaterResourceID')) {
    values['impersonatorUpdaterResourceID'] = impersonator;
  }
  values['id'] = existing.id;
  const record: StoredRecord = { id: existing.id, values: compact(values), udfs };
  table.replace(record);
  parts.webhooks?.notify(entity, 'Update', existing, record, actor);
  return jsonResponse({ itemId: existing.id });
}

/** `DELETE /Companies/{parentId}/Contacts/{id}` — the only delete the four entities allow (§3.2). */
export function deleteContact(
  parts: EmulatorParts,
  scope: RequestScope,
  parentId: number,
  id: number,
): ApiReply {
  const table = parts.tenant.tables.Contacts;
  const existing = table.get(id);
  if (!existing || existing.values['companyID'] !== parentId) fail(messages.deleteNotFound());
  const { actor } = actors(parts, scope);
  if (existing.values['primaryContact'] === true) fail(messages.primaryContactDelete());
  table.delete(id);
  parts.webhooks?.notify('Contacts', 'Delete', existing, undefined, actor);
  return jsonResponse({ itemId: id });
}
