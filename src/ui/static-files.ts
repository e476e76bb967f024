/**
 * The front end's files (`static/`: HTML, CSS, ES modules, no build step), served from memory after
 * the first read. Only plain file names with known extensions are served; nothing is fetched from
 * the internet, by the server or by the page.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
};

/**
 * Where the static files are: beside this module (`src/ui/static`, or `dist/ui/static` once the build
 * copies them), else the source tree next to `dist/` when running a build that did not copy them.
 */
export function defaultStaticDir(): string {
  const here = fileURLToPath(new URL('./static/', import.meta.url));
  if (existsSync(here)) return here;
  return fileURLToPath(new URL('../../src/ui/static/', import.meta.url));
}

export class StaticFiles {
  private readonly cache = new Map<string, { body: string; type: string }>();

  constructor(private readonly dir: string) {}

  /** The file named `name` (e.g. `app.js`), or undefined if there is no such servable file. */
  get(name: string): { body: string; type: string } | undefined {
    const match = /^[a-z0-9][a-z0-9-]*\.(html|css|js|svg)$/.exec(name);
    if (match === null) return undefined;
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached;
    const path = join(this.dir, name);
    if (!existsSync(path)) return undefined;
    const file = {
      body: readFileSync(path, 'utf8'),
      type: TYPES[match[1] ?? ''] ?? 'application/octet-stream',
    };
    this.cache.set(name, file);
    return file;
  }
}
