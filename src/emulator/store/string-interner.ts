/**
 * Shares equal strings between records, per field, while the field has few distinct values (first
 * names, titles, cities, states, picklist-like strings). A field that passes `maxDistinct` distinct
 * values (emails, phones, timestamps) stops being interned and its table is dropped, so the cost is
 * bounded: at most `maxDistinct` entries per field.
 */

export interface StringInternerOptions {
  /** Distinct values a field may have and still be interned. @default 2000 */
  maxDistinct?: number;
  /** Longer strings are never interned. @default 64 */
  maxLength?: number;
}

export class StringInterner {
  private readonly fields = new Map<string, Map<string, string> | null>();
  private readonly maxDistinct: number;
  private readonly maxLength: number;

  constructor(options: StringInternerOptions = {}) {
    this.maxDistinct = options.maxDistinct ?? 2000;
    this.maxLength = options.maxLength ?? 64;
  }

  /** The shared instance of `value` for `field` (or `value` itself). */
  intern(field: string, value: string): string {
    if (value.length > this.maxLength) return value;
    let table = this.fields.get(field);
    if (table === null) return value;
    if (table === undefined) {
      table = new Map();
      this.fields.set(field, table);
    }
    const shared = table.get(value);
    if (shared !== undefined) return shared;
    if (table.size >= this.maxDistinct) {
      this.fields.set(field, null); // too many distinct values: not worth it for this field
      return value;
    }
    table.set(value, value);
    return value;
  }
}
