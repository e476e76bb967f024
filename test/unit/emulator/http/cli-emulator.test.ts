import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';

import { describe, expect, it } from 'vitest';

import type { CliContext } from '../../../../src/cli/context.js';
import { main } from '../../../../src/cli/main.js';
import { ExitCode } from '../../../../src/cli/exit-codes.js';

function testContext(cwd: string): {
  ctx: CliContext;
  stop: () => void;
  out: () => string;
  err: () => string;
  firstLine: Promise<string>;
} {
  const controller = new AbortController();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  let resolveLine: (line: string) => void = () => undefined;
  const firstLine = new Promise<string>((r) => (resolveLine = r));
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    const nl = out.indexOf('\n');
    if (nl >= 0) resolveLine(out.slice(0, nl));
  });
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return {
    ctx: { stdout, stderr, env: {}, cwd, signal: controller.signal },
    stop: () => controller.abort(new Error('test stop')),
    out: () => out,
    err: () => err,
    firstLine,
  };
}

describe('autotask-sync emulator', () => {
  it('prints one JSON line with URL and credentials, serves requests, and stops on the signal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-cli-'));
    try {
      const t = testContext(dir);
      const exit = main(
        [
          'emulator',
          '--port',
          '0',
          '--json',
          '--seed',
          'empty',
          '--data',
          'tenant.sqlite',
          '--username',
          'me@example.com',
          '--secret',
          's3cret-value',
          '--hourly-limit',
          '20',
        ],
        t.ctx,
      );
      const info = JSON.parse(await t.firstLine);
      expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ATServicesRest\/$/);
      expect(info).toMatchObject({
        userName: 'me@example.com',
        secret: 's3cret-value',
        dataFile: join(dir, 'tenant.sqlite'),
      });
      const headers = {
        UserName: info.userName,
        Secret: info.secret,
        ApiIntegrationCode: info.integrationCode,
      };
      const threshold = await fetch(`${info.url}V1.0/ThresholdInformation`, { headers });
      expect(await threshold.json()).toMatchObject({
        externalRequestThreshold: 20,
        currentTimeframeRequestCount: 1,
      });
      t.stop();
      expect(await exit).toBe(ExitCode.Success);
      await expect(fetch(`${info.url}V1.0/Version`, { headers })).rejects.toThrow();
      expect(t.out().trim().split('\n')).toHaveLength(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('prints a readable banner without --json', async () => {
    const t = testContext(tmpdir());
    const exit = main(['emulator', '--port', '0', '--seed', 'empty'], t.ctx);
    expect(await t.firstLine).toMatch(
      /^Autotask REST API emulator listening on http:\/\/127\.0\.0\.1:\d+\/ATServicesRest\/$/,
    );
    t.stop();
    expect(await exit).toBe(ExitCode.Success);
    expect(t.out()).toContain('ApiIntegrationCode:');
    expect(t.out()).toContain('Emulator stopped.');
  });

  it('rejects invalid options with the usage exit code', async () => {
    const t = testContext(tmpdir());
    expect(await main(['emulator', '--fault-rate', '2'], t.ctx)).toBe(ExitCode.ConfigError);
    expect(t.err()).toContain('fault rate');
    expect(await main(['emulator', '--seed', 'huge'], testContext(tmpdir()).ctx)).toBe(ExitCode.ConfigError);
  });
});
