/**
 * Every validation message the emulator sends, in one place.
 *
 * NOTE FOR docs/emulator.md — wordings and where they come from:
 * - OBSERVED (Autotask's own wording, API doc §8.3):
 *   - `Value does not reference an existing entity for {field} . ` — invalid picklist value or a
 *     reference to a missing record (observed for `taskType`; we use it for every field).
 *   - `No message. No matching records found. The logged in Resource may not have the required
 *     permissions to delete the data.` — delete of a missing id.
 *   - `The {field}[{value}] cannot be associated with the {Entity}. The {Entity} and {Other} must have
 *     the same companyID.` — patterned on the observed Ticket/CompanyLocation message; used for an
 *     Opportunity's contactID whose contact belongs to another company.
 * - INVENTED by the emulator (Autotask's wording unknown, §14 q4):
 *   - `The field {field} is required.` — missing required field on create/PUT, or cleared by PATCH.
 *   - `The value of {field} exceeds the maximum length of {n} characters.`
 *   - `The value {value} of {field} is inactive and cannot be used.` — inactive picklist value.
 *   - `The value {value} of {field} does not belong to {parentField} {parentValue}.` — dependent
 *     picklist value whose parent does not match.
 *   - `{field} [{value}] must be an active resource that is not an API-only user.` — owner resources.
 *   - `Unable to find the user-defined field {name} in the {Entity} Entity.` — unknown UDF name.
 *   - `The value of the user-defined field {name} is not a valid {type}: {value}.`
 *   - `companyID [{body}] in the request body does not match the parent Company [{url}] in the URL.`
 *   - `No {Entity} with id {id} was found to update.` — update of a missing id.
 *   - `The id of the {Entity} to update is required in the request body.` — PATCH/PUT without id.
 *   - `ImpersonationResourceId [{id}] ...` — impersonation of an unknown, inactive or API-only resource.
 *   - `The Contact cannot be deleted because it is the primary contact of its company.`
 *   - JSON.NET conversion messages (coercion.ts) follow JSON.NET's own wording; the "Path ..., line,
 *     position" suffix is computed from the raw body (exact for flat objects).
 *   - Paging (routes/query-handlers.ts, routes/paging.ts): `The search parameter is not valid JSON...`,
 *     `The query of this page is not known...` (POST to /query/next without a body after the emulator
 *     forgot the query), `The filter in the request body differs from the filter of the query being
 *     paged...`, `The paging parameter is missing or invalid...`.
 * - CHOICES on open questions (§14): GET by id of a missing id → 200 {"item":null} (option
 *   notFoundStatus 404 → empty 404); `GET /{Entity}/query` without `search` → 405 like /query/next;
 *   nextIds[0] = last id of the current page; POST /query/next without a body continues the remembered
 *   query; companyID in a child-route body that differs from the URL → 500; PUT keeps omitted UDFs;
 *   apiVersions ["v1.0"]; zoneName "EMU01"; any verb on `/Contacts` → 404 (no such route, as observed
 *   for PATCH); unknown routes and wrong verbs are answered before
 *   authentication and are not counted against the hourly threshold; a 401 is not counted either; a
 *   wrong integration code → empty 401 (option legacyIntegrationCodeError → 500 "IntegrationCode is
 *   invalid.").
 * - NOT EMULATED: company locations (so a contact's companyLocationID and a company's
 *   billToCompanyLocationID are not checked), references to entities the emulator does not serve
 *   (countries, categories, templates, ...), permission levels of the API user.
 */

export const messages = {
  noReference: (field: string): string => `Value does not reference an existing entity for ${field} . `,
  required: (field: string): string => `The field ${field} is required.`,
  tooLong: (field: string, length: number): string =>
    `The value of ${field} exceeds the maximum length of ${length} characters.`,
  inactivePicklistValue: (field: string, value: unknown): string =>
    `The value ${String(value)} of ${field} is inactive and cannot be used.`,
  picklistParentMismatch: (
    field: string,
    value: unknown,
    parentField: string,
    parentValue: unknown,
  ): string =>
    `The value ${String(value)} of ${field} does not belong to ${parentField} ${String(parentValue)}.`,
  ownerNotAssignable: (field: string, value: unknown): string =>
    `${field} [${String(value)}] must be an active resource that is not an API-only user.`,
  sameCompany: (field: string, value: unknown, entity: string, other: string): string =>
    `The ${field}[${String(value)}] cannot be associated with the ${entity}. The ${entity} and ${other} must have the same companyID.`,
  unknownUdf: (name: string, entity: string): string =>
    `Unable to find the user-defined field ${name} in the ${entity} Entity.`,
  invalidUdfValue: (name: string, type: string, value: string): string =>
    `The value of the user-defined field ${name} is not a valid ${type}: ${value}.`,
  parentMismatch: (bodyCompanyId: unknown, urlCompanyId: number): string =>
    `companyID [${String(bodyCompanyId)}] in the request body does not match the parent Company [${urlCompanyId}] in the URL.`,
  updateNotFound: (entity: string, id: number): string => `No ${entity} with id ${id} was found to update.`,
  updateIdRequired: (entity: string): string =>
    `The id of the ${entity} to update is required in the request body.`,
  deleteNotFound: (): string =>
    'No message. No matching records found. The logged in Resource may not have the required permissions to delete the data.',
  primaryContactDelete: (): string =>
    'The Contact cannot be deleted because it is the primary contact of its company.',
  badImpersonation: (value: string): string =>
    `ImpersonationResourceId [${value}] must be the id of an active resource that is not an API-only user.`,
} as const;
