/**
 * The table of Autotask fields the mapping editor shows for an object: every writable field and UDF
 * from the tenant's live metadata, required ones marked (Autotask's own rule or the product's),
 * picklists with their labels, and the related object a reference field names.
 */
import type { FieldInformation, PicklistValue, UserDefinedFieldInformation } from '../autotask/types.js';
import type { WritableObject } from '../config/objects.js';
import { REF_ENTITIES, type RefEntity } from '../sync/mapping/field-mapping-spec.js';
import { IMPLICIT_DEFAULTS, PRODUCT_REQUIRED_FIELDS } from '../sync/mapping/product-rules.js';

export interface CatalogField {
  /** Mapping target: the field name, or `udf:Name` for a user-defined field. */
  target: string;
  /** What the page shows: the UDF's label, or the field name. */
  label: string;
  udf: boolean;
  dataType: string;
  /** Max characters for strings; 0 otherwise. */
  length: number;
  required: boolean;
  /** Why it is required (product rule or Autotask), if it is. */
  requiredReason: string | null;
  /** Active picklist values (label + value), or null for a free field. */
  picklist: { value: string; label: string }[] | null;
  /** Related object for reference fields the engine can resolve by name or email. */
  ref: RefEntity | null;
  /** A default the product applies when the field is not mapped at all. */
  implicitDefault: string | number | boolean | null;
}

const REFS_BY_ENTITY: Readonly<Record<string, RefEntity>> = {
  Company: 'Company',
  Account: 'Company',
  Contact: 'Contact',
  Resource: 'Resource',
};

function activeValues(values: readonly PicklistValue[] | null): CatalogField['picklist'] {
  if (values === null) return null;
  return [...values]
    .filter((v) => v.isActive)
    .sort((a, b) => a.sortOrder - b.sortOrder)
    .map((v) => ({ value: v.value, label: v.label }));
}

/** Writable fields then UDFs, each group with required fields first, then by name. */
export function fieldCatalog(
  object: WritableObject,
  metadata: { fields: readonly FieldInformation[]; udfs: readonly UserDefinedFieldInformation[] },
): CatalogField[] {
  const product = new Map(PRODUCT_REQUIRED_FIELDS[object].map((r) => [r.field, r.reason]));
  const implicit = IMPLICIT_DEFAULTS[object];
  const fields: CatalogField[] = metadata.fields
    .filter((f) => !f.isReadOnly && f.name !== 'id')
    .map((f) => {
      const reason = product.get(f.name) ?? (f.isRequired ? 'Autotask requires it' : null);
      const ref = f.isReference ? (REFS_BY_ENTITY[f.referenceEntityType] ?? null) : null;
      return {
        target: f.name,
        label: f.name,
        udf: false,
        dataType: f.dataType,
        length: f.length,
        required: reason !== null,
        requiredReason: reason,
        picklist: f.isPickList ? activeValues(f.picklistValues) : null,
        ref: ref !== null && (REF_ENTITIES as readonly string[]).includes(ref) ? ref : null,
        implicitDefault: implicit[f.name] ?? null,
      };
    });
  const udfs: CatalogField[] = metadata.udfs
    .filter((u) => !u.isReadOnly)
    .map((u) => ({
      target: `udf:${u.name}`,
      label: u.label || u.name,
      udf: true,
      dataType: u.type,
      length: u.length,
      required: u.isRequired,
      requiredReason: u.isRequired ? 'Autotask requires this user-defined field' : null,
      picklist: u.isPickList ? activeValues(u.picklistValues) : null,
      ref: null,
      implicitDefault: null,
    }));
  const order = (a: CatalogField, b: CatalogField): number =>
    Number(b.required) - Number(a.required) || a.label.localeCompare(b.label);
  return [...fields.sort(order), ...udfs.sort(order)];
}
