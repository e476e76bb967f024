/**
 * Connecting the real Autotask client to an in-process emulator (no socket): shared by the benchmarks
 * and the test worlds, which add their own budget, retry and metadata options.
 */
import type { AutotaskClientOptions } from '../../src/autotask/index.js';
import type { Emulator } from '../../src/emulator/index.js';

/** The options that point a client at `emulator`: its credentials, its base URL and its `fetch`. */
export type InProcessClientOptions = Required<
  Pick<
    AutotaskClientOptions,
    'username' | 'secret' | 'integrationCode' | 'url' | 'fetch' | 'allowInsecureHttp'
  >
>;

/** Client options for `emulator` in this process; spread them and add the rest. */
export function inProcessClientOptions(
  emulator: Pick<Emulator, 'credentials' | 'baseUrl' | 'fetch'>,
): InProcessClientOptions {
  return {
    username: emulator.credentials.userName,
    secret: emulator.credentials.secret,
    integrationCode: emulator.credentials.integrationCode,
    url: emulator.baseUrl,
    fetch: (input, init) => emulator.fetch(input, init),
    allowInsecureHttp: true,
  };
}
