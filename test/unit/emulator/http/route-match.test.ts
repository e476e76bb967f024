import { describe, expect, it } from 'vitest';

import { matchRoute, routeEndpoint } from '../../../../src/emulator/routes/route-match.js';

describe('route matching', () => {
  it.each([
    ['/ATServicesRest/versioninformation', 'versionInformation'],
    ['/atservicesrest/v1.0/ZONEINFORMATION', 'zoneInformation'],
    ['/ATServicesRest/V1.0/Version/', 'version'],
    ['/ATServicesRest/V1.0/ThresholdInformation', 'thresholdInformation'],
    ['/ATServicesRest/V1.0/Companies', 'collection'],
    ['/ATServicesRest/V1.0/Opportunities/12', 'item'],
    ['/ATServicesRest/V1.0/Contacts/entityInformation', 'metadata'],
    ['/ATServicesRest/V1.0/Contacts/entityInformation/Fields', 'metadata'],
    ['/ATServicesRest/V1.0/Resources/query', 'query'],
    ['/ATServicesRest/V1.0/Resources/query/count', 'count'],
    ['/ATServicesRest/V1.0/Companies/query/next', 'next'],
    ['/ATServicesRest/V1.0/Companies/7/Contacts', 'childCollection'],
    ['/ATServicesRest/V1.0/Companies/7/Contacts/9', 'childItem'],
    ['/ATServicesRest/V1.0/Companies/7/Contacts/entityInformation/userDefinedFields', 'metadata'],
  ])('%s → %s', (path, kind) => {
    expect(matchRoute(path)?.kind).toBe(kind);
  });

  it.each([
    '/',
    '/ATServicesRest',
    '/ATServicesRest/V1.0',
    '/ATServicesRest/V2.0/Companies',
    '/ATServicesRest/V1.0/Tickets',
    '/ATServicesRest/V1.0/Contacts',
    '/ATServicesRest/V1.0/Companies/x',
    '/ATServicesRest/V1.0/Companies/query/other',
    '/ATServicesRest/V1.0/Companies/7/Opportunities',
    '/ATServicesRest/V1.0/Opportunities/7/Contacts',
    '/ATServicesRest/V1.0/Companies/7/Contacts/9/more',
    '/ATServicesRest/V1.0/Companies/entityInformation/other',
  ])('%s is unknown', (path) => {
    expect(matchRoute(path)).toBeUndefined();
  });

  it('carries ids and per-entity verbs', () => {
    expect(matchRoute('/ATServicesRest/V1.0/Companies/7/Contacts/9')).toMatchObject({
      parentId: 7,
      id: 9,
      methods: ['GET', 'DELETE'],
    });
    expect(matchRoute('/ATServicesRest/V1.0/Resources')?.methods).toEqual(['PUT', 'PATCH']);
    expect(matchRoute('/ATServicesRest/V1.0/Companies')?.methods).toEqual(['POST', 'PUT', 'PATCH']);
    expect(routeEndpoint(matchRoute('/ATServicesRest/V1.0/Companies/7/Contacts')!)).toBe('Contacts');
    expect(routeEndpoint(matchRoute('/ATServicesRest/V1.0/thresholdinformation')!)).toBe(
      'ThresholdInformation',
    );
  });
});
