/**
 * Characters that make Excel, LibreOffice or Google Sheets treat a cell as a formula (CSV injection,
 * OWASP): `=`, `+`, `-`, `@`, tab and carriage return at the start of the text.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Makes a string safe to open in a spreadsheet by prefixing `'` when it could start a formula.
 * Numbers are left alone (a number is never a formula, and `-5` stays a number); only strings change.
 */
export function neutraliseFormula<T>(value: T): T | string {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}
