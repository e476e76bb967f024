/**
 * Turns the bytes of CSV values into text. The parser works on bytes (read as Latin-1, one character
 * per byte, so delimiters and quotes are found whatever the encoding) and each value is decoded here:
 *
 * - `utf-8`: bytes must be valid UTF-8, else the record is in error.
 * - `latin1`: Windows-1252 (the superset of ISO-8859-1 that Excel and Windows exports use: 0x80 is €).
 * - `auto`: the first value with non-ASCII bytes decides: valid UTF-8 → UTF-8, else Latin-1 (warning).
 *   In a file found to be UTF-8, a later value that is not valid UTF-8 is read as Latin-1 (warning).
 *
 * NUL characters are removed from values (warning): Autotask refuses them and they usually come from
 * a broken export.
 */
import { isUtf8 } from 'node:buffer';

export type CsvEncoding = 'auto' | 'utf-8' | 'latin1';

/** Windows-1252 characters for bytes 0x80–0x9F (undefined bytes keep their Latin-1 code point). */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d,
  0x017d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0x9d, 0x017e, 0x0178,
];

// Matches any character outside ASCII, i.e. any byte >= 0x80 in a Latin-1 transport string.
const NON_ASCII = /[\u0080-\u00ff]/;

/** Decodes a Latin-1 transport string (one char per byte) as Windows-1252. */
export function decodeWindows1252(bytes: string): string {
  return bytes.replace(/[\u0080-\u009f]/g, (c) =>
    String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80] ?? 0),
  );
}

export type DecodeEvent = 'latin1-detected' | 'latin1-fallback' | 'nul-removed';

export type DecodeOutcome = { ok: true; text: string } | { ok: false; reason: string };

/** Decodes values for one read of one file; remembers what `auto` decided. */
export class ValueDecoder {
  private decided: 'utf-8' | 'latin1' | undefined;

  constructor(
    private readonly encoding: CsvEncoding,
    /** Told when a value was read as Latin-1 or had NUL characters removed. */
    private readonly onEvent: (event: DecodeEvent) => void,
  ) {
    if (encoding !== 'auto') this.decided = encoding;
  }

  /** The encoding in use so far (`undefined` while an `auto` file has shown only ASCII). */
  get current(): 'utf-8' | 'latin1' | undefined {
    return this.decided;
  }

  decode(bytes: string): DecodeOutcome {
    let text = bytes;
    if (NON_ASCII.test(bytes)) {
      const buffer = Buffer.from(bytes, 'latin1');
      const valid = isUtf8(buffer);
      if (this.decided === undefined) {
        this.decided = valid ? 'utf-8' : 'latin1';
        if (!valid) this.onEvent('latin1-detected');
      }
      if (this.decided === 'latin1') text = decodeWindows1252(bytes);
      else if (valid) text = buffer.toString('utf8');
      else if (this.encoding === 'auto') {
        this.onEvent('latin1-fallback');
        text = decodeWindows1252(bytes);
      } else
        return {
          ok: false,
          reason:
            'this value is not valid UTF-8: save the file as UTF-8, or set `encoding: latin1` on the source',
        };
    }
    if (text.includes('\u0000')) {
      this.onEvent('nul-removed');
      text = text.replaceAll('\u0000', '');
    }
    return { ok: true, text };
  }
}
