/**
 * `${VAR}` interpolation in configuration strings.
 *
 * - `${NAME}` is replaced by the environment variable NAME; unset → an issue at that setting.
 * - `${NAME:-fallback}` uses `fallback` when NAME is unset or empty.
 * - `$${` writes a literal `${`.
 *
 * Interpolation happens after YAML parsing, on string values only (keys are never interpolated), so a
 * variable's value can never change the file's structure. The result is always text.
 */

/** One `${...}` that could not be expanded. */
export interface InterpolationProblem {
  /** The variable's name. */
  variable: string;
  message: string;
}

const REFERENCE = /\$\$\{|\$\{([^}]*)\}/g;
const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Expands the references in `text`; problems are returned, never thrown. */
export function interpolateString(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
): { value: string; problems: InterpolationProblem[]; references: string[] } {
  const problems: InterpolationProblem[] = [];
  const references: string[] = [];
  const value = text.replace(REFERENCE, (match: string, body: string | undefined) => {
    if (body === undefined) return '${'; // `$${` escape
    const sep = body.indexOf(':-');
    const name = sep === -1 ? body : body.slice(0, sep);
    const fallback = sep === -1 ? undefined : body.slice(sep + 2);
    if (!VALID_NAME.test(name)) {
      problems.push({
        variable: name,
        message: `"${match}" is not a valid reference: write \${NAME} or \${NAME:-default} (write $\${ for a literal \${)`,
      });
      return match;
    }
    references.push(name);
    const found = env[name];
    if (found !== undefined && (found !== '' || fallback === undefined)) return found;
    if (fallback !== undefined) return fallback;
    problems.push({
      variable: name,
      message: `environment variable ${name} is not set: set it, add it to a .env file beside the configuration, or write \${${name}:-default}`,
    });
    return '';
  });
  return { value, problems, references };
}

/**
 * True when `text` is made only of `${NAME}` references: no literal content and no `:-fallback`, so
 * it cannot hold a secret written inline.
 */
export function isOnlyReferences(text: string): boolean {
  let literal = false;
  const rest = text.replace(REFERENCE, (m: string, body: string | undefined) => {
    const sep = body?.indexOf(':-') ?? -1;
    if (body === undefined || (sep !== -1 && body.length > sep + 2)) literal = true;
    return body === undefined ? m : '';
  });
  return !literal && rest.trim() === '';
}
