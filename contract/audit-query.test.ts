import { describe, expect, it } from 'vitest';
import { ANONYMOUS_AUTHOR, AUDIT_CATEGORY, LOGGING_CATEGORY, type AuditRecord } from './audit';
import {
  AuditExportQuerySchema,
  AuditFilterSchema,
  AuditRecordsQuerySchema,
  compileAuditFilter,
  matchesAuditFilter,
  type AuditFilter,
} from './audit-query';

// ---------------------------------------------------------------------------------------------------
// Test records
// ---------------------------------------------------------------------------------------------------

function record(fields: Partial<AuditRecord> & Pick<AuditRecord, 'id'>): AuditRecord {
  return {
    timestamp: '2026-03-08T10:00:00.000Z',
    author: { username: null, displayName: ANONYMOUS_AUTHOR },
    category: AUDIT_CATEGORY,
    summary: 'Successful authentication',
    affectedObjects: [],
    changedValues: [],
    source: { clientIp: '198.51.100.7', proxyIp: null, nodeId: 'node-1', method: 'GET' },
    details: {},
    ...fields,
  };
}

/** A successful authentication of jdoe with the CI token, through the load balancer. */
const AUTH = record({
  id: 'ar-000000001',
  timestamp: '2026-03-08T10:00:00.000Z',
  summary: 'Successful authentication',
  affectedObjects: [
    { type: 'user', id: 'U3', name: 'jdoe' },
    { type: 'token', id: 'tok_ci', name: 'CI pipeline' },
  ],
  source: { clientIp: '198.51.100.7', proxyIp: '10.255.0.1', nodeId: 'node-1', method: 'GET' },
  details: {
    tokenId: 'tok_ci',
    tokenDescription: 'CI pipeline',
    scope: 'READ_WRITE',
    endpoint: '/rest/api/2/myself',
    username: 'jdoe',
  },
});

/** A failed bearer attempt from an IPv6 client: no username. */
const BEARER = record({
  id: 'ar-000000002',
  timestamp: '2026-03-08T11:30:00.000Z',
  summary: 'Failed API token bearer authentication attempt',
  source: { clientIp: '2001:db8::17', proxyIp: null, nodeId: 'node-2', method: 'POST' },
  details: { endpoint: '/rest/api/2/issue', reason: 'IP_RESTRICTED' },
});

/** A token created by the admin. */
const CREATED = record({
  id: 'ar-000000003',
  timestamp: '2026-03-09T08:00:00.000Z',
  author: { username: 'admin', displayName: 'Alice Admin' },
  summary: 'API token created',
  affectedObjects: [
    { type: 'user', id: 'U3', name: 'jdoe' },
    { type: 'token', id: 'tok_report', name: 'Reporting dashboard' },
  ],
  source: { clientIp: '::ffff:10.1.2.3', proxyIp: null, nodeId: 'node-1', method: 'POST' },
  details: { tokenId: 'tok_report', tokenDescription: 'Reporting dashboard', scope: 'READ_ONLY' },
});

/** A settings change with old and new values, no client address. */
const SETTINGS = record({
  id: 'ar-000000004',
  timestamp: '2026-03-09T09:00:00.000Z',
  author: { username: 'admin', displayName: 'Alice Admin' },
  summary: 'Settings changed',
  affectedObjects: [{ type: 'settings', id: 'settings', name: 'Authentication settings' }],
  changedValues: [{ field: 'disableBasicAuth', from: 'false', to: 'true' }],
  source: { clientIp: null, proxyIp: null, nodeId: 'node-1', method: 'PUT' },
});

/** A log level change, in the Logging category. */
const LOGGER = record({
  id: 'ar-000000005',
  timestamp: '2026-03-10T00:00:00.000Z',
  author: { username: 'admin', displayName: 'Alice Admin' },
  category: LOGGING_CATEGORY,
  summary: 'Log level changed',
  affectedObjects: [{ type: 'logger', id: 'de.resolution.apitokenauth', name: 'de.resolution.apitokenauth' }],
  changedValues: [{ field: 'level', from: null, to: 'DEBUG' }],
  source: { clientIp: '203.0.113.9', proxyIp: null, nodeId: 'node-2', method: 'PUT' },
});

const ALL = [AUTH, BEARER, CREATED, SETTINGS, LOGGER];

