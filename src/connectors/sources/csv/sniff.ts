/**
 * What can be told from the first bytes of a CSV file before parsing: a UTF-16 file or a spreadsheet
 * workbook saved under a .csv name (not supported: the user is told how to re-save it) and, when
 * asked, the delimiter.
 */

/** Delimiters `auto` chooses between, in order of preference on a tie. */
export const AUTO_DELIMITERS = [',', ';', '\t', '|'] as const;

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE2_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** A reason the file cannot be read as CSV at all, or `undefined`. */
export function detectUnsupportedEncoding(head: Buffer): string | undefined {
  // A .xlsx/.ods workbook is a ZIP file ("PK\x03\x04"), an old .xls an OLE2 file: renamed to .csv, they
  // would read as one column of binary noise.
  if (head.subarray(0, 4).equals(ZIP_MAGIC) || head.subarray(0, 8).equals(OLE2_MAGIC))
    return 'the file is a spreadsheet workbook (Excel or LibreOffice), not CSV: save the sheet as "CSV UTF-8" and use that file';
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))
    return 'the file is UTF-16: save it as "CSV UTF-8" (Excel) or convert it with `iconv -f UTF-16 -t UTF-8`';
  const sample = head.subarray(0, 1024);
  let nul = 0;
  for (const byte of sample) if (byte === 0) nul++;
  if (sample.length >= 16 && nul * 4 >= sample.length)
    return 'the file looks like UTF-16 or a binary file (a quarter of its first bytes are NUL): save it as CSV UTF-8';
  return undefined;
}

/**
 * The delimiter of the first record of `head`: whichever candidate occurs most often outside quotes.
 * Defaults to `,` when none occurs (a one-column file).
 */
export function detectDelimiter(head: Buffer, quote: string): string {
  const counts = new Map<string, number>(AUTO_DELIMITERS.map((d) => [d, 0]));
  const q = quote.charCodeAt(0);
  let quoted = false;
  for (const byte of head) {
    if (byte === q) quoted = !quoted;
    else if (!quoted && (byte === 0x0a || byte === 0x0d)) break;
    else if (!quoted) {
      const c = String.fromCharCode(byte);
      const n = counts.get(c);
      if (n !== undefined) counts.set(c, n + 1);
    }
  }
  let best = ',';
  let bestCount = 0;
  for (const [d, n] of counts)
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  return best;
}

/** True once `head` holds a whole first record (a newline outside quotes), so sniffing can stop. */
export function hasFirstRecord(head: Buffer, quote: string): boolean {
  const q = quote.charCodeAt(0);
  let quoted = false;
  for (const byte of head) {
    if (byte === q) quoted = !quoted;
    else if (!quoted && byte === 0x0a) return true;
  }
  return false;
}
