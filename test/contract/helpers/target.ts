/* eslint-disable @typescript-eslint/no-explicit-any --
   the contract suite inspects untyped wire JSON, exactly as a foreign client would */
/**
 * Where the contract suite sends its requests: a fresh emulator listening on loopback (default), or a
 * real Autotask sandbox when AUTOTASK_CONTRACT_URL, AUTOTASK_CONTRACT_USERNAME,
 * AUTOTASK_CONTRACT_SECRET and AUTOTASK_CONTRACT_INTEGRATION_CODE are all set. Every request goes
 * over real HTTP with plain `fetch`, never through our client, so the same assertions hold for both.
 */
import { startContractEmulator, type ContractEmulator, type ContractEmulatorOptions } from './emulator.js';

export interface Credentials {
  userName: string;
  secret: string;
  integrationCode: string;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or undefined when the body is empty or not JSON. */
  json: any;
}

export interface CallOptions {
  /** JSON body (serialised). */
  body?: unknown;
  /** Raw body sent as is (with Content-Type application/json). */
  rawBody?: string;
  /** Extra headers, or overrides of the auth headers. */
  headers?: Record<string, string>;
  /** Send the three auth headers. @default true */
  auth?: boolean;
}

export interface ContractTarget {
  kind: 'emulator' | 'sandbox';
  /** REST root with trailing slash, as zoneInformation returns it: `.../ATServicesRest/`. */
  root: string;
  credentials: Credentials;
  /** The emulator, when the target is one (for control: faults, limits, seed knowledge). */
  emulator: ContractEmulator | undefined;
  /** Sends `method` to `root + path` (path like `V1.0/Companies/query`, or an absolute URL). */
  call(method: string, path: string, options?: CallOptions): Promise<ApiResponse>;
  close(): Promise<void>;
}

const SANDBOX_ENV = [
  'AUTOTASK_CONTRACT_URL',
  'AUTOTASK_CONTRACT_USERNAME',
  'AUTOTASK_CONTRACT_SECRET',
  'AUTOTASK_CONTRACT_INTEGRATION_CODE',
] as const;

/** True when the suite runs against a real Autotask sandbox. */
export const againstSandbox = SANDBOX_ENV.every((k) => (process.env[k] ?? '') !== '');

export function authHeaders(c: Credentials): Record<string, string> {
  return { ApiIntegrationCode: c.integrationCode, UserName: c.userName, Secret: c.secret };
}

export async function send(
  root: string,
  credentials: Credentials,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<ApiResponse> {
  const url = /^https?:\/\//i.test(path) ? path : root + path;
  const headers: Record<string, string> = {
    Accept: 'application/json',
    ...(options.auth === false ? {} : authHeaders(credentials)),
  };
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  Object.assign(headers, options.headers ?? {});
  const response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/**
 * Opens the target for one test file. Against the emulator, `options` configure it (limits, seed,
 * faults); against a sandbox they are ignored.
 */
export async function openTarget(options: ContractEmulatorOptions = {}): Promise<ContractTarget> {
  if (againstSandbox) {
    const rawRoot = process.env['AUTOTASK_CONTRACT_URL'] ?? '';
    const root = rawRoot.replace(/\/?(v1\.0\/?)?$/i, '/');
    const credentials: Credentials = {
      userName: process.env['AUTOTASK_CONTRACT_USERNAME'] ?? '',
      secret: process.env['AUTOTASK_CONTRACT_SECRET'] ?? '',
      integrationCode: process.env['AUTOTASK_CONTRACT_INTEGRATION_CODE'] ?? '',
    };
    return {
      kind: 'sandbox',
      root,
      credentials,
      emulator: undefined,
      call: (method, path, o) => send(root, credentials, method, path, o),
      close: () => Promise.resolve(),
    };
  }
  const emulator = await startContractEmulator(options);
  return {
    kind: 'emulator',
    root: emulator.root,
    credentials: emulator.credentials,
    emulator,
    call: (method, path, o) => send(emulator.root, emulator.credentials, method, path, o),
    close: () => emulator.close(),
  };
}

/** The emulator of a target that must be one (for tests skipped against a sandbox). */
export function emulatorOf(target: ContractTarget): ContractEmulator {
  if (!target.emulator) throw new Error('this test needs the emulator (it is skipped against a sandbox)');
  return target.emulator;
}
