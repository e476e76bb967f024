import type {
  EntityRecord,
  FieldDataType,
  FieldInformation,
  PicklistValue,
  UserDefinedFieldInformation,
} from '../../autotask/types.js';
import { parseAutotaskDateTime } from '../../autotask/datetime.js';
import type { SinkColumn, SinkColumnType, SinkRow } from '../../connectors/sinks/sink.js';

/** Suffix of the column holding a picklist's label beside its value: `companyType_label`. */
export const LABEL_SUFFIX = '_label';
/** Prefix of a user-defined field's column: `udf_Customer Ranking` (the UDF's name, spaces kept). */
export const UDF_PREFIX = 'udf_';

/**
 * The columns of an export and how a record becomes a row, from the entity's live metadata:
 * - every field, in metadata order (`id` first), typed from its `dataType`;
 * - after each picklist field, `<field>_label` with the picklist label of its value (empty when the
 *   value is not in the picklist);
 * - then every user-defined field as `udf_<Name>`, and `udf_<Name>_label` after a picklist UDF;
 * - last, with `deletedColumn`, the timestamp column flagging records deleted in Autotask (always
 *   null in a row: a record just read exists, so writing it clears an earlier flag).
 *
 * Values are typed as their columns: datetimes become UTC ISO-8601 with milliseconds and `Z`
 * (`2024-05-01T09:30:00.000Z`, also when Autotask sent no offset), dates `YYYY-MM-DD`, and UDF values
 * (strings on the wire) of number columns become numbers.
 */
export interface ExportLayout {
  columns: SinkColumn[];
  /** The picklists behind the `_label` columns, to notice a relabelled value. */
  picklists: LayoutPicklist[];
  toRow(record: EntityRecord): SinkRow;
}

export interface LayoutPicklist {
  /** The label column, e.g. `companyType_label`. */
  column: string;
  /** The field (or UDF name) holding the value. */
  field: string;
  udf: boolean;
  /** Value → label. */
  labels: Record<string, string>;
}

export interface ExportLayoutOptions {
  /** Adds this datetime column, null in every row (deletions flagged by the export). @default none */
  deletedColumn?: string | undefined;
}

export function buildExportLayout(
  fields: readonly FieldInformation[],
  udfs: readonly UserDefinedFieldInformation[],
  options: ExportLayoutOptions = {},
): ExportLayout {
  const ordered = [...fields].sort((a, b) => (a.name === 'id' ? -1 : b.name === 'id' ? 1 : 0));
  const columns: SinkColumn[] = [];
  const picklists: LayoutPicklist[] = [];
  const steps: ((record: EntityRecord, row: SinkRow, udfValues: Map<string, unknown>) => void)[] = [];

  for (const field of ordered) {
    const name = field.name;
    const type = columnType(field.dataType);
    columns.push({ name, type });
    if (field.isPickList) {
      const labels = labelMap(field.picklistValues);
      columns.push({ name: name + LABEL_SUFFIX, type: 'string' });
      picklists.push({
        column: name + LABEL_SUFFIX,
        field: name,
        udf: false,
        labels: Object.fromEntries(labels),
      });
      steps.push((record, row) => {
        const value = record[name] ?? null;
        row[name] = value;
        row[name + LABEL_SUFFIX] = labelOf(labels, value);
      });
    } else {
      steps.push((record, row) => {
        row[name] = typedValue(record[name], type);
      });
    }
  }
  for (const udf of udfs) {
    const column = UDF_PREFIX + udf.name;
    // a picklist UDF holds the value (numeric in Autotask), its label goes beside it
    const type = udf.isPickList
      ? numericPicklist(udf.picklistValues)
        ? columnType(udf.type)
        : 'string'
      : columnType(udf.type);
    columns.push({ name: column, type });
    if (udf.isPickList) {
      const labels = labelMap(udf.picklistValues);
      columns.push({ name: column + LABEL_SUFFIX, type: 'string' });
      picklists.push({
        column: column + LABEL_SUFFIX,
        field: udf.name,
        udf: true,
        labels: Object.fromEntries(labels),
      });
      steps.push((_record, row, udfValues) => {
        const value = udfValues.get(udf.name) ?? null;
        row[column] = typedValue(value, type);
        row[column + LABEL_SUFFIX] = labelOf(labels, value);
      });
    } else {
      steps.push((_record, row, udfValues) => {
        row[column] = typedValue(udfValues.get(udf.name), type);
      });
    }
  }
  if (options.deletedColumn !== undefined) {
    const column = options.deletedColumn;
    columns.push({ name: column, type: 'datetime' });
    steps.push((_record, row) => {
      row[column] = null;
    });
  }

  return {
    columns,
    picklists,
    toRow(record) {
      const udfValues = new Map<string, unknown>();
      for (const u of record.userDefinedFields ?? []) udfValues.set(u.name, u.value);
      const row: SinkRow = {};
      for (const step of steps) step(record, row, udfValues);
      return row;
    },
  };
}

function columnType(dataType: FieldDataType): SinkColumnType {
  switch (dataType) {
    case 'integer':
    case 'long':
    case 'short':
      return 'integer';
    case 'double':
    case 'decimal':
      return 'decimal';
    case 'boolean':
      return 'boolean';
    case 'datetime':
      return 'datetime';
    case 'date':
      return 'date';
    default:
      return 'string';
  }
}

function labelMap(values: readonly PicklistValue[] | null): Map<string, string> {
  return new Map((values ?? []).map((v) => [v.value, v.label]));
}

function labelOf(labels: Map<string, string>, value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  return labels.get(String(value)) ?? null;
}

/** A picklist whose values are all integers (Autotask's usual case). */
function numericPicklist(values: readonly PicklistValue[] | null): boolean {
  return (values ?? []).every((v) => /^-?\d+$/.test(v.value));
}

/**
 * A value as its column holds it: datetimes as UTC ISO-8601 with `Z`, dates as `YYYY-MM-DD`, numeric
 * strings of number columns as numbers, booleans sent as text as booleans. Anything that does not
 * parse is kept as Autotask sent it (the destination then reports it, rather than losing it).
 */
export function typedValue(value: unknown, type: SinkColumnType): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') return value;
  switch (type) {
    case 'datetime': {
      const t = parseAutotaskDateTime(value);
      return t === undefined ? value : new Date(t).toISOString();
    }
    case 'date': {
      const t = parseAutotaskDateTime(value);
      return t === undefined ? value : new Date(t).toISOString().slice(0, 10);
    }
    case 'integer':
    case 'decimal': {
      const trimmed = value.trim();
      if (trimmed === '') return null;
      const n = Number(trimmed);
      if (!Number.isFinite(n) || (type === 'integer' && !Number.isSafeInteger(n))) return value;
      // more digits than a double keeps exactly: leave the text (PostgreSQL's numeric takes it whole)
      if (trimmed.replace(/^[-+]?0*|\.|e.*$/gi, '').replace(/0+$/, '').length > 15) return value;
      return n;
    }
    case 'boolean': {
      const lower = value.trim().toLowerCase();
      if (lower === 'true' || lower === '1') return true;
      if (lower === 'false' || lower === '0') return false;
      return value;
    }
    default:
      return value;
  }
}
