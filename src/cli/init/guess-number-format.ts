/**
 * `init` looks at a few values of a column mapped to a number field and proposes
 * `{ type: number, decimal: "," }` when they are written with a decimal comma (`12.500,00`, `99,9`),
 * as European spreadsheets export them. Without the transform such values are refused row by row.
 * Values that read the same either way (`12`, `1.500`, `1,500`) decide nothing; one value written with a
 * decimal point (`1,250.00`, `12.5`) keeps the default.
 */
import { parseNumberText } from '../../sync/mapping/number-text.js';

// A decimal comma: `,` then 1–2 or 4+ digits at the end, or a `.` before the last `,`.
const DECIMAL_COMMA = /^[^.,]*(?:\d,\d{1,2}|\d,\d{4,})$|\..*,\d+$/;
// A decimal point: `.` then 1–2 or 4+ digits at the end, or a `,` before the last `.`.
const DECIMAL_POINT = /^[^.,]*(?:\d\.\d{1,2}|\d\.\d{4,})$|,.*\.\d+$/;

/** True when `values` (empties ignored) are numbers written with a decimal comma. */
export function usesDecimalComma(values: readonly string[]): boolean {
  const samples = values.map((v) => v.trim()).filter((v) => v !== '');
  if (!samples.some((v) => DECIMAL_COMMA.test(v))) return false;
  if (samples.some((v) => DECIMAL_POINT.test(v))) return false;
  return samples.every((v) => parseNumberText(v, ',') !== undefined);
}