/** The ids of the records the filter keeps. */
function kept(filter: Partial<AuditFilter>): string[] {
  const matches = compileAuditFilter(AuditFilterSchema.parse(filter));
  return ALL.filter(matches).map((r) => r.id);
}
const ids = (...records: AuditRecord[]) => records.map((r) => r.id);

// ---------------------------------------------------------------------------------------------------
// compileAuditFilter
// ---------------------------------------------------------------------------------------------------

describe('compileAuditFilter', () => {
  it('keeps everything with no filter', () => {
    expect(kept({})).toEqual(ids(...ALL));
  });

  describe('time range', () => {
    it.each([
      [{ from: '2026-03-08T11:30:00.000Z' }, [BEARER, CREATED, SETTINGS, LOGGER]],
      [{ from: '2026-03-08T11:30:00.001Z' }, [CREATED, SETTINGS, LOGGER]],
      [{ to: '2026-03-08T11:30:00.000Z' }, [AUTH, BEARER]],
      [{ to: '2026-03-08T11:29:59.999Z' }, [AUTH]],
      [{ from: '2026-03-09T08:00:00.000Z', to: '2026-03-09T09:00:00.000Z' }, [CREATED, SETTINGS]],
      [{ from: '2026-03-09T00:00:00.000Z', to: '2026-03-09T23:59:59.999Z' }, [CREATED, SETTINGS]],
      [{ from: '2026-03-11T00:00:00.000Z' }, []],
    ])('%j is inclusive at the exact instant', (filter, expected) => {
      expect(kept(filter)).toEqual(ids(...expected));
    });

    it('is inclusive at "from" given without milliseconds (…:00Z)', () => {
      expect(kept({ from: '2026-03-08T11:30:00Z' })).toEqual(ids(BEARER, CREATED, SETTINGS, LOGGER));
    });

    it('excludes a record after a "to" given without milliseconds', () => {
      const late = record({ id: 'ar-000000009', timestamp: '2026-03-09T08:00:00.500Z' });
      const filter = AuditFilterSchema.parse({ to: '2026-03-09T08:00:00Z' });
      expect(matchesAuditFilter(late, filter)).toBe(false);
    });
  });

  it('filters by category', () => {
    expect(kept({ category: LOGGING_CATEGORY })).toEqual(ids(LOGGER));
    expect(kept({ category: AUDIT_CATEGORY })).toEqual(ids(AUTH, BEARER, CREATED, SETTINGS));
  });

  it('keeps any of several summaries', () => {
    expect(kept({ summary: ['Successful authentication'] })).toEqual(ids(AUTH));
    expect(
      kept({
        summary: ['Failed API token bearer authentication attempt', 'Settings changed', 'Permission denied'],
      }),
    ).toEqual(ids(BEARER, SETTINGS));
    expect(kept({ summary: [] })).toEqual(ids(...ALL));
  });

  it.each([
    ['admin', [CREATED, SETTINGS, LOGGER]],
    ['ADMIN', [CREATED, SETTINGS, LOGGER]],
    ['Alice Admin', [CREATED, SETTINGS, LOGGER]],
    ['alice admin', [CREATED, SETTINGS, LOGGER]],
    ['Anonymous', [AUTH, BEARER]],
    ['anonymous', [AUTH, BEARER]],
    ['adm', []],
    ['jdoe', []],
  ])(
    'matches the author %j to the username or display name, case-insensitively and whole',
    (author, expected) => {
      expect(kept({ author })).toEqual(ids(...expected));
    },
  );

  it.each([
    ['tok_ci', [AUTH]],
    ['tok_report', [CREATED]],
    ['U3', [AUTH, CREATED]],
    ['jdoe', [AUTH, CREATED]],
    ['Reporting dashboard', [CREATED]],
    ['de.resolution.apitokenauth', [LOGGER]],
    ['tok_', []],
    ['U', []],
  ])('matches the affected object %j by id or name', (object, expected) => {
    expect(kept({ object })).toEqual(ids(...expected));
  });

  it.each([
    ['198.51.100.7', [AUTH]],
    ['198.51.100.0/24', [AUTH]],
    ['10.255.0.1', [AUTH]], // the proxy address
    ['10.0.0.0/8', [AUTH, CREATED]], // the proxy of AUTH; CREATED's IPv4-mapped client address
    ['2001:db8::/32', [BEARER]],
    ['2001:db8::17', [BEARER]],
    ['2001:db8::18', []],
    ['203.0.113.0/24', [LOGGER]],
    ['192.0.2.0/24', []],
    ['0.0.0.0/0', [AUTH, CREATED, LOGGER]], // SETTINGS has no address; BEARER is IPv6
  ])('matches the ip %j against the client or the load balancer/proxy address', (ip, expected) => {
    expect(kept({ ip })).toEqual(ids(...expected));
  });

  it.each([
    ['successful', [AUTH]], // summary
    ['PIPELINE', [AUTH]], // token description
    ['/rest/api/2/myself', [AUTH]], // endpoint
    ['/rest/api/2/', [AUTH, BEARER]],
    ['jdoe', [AUTH]], // details username
    ['ip restriction', [BEARER]], // the failure reason's label
    ['disableBasicAuth', [SETTINGS]], // a changed field
    ['debug', [LOGGER]], // a new value
    ['false', [SETTINGS]], // an old value
    ['token', [BEARER, CREATED]], // summaries with "token" (BEARER: "…API token bearer…")
    ['nothing-like-this', []],
  ])(
    'searches %j in summary, token description, endpoint, username, reason label and changed values',
    (q, expected) => {
      expect(kept({ q })).toEqual(ids(...expected));
    },
  );

  it('does not search fields outside its meaning (the client address, the author)', () => {
    expect(kept({ q: '198.51.100.7' })).toEqual([]);
    expect(kept({ q: 'Alice' })).toEqual([]);
  });

  it('combines every filter with AND', () => {
    expect(kept({ author: 'admin', object: 'U3' })).toEqual(ids(CREATED));
    expect(kept({ author: 'anonymous', ip: '2001:db8::/32', q: 'issue' })).toEqual(ids(BEARER));
    expect(kept({ author: 'anonymous', ip: '2001:db8::/32', q: 'myself' })).toEqual([]);
  });

  it('answers the same through matchesAuditFilter', () => {
    const filter = AuditFilterSchema.parse({ summary: ['Settings changed'] });
    expect(ALL.map((r) => matchesAuditFilter(r, filter))).toEqual([false, false, false, true, false]);
  });
});

