/**
 * The "Microsoft" JSON date, `/Date(1772323200000)/` or `/Date(1772323200000+0100)/` (epoch milliseconds,
 * optionally followed by the writer's UTC offset, which does not move the instant). JSON.NET reads it
 * into a DateTime as readily as ISO 8601, and Windows PowerShell 5.1's `ConvertTo-Json` writes every
 * `[datetime]` that way (`"\/Date(1772323200000)\/"`), so clients built on it send it to Autotask.
 */
const MS_DATE = /^\/Date\((-?\d{1,15})([+-]\d{4})?\)\/$/;

/** Epoch milliseconds of a Microsoft JSON date, or `undefined` when `value` is not one. */
export function parseMicrosoftJsonDate(value: string): number | undefined {
  const m = MS_DATE.exec(value.trim());
  if (!m) return undefined;
  const ms = Number(m[1]);
  return Number.isSafeInteger(ms) && Math.abs(ms) <= 8.64e15 ? ms : undefined;
}
