// Loaded with `node --import` in front of tsx by the benchmark's task runner (`--built`): imports of
// this repository's `src/**/*.ts` (or `.js`) resolve to the compiled `dist/**/*.js` instead, so a task
// measures the code as `npm run build` ships it (what the `autotask-sync` command runs), not the
// TypeScript sources transformed on the fly by tsx.
import { register } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
register(
  `data:text/javascript,${encodeURIComponent(`
const src = ${JSON.stringify(`file://${root}src/`)};
const dist = ${JSON.stringify(`file://${root}dist/`)};
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (!resolved.url.startsWith(src)) return resolved;
  return { ...resolved, url: dist + resolved.url.slice(src.length).replace(/\\.ts$/, '.js'), format: 'module' };
}`)}`,
);
