/** How the emulator tells API-only resources (not assignable as owners, §6.1) from licensed users. */
import { LICENSE_TYPE_API_USER } from './picklists.js';

/** True when a Resource's values mark it as an API-only user (`licenseType` 7, "API User"). */
export function isApiOnlyResource(values: Readonly<Record<string, unknown>>): boolean {
  return values['licenseType'] === LICENSE_TYPE_API_USER;
}
