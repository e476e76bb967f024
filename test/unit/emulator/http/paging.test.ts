import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { AutotaskBusinessError } from '../../../../src/emulator/contracts.js';
import {
  PagedQueryMemory,
  pageUrls,
  parsePagingToken,
  tokenAfterId,
} from '../../../../src/emulator/routes/paging.js';

const base = 'http://h/ATServicesRest/';

function tokenIn(url: string): ReturnType<typeof parsePagingToken> {
  return parsePagingToken(new URL(url).searchParams.get('paging'));
}

describe('paging URLs', () => {
  it('walking next then prev URLs returns to the pages visited (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 1e9 }), { minLength: 1, maxLength: 30 }),
        (raw) => {
          const boundaries = [...raw].sort((a, b) => a - b);
          let current: ReturnType<typeof parsePagingToken> | undefined;
          const starts: (number | undefined)[] = [undefined];
          for (const boundary of boundaries) {
            const { nextPageUrl } = pageUrls({
              base,
              entity: 'Companies',
              pageSize: 10,
              current,
              continueAfterId: boundary,
              search: undefined,
            });
            current = tokenIn(nextPageUrl!);
            expect(tokenAfterId(current)).toBe(boundary);
            starts.push(boundary);
          }
          for (let i = starts.length - 2; i >= 0; i--) {
            const { prevPageUrl } = pageUrls({
              base,
              entity: 'Companies',
              pageSize: 10,
              current,
              continueAfterId: undefined,
              search: undefined,
            });
            current = tokenIn(prevPageUrl!);
            expect(tokenAfterId(current)).toBe(starts[i]);
          }
        },
      ),
    );
  });

  it('adds the original search to GET-originated URLs and nothing on the last page', () => {
    const first = pageUrls({
      base,
      entity: 'Contacts',
      pageSize: 2,
      current: undefined,
      continueAfterId: 5,
      search: '{"filter":[]}',
    });
    expect(first.prevPageUrl).toBeNull();
    expect(new URL(first.nextPageUrl!).searchParams.get('search')).toBe('{"filter":[]}');
    expect(first.nextPageUrl!.startsWith(`${base}V1.0/Contacts/query/next?paging=`)).toBe(true);
    const last = pageUrls({
      base,
      entity: 'Contacts',
      pageSize: 2,
      current: undefined,
      continueAfterId: undefined,
      search: undefined,
    });
    expect(last.nextPageUrl).toBeNull();
  });

  it.each([
    null,
    '',
    '{',
    '[]',
    '{"pageSize":0,"nextIds":[1]}',
    '{"pageSize":501,"nextIds":[1]}',
    '{"pageSize":5,"nextIds":[]}',
    '{"pageSize":5,"nextIds":["a"]}',
  ])('rejects paging %j', (raw) => {
    expect(() => parsePagingToken(raw)).toThrow(AutotaskBusinessError);
  });

  it('accepts keys in any case', () => {
    expect(parsePagingToken('{"PageSize":5,"NextIds":[9]}')).toEqual({
      pageSize: 5,
      previousIds: [],
      nextIds: [9],
    });
  });

  it('remembers queries per token, bounded', () => {
    const memory = new PagedQueryMemory(2);
    const t = (n: number) => ({ pageSize: 1, previousIds: [-1], nextIds: [n] });
    memory.remember('Companies', t(1), 'a');
    memory.remember('Companies', t(1), 'b');
    memory.remember('Companies', t(2), 'c');
    expect(memory.recall('Companies', t(1))).toEqual(['a', 'b']);
    expect(memory.recall('Contacts', t(1))).toEqual([]);
    memory.remember('Companies', t(3), 'd');
    expect(memory.recall('Companies', t(1))).toEqual([]);
    expect(memory.recall('Companies', t(3))).toEqual(['d']);
  });
});
