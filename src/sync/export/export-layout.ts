import type {
  EntityRecord,
  FieldDataType,
  FieldInformation,
  PicklistValue,
  UserDefinedFieldInformation,
} from '../../autotask/types.js';
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
 * - then every user-defined field as `udf_<Name>`, and `udf_<Name>_label` after a picklist UDF.
 */
export interface ExportLayout {
  columns: SinkColumn[];
  toRow(record: EntityRecord): SinkRow;
}

export function buildExportLayout(
  fields: readonly FieldInformation[],
  udfs: readonly UserDefinedFieldInformation[],
): ExportLayout {
  const ordered = [...fields].sort((a, b) => (a.name === 'id' ? -1 : b.name === 'id' ? 1 : 0));
  const columns: SinkColumn[] = [];
  const steps: ((record: EntityRecord, row: SinkRow, udfValues: Map<string, unknown>) => void)[] = [];

  for (const field of ordered) {
    const name = field.name;
    columns.push({ name, type: columnType(field.dataType) });
    if (field.isPickList) {
      const labels = labelMap(field.picklistValues);
      columns.push({ name: name + LABEL_SUFFIX, type: 'string' });
      steps.push((record, row) => {
        const value = record[name] ?? null;
        row[name] = value;
        row[name + LABEL_SUFFIX] = labelOf(labels, value);
      });
    } else {
      steps.push((record, row) => {
        row[name] = record[name] ?? null;
      });
    }
  }
  for (const udf of udfs) {
    const column = UDF_PREFIX + udf.name;
    columns.push({ name: column, type: udf.isPickList ? 'string' : columnType(udf.type) });
    if (udf.isPickList) {
      const labels = labelMap(udf.picklistValues);
      columns.push({ name: column + LABEL_SUFFIX, type: 'string' });
      steps.push((_record, row, udfValues) => {
        const value = udfValues.get(udf.name) ?? null;
        row[column] = value;
        row[column + LABEL_SUFFIX] = labelOf(labels, value);
      });
    } else {
      steps.push((_record, row, udfValues) => {
        row[column] = udfValues.get(udf.name) ?? null;
      });
    }
  }

  return {
    columns,
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
