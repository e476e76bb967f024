/**
 * Starts the emulator for the contract suite: `createEmulator` listening on a loopback port, plus the
 * few handles the emulator-only tests need (faults, limits, the API user's resource).
 */
import { createEmulator, type Emulator, type EmulatorOptions } from '../../../src/emulator/index.js';
import type { FaultInjector } from '../../../src/emulator/faults/index.js';
import type { RequestLimits } from '../../../src/emulator/limits/index.js';
import type { Credentials } from './target.js';

export type ContractEmulatorOptions = EmulatorOptions;

export interface ContractEmulator {
  /** REST root over HTTP: `http://127.0.0.1:PORT/ATServicesRest/`. */
  root: string;
  credentials: Credentials;
  /** The Resource of the default API user (API-only: it may not own records). */
  apiUserResourceId: number;
  faults: FaultInjector;
  limits: RequestLimits;
  instance: Emulator;
  /** Adds another API user (own integration code) on the same resource; returns its credentials. */
  addApiUser(userName: string, integrationCode: string): Credentials;
  close(): Promise<void>;
}

export async function startContractEmulator(
  options: ContractEmulatorOptions = {},
): Promise<ContractEmulator> {
  const instance = createEmulator(options);
  const { url } = await instance.listen({ port: 0, host: '127.0.0.1' });
  const apiUser = instance.tenant.apiUsers[0];
  if (!apiUser) throw new Error('the emulator has no API user');
  return {
    root: url,
    credentials: { ...instance.credentials },
    apiUserResourceId: apiUser.resourceId,
    faults: instance.faults,
    limits: instance.limits,
    instance,
    addApiUser(userName, integrationCode) {
      const user = {
        userName,
        secret: 'second-user-secret',
        integrationCode,
        resourceId: apiUser.resourceId,
      };
      instance.tenant.apiUsers.push(user);
      return { userName, secret: user.secret, integrationCode };
    },
    close: () => instance.close(),
  };
}
