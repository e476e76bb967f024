/**
 * What compiling and applying a field mapping produce. The engine reads these; nothing here talks to
 * Autotask or the state store.
 */
import type { FieldDataType, FieldInformation, UserDefinedFieldInformation } from '../../autotask/types.js';
import type { Direction, RefEntity } from './field-mapping-spec.js';

/** Live metadata of one Autotask entity, as the client returns it. */
export interface EntityMetadata {
  readonly fields: readonly FieldInformation[];
  readonly udfs: readonly UserDefinedFieldInformation[];
}

/** A value as it goes on the wire in a create/update body (UDF values are always strings or null). */
export type WireValue = string | number | boolean | null;

/** One problem found in a configuration, for `check` and for refusing to run. */
export interface MappingFinding {
  readonly severity: 'error' | 'warning';
  /** Stable code, e.g. `UNKNOWN_FIELD`, `REQUIRED_UNSATISFIABLE`. */
  readonly code: string;
  /** Path to the setting, e.g. `syncs[0].fields.companyType.default`. */
  readonly path: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** One problem with one source record; the record is `invalid` when it has any. */
export interface RecordIssue {
  /** Stable code, e.g. `PICKLIST_UNKNOWN`, `TOO_LONG`, `DATE_INVALID`. */
  readonly code: string;
  /** Target of the mapping: an Autotask field name or `udf:Name`. */
  readonly target: string;
  /** Source column the value came from, when there is one. */
  readonly column?: string;
  /** The offending value, shortened for display. */
  readonly value?: string;
  /** What is wrong, naming the field, the column and the value. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** A related record to look up, parsed from a mapped value (`ref:`). The engine resolves it. */
export type RefRequest =
  | { readonly entity: RefEntity; readonly by: 'id'; readonly id: number }
  | { readonly entity: RefEntity; readonly by: 'email'; readonly email: string }
  | { readonly entity: RefEntity; readonly by: 'name'; readonly name: string };

/** Values for one record, split by where they go. */
export interface MappedValues {
  /** Autotask field → wire value. `null` clears the field (only from `empty-to-null` or `value: null`). */
  readonly fields: Record<string, WireValue>;
  /** UDF name (as Autotask spells it) → wire value (UDFs are strings on the wire). */
  readonly udfs: Record<string, string | null>;
  /** Reference field (e.g. `companyID`) → what to look up; `null` clears the relationship. */
  readonly refs: Record<string, RefRequest | null>;
}

/** The result of mapping one source record. Fields whose value is empty are absent (never cleared). */
export interface MappedRecord extends MappedValues {
  /** Defaults for fields whose mapped value is empty: apply them only when the record is created. */
  readonly defaults: MappedValues;
  /** Problems that make the record invalid whatever happens (bad picklist value, too long, bad date...). */
  readonly issues: RecordIssue[];
  /**
   * Problems that matter only if the record is created: a required field is empty and has no default.
   * An update of an existing record may go ahead.
   */
  readonly createIssues: RecordIssue[];
}

/** Where a compiled mapping takes its value from. */
export type CompiledSource =
  | { readonly kind: 'column'; readonly column: string }
  | { readonly kind: 'value'; readonly value: WireValue }
  | {
      readonly kind: 'template';
      readonly parts: readonly TemplatePart[];
      readonly columns: readonly string[];
    }
  | { readonly kind: 'none' };

export type TemplatePart = { readonly text: string } | { readonly column: string };

/** What the target field accepts, taken from metadata. */
export interface TargetType {
  readonly dataType: FieldDataType;
  /** Max characters for text, 0 = no limit known. */
  readonly length: number;
  /** Active and inactive picklist values, or `undefined` when not a picklist. */
  readonly picklist?: readonly {
    value: string;
    label: string;
    isActive: boolean;
    sortOrder: number;
    /** For a dependent picklist: the value of the parent field this entry belongs to ('' = any). */
    parentValue?: string | null;
  }[];
  /** For a reference field: the kind of record it points at, when `ref:` can resolve it. */
  readonly reference?: RefEntity;
  /** Dependent picklist: the field whose value restricts this one (`picklistParentValueField`). */
  readonly parentField?: string;
  /** Datetime with date-only semantics (never shifted by a time zone). */
  readonly dateOnly: boolean;
  /** Email address syntax is checked. */
  readonly email: boolean;
}

/** One field mapping, checked against metadata and ready to apply. */
export interface CompiledFieldMapping {
  /** `companyType` or `udf:Customer Ranking`, spelt as Autotask spells it. */
  readonly target: string;
  readonly kind: 'field' | 'udf';
  /** The Autotask field or UDF name. */
  readonly name: string;
  /** Config path, e.g. `syncs[0].fields.companyType`. */
  readonly path: string;
  readonly source: CompiledSource;
  readonly transforms: readonly CompiledTransform[];
  /** Default (create only), already converted; a `RefRequest` for `ref` mappings. */
  readonly default?: WireValue | RefRequest;
  readonly ref?: RefEntity;
  readonly direction: Direction;
  readonly type: TargetType;
  /** Required on create (Autotask metadata or product rules). */
  readonly requiredOnCreate: boolean;
  /** Added by the product, not written in the config (Contact `isActive: { default: 1 }`). */
  readonly implicit: boolean;
}

/** A transform step, compiled (options resolved, regexes and parsers built). */
export interface CompiledTransform {
  readonly name: string;
  /** Returns the new value, or throws a `TransformError` for a record issue. */
  readonly apply: (value: unknown) => unknown;
}

/** A mapping for one sync, checked against live metadata. Immutable; reuse it for every record. */
export interface CompiledMapping {
  readonly object: string;
  readonly fields: readonly CompiledFieldMapping[];
  /** Every source column the mapping reads (for checking a source's header). */
  readonly columns: readonly string[];
  /** Targets (field names / `udf:Name`) whose system of record is Autotask. */
  readonly autotaskOwned: ReadonlySet<string>;
  /** Warnings found while compiling (errors prevent compiling). */
  readonly warnings: readonly MappingFinding[];
}
