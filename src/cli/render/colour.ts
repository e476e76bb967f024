/**
 * Terminal colour, only when it helps: on a TTY, never with `NO_COLOR` set (https://no-color.org),
 * never for `TERM=dumb`. `FORCE_COLOR` (any value but `0`) turns it on even when not a TTY.
 */

/** Styles a string; the identity when colour is off. */
export type Style = (text: string) => string;

export interface Colours {
  readonly enabled: boolean;
  readonly bold: Style;
  readonly dim: Style;
  readonly red: Style;
  readonly green: Style;
  readonly yellow: Style;
  readonly cyan: Style;
}

/** Whether to colour output written to `stream`, given the environment. */
export function colourEnabled(
  stream: { isTTY?: boolean },
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '' && force !== '0') return true;
  if (env['TERM'] === 'dumb') return false;
  return stream.isTTY === true;
}

const sgr =
  (open: number, close: number): Style =>
  (text) =>
    `\u001b[${open}m${text}\u001b[${close}m`;

const plain: Style = (text) => text;

/** Colour functions for a stream (plain ones when colour is off). */
export function createColours(enabled: boolean): Colours {
  if (!enabled)
    return { enabled, bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };
  return {
    enabled,
    bold: sgr(1, 22),
    dim: sgr(2, 22),
    red: sgr(31, 39),
    green: sgr(32, 39),
    yellow: sgr(33, 39),
    cyan: sgr(36, 39),
  };
}

/** Removes colour escapes (for width computations and tests). */
export function stripColour(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
