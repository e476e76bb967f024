/**
 * The seeded tenant's Resources: several active licensed users (the first is the tenant's
 * administrator, a normal user whose login is *not* an API user), one inactive user and the API-only
 * user whose credentials the emulator accepts. Ids are fixed, below the tenant-created range.
 */
import { formatAutotaskDateTime } from '../../autotask/datetime.js';
import type { StoredRecord } from '../contracts.js';
import { LICENSE_TYPE_API_USER, LICENSE_TYPE_FULL, USER_TYPE_API_USER } from '../metadata/picklists.js';
import { storedRecord } from './stored-record.js';

/** Id of the tenant's administrator (owner of the root company). */
export const ADMIN_RESOURCE_ID = 29682885;
/** Id of the inactive resource. */
export const INACTIVE_RESOURCE_ID = 29682889;
/** Id of the API-only resource that represents the default API user. */
export const API_USER_RESOURCE_ID = 29682890;
/** Internal location every seeded resource works at. */
export const HEAD_OFFICE_LOCATION_ID = 29682700;

interface Person {
  id: number;
  firstName: string;
  lastName: string;
  title: string;
  userType: number;
  isActive: boolean;
  hiredDaysAgo: number;
}

const PEOPLE: readonly Person[] = [
  {
    id: ADMIN_RESOURCE_ID,
    firstName: 'Jordan',
    lastName: 'Avery',
    title: 'Managing Director',
    userType: 1,
    isActive: true,
    hiredDaysAgo: 2900,
  },
  {
    id: 29682886,
    firstName: 'Sam',
    lastName: 'Rivera',
    title: 'Account Manager',
    userType: 12,
    isActive: true,
    hiredDaysAgo: 1500,
  },
  {
    id: 29682887,
    firstName: 'Priya',
    lastName: 'Natarajan',
    title: 'Senior Technician',
    userType: 10,
    isActive: true,
    hiredDaysAgo: 1100,
  },
  {
    id: 29682888,
    firstName: 'Morgan',
    lastName: 'Lee',
    title: 'Service Coordinator',
    userType: 5,
    isActive: true,
    hiredDaysAgo: 700,
  },
  {
    id: INACTIVE_RESOURCE_ID,
    firstName: 'Casey',
    lastName: 'Brooks',
    title: 'Technician',
    userType: 10,
    isActive: false,
    hiredDaysAgo: 2000,
  },
];

const DAY = 86_400_000;

/** Email domain of the tenant's own staff. */
export const STAFF_DOMAIN = 'emulator-msp.example';

export function seedResources(apiUserName: string, referenceTime: number): StoredRecord[] {
  const common = {
    emailTypeCode: 'PRIMARY',
    resourceType: 'Employee',
    payrollType: 1,
    locationID: HEAD_OFFICE_LOCATION_ID,
    numberFormat: 'X,XXX.XX',
    dateFormat: 'MM/dd/yyyy',
    timeFormat: 'hh:mm a',
    travelAvailabilityPct: '0%',
  };
  const staff = PEOPLE.map((p, i) => {
    const login = `${p.firstName}.${p.lastName}`.toLowerCase();
    return storedRecord(p.id, {
      ...common,
      firstName: p.firstName,
      lastName: p.lastName,
      initials: `${p.firstName[0] ?? ''}${p.lastName[0] ?? ''}`,
      title: p.title,
      email: `${login}@${STAFF_DOMAIN}`,
      userName: login,
      isActive: p.isActive,
      licenseType: LICENSE_TYPE_FULL,
      userType: p.userType,
      hireDate: formatAutotaskDateTime(Math.floor((referenceTime - p.hiredDaysAgo * DAY) / DAY) * DAY),
      officePhone: `+1 555 0100 ${String(10 + i)}`,
      internalCost: 45 + i * 5,
    });
  });
  const apiUser = storedRecord(API_USER_RESOURCE_ID, {
    ...common,
    firstName: 'API',
    lastName: 'User',
    initials: 'AU',
    title: 'API-only user',
    email: apiUserName,
    userName: apiUserName,
    isActive: true,
    licenseType: LICENSE_TYPE_API_USER,
    userType: USER_TYPE_API_USER,
    hireDate: formatAutotaskDateTime(Math.floor((referenceTime - 30 * DAY) / DAY) * DAY),
  });
  return [...staff, apiUser];
}
