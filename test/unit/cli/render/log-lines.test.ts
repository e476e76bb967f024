import { PassThrough } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { cliLogDestination, formatLogLine } from '../../../../src/cli/render/log-lines.js';
import { createLogger } from '../../../../src/shared/logger.js';

function capture(isTTY: boolean): { stream: PassThrough & { isTTY?: boolean }; text: () => string } {
  const stream: PassThrough & { isTTY?: boolean } = new PassThrough();
  stream.isTTY = isTTY;
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return { stream, text: () => text };
}

describe('CLI log lines', () => {
  it('turns a pino entry into one readable line, without time, pid or host', () => {
    const line = formatLogLine(
      JSON.stringify({
        level: 40,
        time: 1795786449856,
        pid: 14424,
        hostname: 'vm',
        component: 'autotask-client',
        method: 'GET',
        url: 'http://127.0.0.1:1/ATServicesRest/V1.0/Version',
        attempt: 1,
        err: { type: 'Error', message: 'fetch failed', stack: 'Error: fetch failed\n    at x' },
        msg: 'autotask call failed; retrying',
      }),
    );
    expect(line).toBe(
      'warning: autotask call failed; retrying (method=GET, url=http://127.0.0.1:1/ATServicesRest/V1.0/Version, attempt=1, err=fetch failed)',
    );
  });

  it('keeps a line that is not JSON', () => {
    expect(formatLogLine('plain text\n')).toBe('plain text');
  });

  it('writes readable lines to a terminal and JSON lines elsewhere, redaction kept', () => {
    const tty = capture(true);
    createLogger({ level: 'warn', destination: cliLogDestination(tty.stream) }).warn(
      { Secret: 'hunter2-secret', attempt: 2 },
      'autotask call failed; retrying',
    );
    expect(tty.text()).toBe('warning: autotask call failed; retrying (Secret=[REDACTED], attempt=2)\n');

    const pipe = capture(false);
    createLogger({ level: 'warn', destination: cliLogDestination(pipe.stream) }).warn({ attempt: 2 }, 'x');
    expect(JSON.parse(pipe.text())).toMatchObject({ level: 40, msg: 'x', attempt: 2 });
  });
});
