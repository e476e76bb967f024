/**
 * Every error message of the query engine, in one place. Messages marked "observed" are Autotask's own
 * wording (API doc §8.3); the others are the emulator's (Autotask's exact text is unknown, §14 item 4/6)
 * and say what is wrong and how to fix it. All become `500 {"errors":[message]}`.
 */
import { AutotaskBusinessError } from '../contracts.js';

export const QUERY_MESSAGES = {
  /** Observed. */
  unknownField: (field: string, singular: string): string =>
    `Unable to find ${field} in the ${singular} Entity.`,
  /** Observed. */
  tooManyUdfConditions: (): string => 'You can only query by one user-defined field at a time.',
  /** Observed. */
  tooManyOrConditions: (): string => "Queries are limited to 500 or fewer 'OR' conditions.",
  missingFilter: (): string =>
    'A query must have a filter: send {"filter":[{"op":"gte","field":"id","value":0}]} to match every record.',
  notAnObject: (): string => 'The query must be a JSON object such as {"filter":[...],"MaxRecords":500}.',
  filterNotArray: (): string => 'The filter must be a JSON array of conditions.',
  maxRecordsOutOfRange: (value: unknown): string =>
    `MaxRecords must be a whole number from 1 to 500 (got ${JSON.stringify(value)}).`,
  includeFieldsNotArray: (): string => 'IncludeFields must be a JSON array of field names.',
  conditionNotObject: (): string => 'Each filter item must be an object with "op", "field" and "value".',
  unknownOperator: (op: unknown): string =>
    `Invalid filter operator ${JSON.stringify(op)}: use eq, noteq, gt, gte, lt, lte, beginsWith, endsWith, contains, exist, notExist, in, notIn, and, or.`,
  missingField: (op: string): string => `The '${op}' condition needs a "field".`,
  missingValue: (op: string, field: string): string => `The '${op}' condition on ${field} needs a "value".`,
  scalarValueExpected: (op: string, field: string): string =>
    `The '${op}' condition on ${field} needs a single value, not an array or object.`,
  listValueExpected: (op: string, field: string): string =>
    `The '${op}' condition on ${field} needs a non-empty array "value".`,
  missingItems: (op: string): string => `The '${op}' group needs a non-empty "items" array of conditions.`,
  notQueryable: (field: string, singular: string): string =>
    `The ${field} field of the ${singular} Entity cannot be queried; filter on another field.`,
  invalidBoolean: (field: string, value: unknown): string =>
    `The value ${JSON.stringify(value)} is not valid for the boolean field ${field}: use true or false.`,
  invalidDate: (field: string, value: unknown): string =>
    `The value ${JSON.stringify(value)} is not a valid date for ${field}: use UTC yyyy-mm-ddThh:mm:ss[.fff][Z].`,
};

export function queryError(message: string): AutotaskBusinessError {
  return new AutotaskBusinessError([message]);
}
