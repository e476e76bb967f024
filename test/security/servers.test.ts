/**
 * Servers (issue 8 item 6): everything the product listens with binds loopback unless told otherwise
 * and bounds request bodies. Behaviour is checked on the emulator (library and `autotask-sync
 * emulator`); every other HTTP server in src/ is held to the same two rules by a source guard, so a
 * new server that forgets either fails here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';

import { afterEach, describe, expect, it } from 'vitest';

import type { CliContext } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';
import { createEmulator, emulatorHeaders, type Emulator } from '../../src/emulator/index.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** An address of this machine that is not loopback, if it has one. */
function externalAddress(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((i) => i !== undefined && !i.internal && i.family === 'IPv4')?.address;
}

/** Whether a TCP connection to host:port is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

describe('servers bind loopback and bound their request bodies', () => {
  let emulator: Emulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  it('the emulator listens on 127.0.0.1 only by default', async () => {
    emulator = createEmulator({ seed: 'empty' });
    const listening = await emulator.listen();
    expect(new URL(listening.url).hostname).toBe('127.0.0.1');
    expect(await accepts('127.0.0.1', listening.port)).toBe(true);
    const external = externalAddress();
    if (external !== undefined) expect(await accepts(external, listening.port)).toBe(false);
  });

  it('the emulator refuses bodies over its limit with 413, API and control endpoints alike', async () => {
    emulator = createEmulator({ seed: 'empty', maxBodyBytes: 64 * 1024 });
    const { url } = await emulator.listen();
    const big = JSON.stringify({ companyName: 'x'.repeat(100 * 1024) });
    const api = await fetch(`${url}V1.0/Companies`, {
      method: 'POST',
      headers: emulatorHeaders(emulator.credentials),
      body: big,
    });
    expect(api.status).toBe(413);
    const control = await fetch(new URL('/_emulator/faults', url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ rules: [], pad: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(control.status).toBeGreaterThanOrEqual(400);
    expect(control.status).toBeLessThan(500);
    expect(emulator.tenant.tables.Companies.size()).toBe(1); // nothing written (the seed's own company)
  });

  it('`autotask-sync emulator` binds 127.0.0.1 unless --host says otherwise', async () => {
    let out = '';
    const stdout = new PassThrough();
    stdout.on('data', (c: Buffer) => (out += c.toString()));
    const controller = new AbortController();
    const ctx: CliContext = {
      stdout,
      stderr: new PassThrough(),
      env: {},
      cwd: process.cwd(),
      signal: controller.signal,
    };
    const running = main(['emulator', '--port', '0', '--json'], ctx);
    while (!out.includes('\n')) await new Promise((r) => setTimeout(r, 20));
    const { url } = JSON.parse(out) as { url: string };
    const port = Number(new URL(url).port);
    expect(new URL(url).hostname).toBe('127.0.0.1');
    const external = externalAddress();
    if (external !== undefined) expect(await accepts(external, port)).toBe(false);
    controller.abort();
    expect(await running).toBe(0);
  });

  it('every HTTP server in src/ defaults to loopback and limits bodies', () => {
    const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => ({ file: f, text: readFileSync(join(SRC, f), 'utf8') }))
      .filter(({ text }) => /\bcreateServer\(/.test(text));
    expect(files.length).toBeGreaterThan(0);
    for (const { file, text } of files) {
      // The bind address defaults to loopback.
      expect(text, `${file}: listen host must default to '127.0.0.1'`).toMatch(/host \?\? '127\.0\.0\.1'/);
      expect(text, `${file}: never binds all interfaces by default`).not.toMatch(
        /host \?\? '(0\.0\.0\.0|::)'/,
      );
      // The application it serves reads bodies through a limit: in this file or the app it imports.
      const appFiles = [...text.matchAll(/from '(\.[^']+)\.js'/g)].map((m) =>
        join(SRC, file, '..', `${m[1] ?? ''}.ts`),
      );
      const limited = [text, ...appFiles.map((f) => safeRead(f))].some((t) =>
        /bodyLimit\(|readBodyLimited\(|readLimitedBody\(|readIncomingBody\(|maxBodyBytes/.test(t),
      );
      expect(limited, `${file}: request bodies must be bounded`).toBe(true);
    }
  });
});

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
