/**
 * `autotask-sync ui` as a command: prints the link with its token, serves until the stop signal, and
 * refuses a port that is not a number.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { ExitCode } from '../../src/cli/exit-codes.js';
import { main } from '../../src/cli/main.js';
import { type CapturedCliContext, capturedCliContext } from '../helpers/run-cli-in-process.js';

const dir = mkdtempSync(join(tmpdir(), 'ui-command-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const context = (signal: AbortSignal): CapturedCliContext =>
  capturedCliContext({ env: { HOME: dir }, cwd: dir, signal });

describe('autotask-sync ui', () => {
  it('prints a token link on loopback, serves it, and stops on the signal', async () => {
    const controller = new AbortController();
    const { ctx, out } = context(controller.signal);
    const done = main(['ui', '--no-open'], ctx);
    let link: string | undefined;
    while (link === undefined) {
      await new Promise((r) => setImmediate(r));
      link = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}/.exec(out())?.[0];
    }
    const res = await fetch(link, { redirect: 'manual' });
    expect(res.status).toBe(303);
    const origin = new URL(link).origin;
    expect((await fetch(`${origin}/api/config`)).status).toBe(401);
    controller.abort();
    expect(await done).toBe(ExitCode.Success);
    await expect(fetch(`${origin}/api/config`)).rejects.toThrow();
  });

  it('refuses a port that is not a number', async () => {
    const { ctx, err } = context(new AbortController().signal);
    expect(await main(['ui', '--port', 'eighty'], ctx)).toBe(ExitCode.ConfigError);
    expect(err()).toContain('--port');
  });
});
