/**
 * A fresh emulator tenant on loopback for one test file, and the environment that points the CLI at it.
 * The demo credentials are overridden with unique secrets so "no secret in any output" is meaningful.
 */
import { randomBytes } from 'node:crypto';

import { createEmulator, type Emulator } from '../../../src/emulator/index.js';

export interface LoopbackTenant {
  emulator: Emulator;
  url: string;
  /** AUTOTASK_* variables for the child process. */
  env: Record<string, string>;
  /** Every secret value, in the forms that must never be printed. */
  secrets: string[];
  close(): Promise<void>;
}

export async function startTenant(options: { hourlyLimit?: number } = {}): Promise<LoopbackTenant> {
  const secret = `Sec-${randomBytes(9).toString('base64url')}`;
  const integrationCode = `IC${randomBytes(12).toString('hex').toUpperCase()}`;
  const userName = 'e2e.api@emulator.local';
  const emulator = createEmulator({
    credentials: { userName, secret, integrationCode },
    ...(options.hourlyLimit === undefined ? {} : { hourlyLimit: options.hourlyLimit }),
  });
  const listening = await emulator.listen({ port: 0 });
  const token = Buffer.from(`${userName}:${secret}`).toString('base64');
  return {
    emulator,
    url: listening.url,
    env: {
      AUTOTASK_USERNAME: userName,
      AUTOTASK_SECRET: secret,
      AUTOTASK_INTEGRATION_CODE: integrationCode,
      AUTOTASK_URL: listening.url,
    },
    secrets: [secret, integrationCode, token, encodeURIComponent(secret)],
    close: () => emulator.close(),
  };
}

/** Asserts that no secret appears in `text` (throws with the offending secret's position). */
export function assertNoSecret(text: string, secrets: readonly string[]): void {
  for (const s of secrets) {
    const at = text.indexOf(s);
    if (at >= 0)
      throw new Error(
        `a secret appears in the output at ${at}: …${text.slice(Math.max(0, at - 40), at)}<SECRET>…`,
      );
  }
}
