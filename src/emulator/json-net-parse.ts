/**
 * JSON as Autotask's serialiser (JSON.NET's `JsonTextReader`) reads it, which is more than `JSON.parse`
 * accepts: a leading UTF-8 byte-order mark (what .NET's `Encoding.UTF8` writers emit), single-quoted
 * strings (Autotask's own `nextPageUrl` carries `search={'filter':[...]}`, API doc §4.5, and
 * PowerShell users quote JSON that way), unquoted property names (`{filter:[...]}`) and `/* *\/` or
 * `//` comments. Standard JSON takes the fast path through `JSON.parse`; only text it refuses is read
 * by the lenient reader below, so nothing valid changes meaning.
 */

/** Why the text is not JSON as JSON.NET reads it; `position` is the 0-based offset of the problem. */
export class JsonNetSyntaxError extends SyntaxError {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'JsonNetSyntaxError';
  }
}

const BOM = '\uFEFF';
const ESCAPES: Record<string, string> = {
  '"': '"',
  "'": "'",
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const IDENTIFIER = /[A-Za-z_$][A-Za-z0-9_$]*/y;

class LenientReader {
  private i = 0;

  constructor(private readonly s: string) {}

  read(): unknown {
    const value = this.value();
    this.skipSpace();
    if (this.i < this.s.length) this.fail('Additional text encountered after finished reading JSON content');
    return value;
  }

  private fail(what: string): never {
    const before = this.s.slice(0, this.i);
    const line = before.split('\n').length;
    const column = this.i - before.lastIndexOf('\n');
    throw new JsonNetSyntaxError(`${what}, line ${line}, position ${column}.`, this.i);
  }

  private skipSpace(): void {
    for (;;) {
      const c = this.s[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.i += 1;
      else if (c === '/' && this.s[this.i + 1] === '*') {
        const end = this.s.indexOf('*/', this.i + 2);
        if (end < 0) this.fail('Unexpected end while reading comment');
        this.i = end + 2;
      } else if (c === '/' && this.s[this.i + 1] === '/') {
        const end = this.s.indexOf('\n', this.i);
        this.i = end < 0 ? this.s.length : end + 1;
      } else return;
    }
  }

  private value(): unknown {
    this.skipSpace();
    const c = this.s[this.i];
    if (c === undefined) return this.fail('Unexpected end when reading JSON');
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"' || c === "'") return this.string(c);
    NUMBER.lastIndex = this.i;
    const number = NUMBER.exec(this.s);
    if (number) {
      this.i += number[0].length;
      return Number(number[0]);
    }
    for (const [word, literal] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return literal;
      }
    }
    return this.fail(`Unexpected character encountered while parsing value: ${c}`);
  }

  private string(quote: string): string {
    this.i += 1;
    let out = '';
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined) return this.fail('Unterminated string. Expected delimiter: ' + quote);
      this.i += 1;
      if (c === quote) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.s[this.i];
      this.i += 1;
      if (e === 'u') {
        const hex = this.s.slice(this.i, this.i + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Invalid Unicode escape sequence');
        out += String.fromCharCode(parseInt(hex, 16));
        this.i += 4;
      } else {
        const mapped = e === undefined ? undefined : ESCAPES[e];
        if (mapped === undefined) this.fail(`Bad JSON escape sequence: \\${e ?? ''}`);
        out += mapped;
      }
    }
  }

  private key(): string {
    this.skipSpace();
    const c = this.s[this.i];
    if (c === '"' || c === "'") return this.string(c);
    IDENTIFIER.lastIndex = this.i;
    const name = IDENTIFIER.exec(this.s);
    if (!name) return this.fail(`Invalid property identifier character: ${c ?? 'end of text'}`);
    this.i += name[0].length;
    return name[0];
  }

  private object(): Record<string, unknown> {
    this.i += 1;
    // A null-prototype object, so a "__proto__" member is an ordinary key as with JSON.parse.
    const out = Object.create(null) as Record<string, unknown>;
    this.skipSpace();
    if (this.s[this.i] === '}') {
      this.i += 1;
      return { ...out };
    }
    for (;;) {
      const key = this.key();
      this.skipSpace();
      if (this.s[this.i] !== ':') this.fail(`Invalid character after parsing property name. Expected ':'`);
      this.i += 1;
      out[key] = this.value();
      this.skipSpace();
      const c = this.s[this.i];
      this.i += 1;
      if (c === '}') return { ...out };
      if (c !== ',') {
        this.i -= 1;
        this.fail("After parsing a value an unexpected character was encountered. Expected ',' or '}'");
      }
    }
  }

  private array(): unknown[] {
    this.i += 1;
    const out: unknown[] = [];
    this.skipSpace();
    if (this.s[this.i] === ']') {
      this.i += 1;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.skipSpace();
      const c = this.s[this.i];
      this.i += 1;
      if (c === ']') return out;
      if (c !== ',') {
        this.i -= 1;
        this.fail("After parsing a value an unexpected character was encountered. Expected ',' or ']'");
      }
    }
  }
}

/**
 * Parses `text` the way JSON.NET would. Throws `JsonNetSyntaxError` (with line and position) when
 * even the lenient reader refuses it.
 */
export function parseJsonNet(text: string): unknown {
  const s = text.startsWith(BOM) ? text.slice(1) : text;
  try {
    return JSON.parse(s) as unknown;
  } catch {
    return new LenientReader(s).read();
  }
}
