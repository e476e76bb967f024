import { hourlyThresholdMessage, threadThresholdMessage } from '../limits/limit-messages.js';
import type { FaultKind, FaultResponse } from './types.js';

/** Autotask's generic server-failure message (API doc §8.3; note the two spaces after the period). */
export function unexpectedErrorMessage(errorId: number): string {
  return (
    'An unexpected error has occurred.  If the problem persists, please contact Autotask Support ' +
    `and reference Error ID: ${errorId}`
  );
}

/** The IIS-style HTML page Autotask answers for unknown routes (§8.1). Wording approximates IIS. */
export const IIS_NOT_FOUND_HTML =
  '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n' +
  '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>404 - File or directory not found.</title></head>\n' +
  '<body><div id="header"><h1>Server Error</h1></div><div id="content"><div class="content-container"><fieldset>\n' +
  '<h2>404 - File or directory not found.</h2>\n' +
  '<h3>The resource you are looking for might have been removed, had its name changed, or is temporarily unavailable.</h3>\n' +
  '</fieldset></div></div></body></html>\n';

const JSON_TYPE = 'application/json; charset=utf-8' as const;

/**
 * The response a fault sends (null for faults that send none: drops and slow responses).
 * `limits` supplies the numbers quoted in the threshold messages.
 */
export function faultResponse(
  kind: FaultKind,
  errorId: number,
  limits: { hourlyLimit: number; threadLimit: number },
): FaultResponse | null {
  switch (kind) {
    case 'error-before':
    case 'error-after-commit':
      return { status: 500, body: { errors: [unexpectedErrorMessage(errorId)] }, contentType: JSON_TYPE };
    case 'rate-limit':
      return {
        status: 429,
        body: { errors: [hourlyThresholdMessage(limits.hourlyLimit)] },
        contentType: JSON_TYPE,
      };
    case 'thread-limit':
      return {
        status: 429,
        body: { errors: [threadThresholdMessage(limits.threadLimit)] },
        contentType: JSON_TYPE,
      };
    case 'thread-limit-500':
      return {
        status: 500,
        body: { errors: [threadThresholdMessage(limits.threadLimit)] },
        contentType: JSON_TYPE,
      };
    case 'unauthorized':
      return { status: 401, body: null, contentType: null };
    case 'not-found-html':
      return { status: 404, body: IIS_NOT_FOUND_HTML, contentType: 'text/html' };
    case 'drop-before':
    case 'drop-after-commit':
    case 'slow':
      return null;
  }
}
