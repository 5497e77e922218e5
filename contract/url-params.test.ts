import { describe, expect, it } from 'vitest';
import { AUDIT_CATEGORY } from './audit';
import { AuditRecordsQuerySchema, type AuditRecordsQuery } from './audit-query';
import { TokenListQuerySchema, type TokenListQuery } from './tokens';
import { VendorTokenFilterSchema } from './vendor-tokens';
import { parseUrlParams, readUrlParams, urlParams } from './url-params';

// The token list's query and the audit records query, through the one URL format of the contract.
const tokenQueryToParams = (query: Partial<TokenListQuery>) => urlParams(TokenListQuerySchema, query);
const tokenQueryFromUrl = (params: URLSearchParams) => readUrlParams(TokenListQuerySchema, params);
const parseTokenQuery = (params: URLSearchParams) => parseUrlParams(TokenListQuerySchema, params);

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

describe('urlParams and readUrlParams (the token list)', () => {
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
    ['status=bogus', { status: [] }],
    ['expiresTo=2026-12-01', { expiresTo: undefined }],
    [`q=${'x'.repeat(256)}`, { q: undefined }],
    ['all=yes', { all: false }],
    ['neverUsed=1', { neverUsed: false }],
  ])('lenient: %s falls back to the default', (search, expected) => {
    const query = tokenQueryFromUrl(params(search));
    expect(query).toEqual({ ...DEFAULTS, ...expected });
  });

  it('lenient: a list keeps its valid items', () => {
    expect(tokenQueryFromUrl(params('status=active&status=bogus&owner=jdoe')).status).toEqual(['active']);
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

describe('urlParams and parseUrlParams (the audit records query)', () => {
  const QUERY: AuditRecordsQuery = {
    from: '2026-03-01T00:00:00.000Z',
    to: '2026-03-08T23:59:59.999Z',
    category: AUDIT_CATEGORY,
    summary: ['Permission denied', 'API token deleted'],
    author: 'Anonymous',
    object: 'tok_ci',
    ip: '2001:db8::/32',
    q: 'a&b=c d',
    cursor: 'ar-000000100',
    after: 'ar-000000001',
    limit: 50,
  };

  it('round-trips a full query through the URL', () => {
    const params = urlParams(AuditRecordsQuerySchema, QUERY);
    expect(params.getAll('summary')).toEqual(['Permission denied', 'API token deleted']);
    expect(params.get('limit')).toBe('50');
    expect(parseUrlParams(AuditRecordsQuerySchema, new URLSearchParams(params.toString()))).toEqual({
      success: true,
      data: QUERY,
    });
  });

  it('reads a single summary as a list and the limit as a number', () => {
    expect(
      parseUrlParams(AuditRecordsQuerySchema, new URLSearchParams('summary=Settings+changed&limit=7')).data,
    ).toEqual({ summary: ['Settings changed'], limit: 7 });
  });

  it('leaves out empty values', () => {
    expect(
      urlParams(AuditRecordsQuerySchema, { from: undefined, q: '', summary: [], author: 'x' }).toString(),
    ).toBe('author=x');
  });

  it('turns a junk limit into a number the schema rejects', () => {
    expect(parseUrlParams(AuditRecordsQuerySchema, new URLSearchParams('limit=junk')).success).toBe(false);
  });
});

describe('parseUrlParams (the vendor’s token filter)', () => {
  const parseVendor = (search: string) => parseUrlParams(VendorTokenFilterSchema, params(search));

  it('reads a choice of numbers as a number', () => {
    expect(parseVendor('tokenScope=2&page=3&limit=20&userFilter=jdoe')).toEqual({
      success: true,
      data: expect.objectContaining({ tokenScope: 2, page: 3, limit: 20, userFilter: 'jdoe' }) as unknown,
    });
  });

  it('refuses a number outside the choice', () => {
    const parsed = parseVendor('tokenScope=3');
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['tokenScope']);
  });
});