// ---------------------------------------------------------------------------------------------------
// Schemas and URL parameters
// ---------------------------------------------------------------------------------------------------

describe('AuditRecordsQuerySchema', () => {
  it('defaults to 100 records and no summary', () => {
    expect(AuditRecordsQuerySchema.parse({})).toEqual({ summary: [], limit: 100 });
  });

  it.each([1, 100, 1000])('accepts limit %i', (limit) => {
    expect(AuditRecordsQuerySchema.safeParse({ limit }).success).toBe(true);
  });

  it.each([0, 1001, -1, 1.5, Number.NaN])('rejects limit %d', (limit) => {
    expect(AuditRecordsQuerySchema.safeParse({ limit }).success).toBe(false);
  });

  it.each(['ar-000000001', 'ar-1'])('accepts the cursor %j', (cursor) => {
    expect(AuditRecordsQuerySchema.safeParse({ cursor, after: cursor }).success).toBe(true);
  });

  it.each(['../etc/passwd', 'AR-1', 'ar-', 'ar-1;drop', '', 'ar-1 '])('rejects the cursor %j', (cursor) => {
    const result = AuditRecordsQuerySchema.safeParse({ cursor });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['cursor']);
    expect(AuditRecordsQuerySchema.safeParse({ after: cursor }).success).toBe(false);
  });

  it.each([
    { from: 'yesterday' },
    { to: '2026-03-08' },
    { from: '2026-03-08T10:00:00+01:00' },
    { ip: '300.1.1.1' },
    { ip: '10.0.0.5/8' },
    { category: 'Other' },
    { summary: ['Nope'] },
    { summary: Array.from({ length: 21 }, () => 'Permission denied') },
    { author: '   ' },
    { q: 'x'.repeat(256) },
  ])('rejects the filter %j', (filter) => {
    expect(AuditRecordsQuerySchema.safeParse(filter).success).toBe(false);
  });

  it('needs a format for an export, csv or jsonl', () => {
    expect(AuditExportQuerySchema.safeParse({}).success).toBe(false);
    expect(AuditExportQuerySchema.safeParse({ format: 'xlsx' }).success).toBe(false);
    expect(AuditExportQuerySchema.parse({ format: 'jsonl' }).format).toBe('jsonl');
  });
});
