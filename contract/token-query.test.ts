import { describe, expect, it } from 'vitest';
import { parseTokenQuery, tokenQueryFromUrl, tokenQueryToParams } from './token-query';
import { TokenListQuerySchema, type TokenListQuery } from './tokens';

const DEFAULTS: TokenListQuery = TokenListQuerySchema.parse({});

/** Every field set to something other than its default. */
const FULL: TokenListQuery = {
  all: true,
  owner: ['jdoe', 'automation-user'],
  q: 'Jenkins CI',
  scope: 'READ_WRITE',
  status: ['expiring', 'expired'],
  createdFrom: '2026-01-01T00:00:00.000Z',
  createdTo: '2026-06-30T23:59:59.999Z',
  lastUsedFrom: '2026-02-01T00:00:00.000Z',
  lastUsedTo: '2026-02-28T23:59:59.999Z',
  expiresFrom: '2026-12-01T00:00:00.000Z',
  expiresTo: '2027-12-31T23:59:59.999Z',
  neverUsed: true,
  sort: 'expiresAt',
  order: 'asc',
  page: 3,
  pageSize: 20,
};

const params = (search: string) => new URLSearchParams(search);

describe('tokenQueryToParams and tokenQueryFromUrl', () => {
  it('round-trip a full query: arrays, booleans, numbers and dates', () => {
    const url = tokenQueryToParams(FULL);
    expect(tokenQueryFromUrl(params(url.toString()))).toEqual(FULL);
    expect(parseTokenQuery(params(url.toString()))).toEqual({ success: true, data: FULL });
  });

  it('write arrays as repeated parameters and the rest as plain strings', () => {
    const url = tokenQueryToParams(FULL);
    expect(url.getAll('owner')).toEqual(['jdoe', 'automation-user']);
    expect(url.getAll('status')).toEqual(['expiring', 'expired']);
    expect(url.get('all')).toBe('true');
    expect(url.get('neverUsed')).toBe('true');
    expect(url.get('page')).toBe('3');
    expect(url.get('pageSize')).toBe('20');
    expect(url.get('createdFrom')).toBe('2026-01-01T00:00:00.000Z');
    expect(url.get('q')).toBe('Jenkins CI');
  });

  it('leave defaults out: the default query is an empty address', () => {
    expect(tokenQueryToParams(DEFAULTS).toString()).toBe('');
    expect(tokenQueryToParams({}).toString()).toBe('');
    expect(tokenQueryFromUrl(params(''))).toEqual(DEFAULTS);
  });

  it('write only what differs from the defaults', () => {
    const query = { ...DEFAULTS, scope: 'READ_ONLY' as const, page: 2 };
    expect([...tokenQueryToParams(query)].sort()).toEqual([
      ['page', '2'],
      ['scope', 'READ_ONLY'],
    ]);
    expect(tokenQueryToParams({ ...DEFAULTS, q: '' }).toString()).toBe('');
    expect(tokenQueryToParams({ ...DEFAULTS, status: ['active'] }).toString()).toBe('status=active');
  });

  it('the defaults are newest first, 50 a page, every token status and scope', () => {
    expect(DEFAULTS).toEqual({
      all: false,
      owner: [],
      status: [],
      neverUsed: false,
      sort: 'createdAt',
      order: 'desc',
      page: 1,
      pageSize: 50,
    });
  });

  it('trim the description search', () => {
    expect(tokenQueryFromUrl(params('q=%20%20ci%20')).q).toBe('ci');
  });
});

describe('invalid parameters', () => {
  const INVALID =
    'status=bogus&page=-4&pageSize=1000&scope=EVERYTHING&sort=owner&order=up&createdFrom=yesterday&page=x';

  it('fall back to their defaults in the lenient parser (the address bar) without touching valid ones', () => {
    expect(tokenQueryFromUrl(params(INVALID))).toEqual(DEFAULTS);
    expect(tokenQueryFromUrl(params('status=bogus&page=-4&scope=READ_WRITE&q=ci'))).toEqual({
      ...DEFAULTS,
      scope: 'READ_WRITE',
      q: 'ci',
    });
  });

  it.each([
    ['page=0', { page: 1 }],
    ['page=2.5', { page: 1 }],
    ['page=abc', { page: 1 }],
    ['pageSize=0', { pageSize: 50 }],
    ['pageSize=201', { pageSize: 50 }],
    ['status=active&status=bogus', { status: [] }],
    ['expiresTo=2026-12-01', { expiresTo: undefined }],
    [`q=${'x'.repeat(256)}`, { q: undefined }],
    ['all=yes', { all: false }],
    ['neverUsed=1', { neverUsed: false }],
  ])('lenient: %s falls back to the default', (search, expected) => {
    const query = tokenQueryFromUrl(params(search));
    expect(query).toEqual({ ...DEFAULTS, ...expected });
  });

  it('are errors in the strict parser (the backend), naming each field', () => {
    const result = parseTokenQuery(params('status=bogus&page=-4&scope=EVERYTHING&createdFrom=yesterday'));
    expect(result.success).toBe(false);
    const fields = new Set(result.error!.issues.map((issue) => String(issue.path[0])));
    expect(fields).toEqual(new Set(['status', 'page', 'scope', 'createdFrom']));
  });

  it.each(['page=0', 'page=abc', 'pageSize=201', 'sort=owner', 'order=up', 'expiresTo=2026-12-01'])(
    'strict: %s is an error',
    (search) => {
      expect(parseTokenQuery(params(search)).success).toBe(false);
    },
  );

  it('ignore unknown parameters in both parsers', () => {
    expect(tokenQueryFromUrl(params('utm_source=mail&page=2'))).toEqual({ ...DEFAULTS, page: 2 });
    expect(parseTokenQuery(params('utm_source=mail&page=2'))).toEqual({
      success: true,
      data: { ...DEFAULTS, page: 2 },
    });
  });
});
