import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../contract/audit';
import { OverviewSchema, type Overview } from '../../contract/overview';
import { fixtureAuditRecord, fixtureData, fixtureToken } from '../test/fixtures';
import { createTestBackend, TEST_NOW } from '../test/harness';

// The Overview's figures over a data set small enough to count by hand: each figure is written out
// here, with the records and tokens that make it, and those just outside its window.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = TEST_NOW.getTime();
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const ahead = (ms: number) => new Date(NOW + ms).toISOString();

const TOKENS = [
  // Active, used yesterday.
  fixtureToken({ id: 'tok_active', expiresAt: null, lastUsedAt: ago(DAY) }),
  // Expiring within the 14-day warning, never used.
  fixtureToken({ id: 'tok_expiring', expiresAt: ahead(5 * DAY) }),
  // Expired, last used 100 days ago.
  fixtureToken({ id: 'tok_expired', expiresAt: ago(DAY), lastUsedAt: ago(100 * DAY) }),
  // Active (the warning starts in 46 days), last used 91 days ago.
  fixtureToken({ id: 'tok_unused', expiresAt: ahead(60 * DAY), lastUsedAt: ago(91 * DAY) }),
];

let sequence = 0;
const record = (summary: AuditEvent, age: number, clientIp: string, username?: string) =>
  fixtureAuditRecord(++sequence, ago(age), {
    summary,
    affectedObjects: [],
    source: { clientIp, proxyIp: null, nodeId: 'node-1', method: 'GET' },
    details: { endpoint: '/rest/api/2/myself', ...(username && { username }) },
  });

const BASIC = 'Failed API token basic authentication attempt';
const BEARER = 'Failed API token bearer authentication attempt';
const VERIFICATION = 'Failed API token verification';

/** Oldest first here; the data set lists them newest first. */
const RECORDS = [
  record(BASIC, 10 * DAY, '192.0.2.50', 'jdoe'), // before the 7-day chart
  record(BEARER, 50 * HOUR, '192.0.2.50'), // in the chart only
  record(BASIC, 30 * HOUR, '203.0.113.9', 'jdoe'), // the 24 hours before
  record('Permission denied', 25 * HOUR, '198.51.100.1', 'jdoe'), // denied, but not in the last 24 hours
  record(VERIFICATION, 3 * HOUR, '203.0.113.9', 'ghost'),
  record('Permission denied', 5 * HOUR, '198.51.100.1', 'jdoe'),
  record('Successful authentication', 2 * HOUR, '198.51.100.1', 'jdoe'), // not a failure
  record(BEARER, 2 * HOUR, '198.51.100.1'),
  record(BASIC, HOUR, '198.51.100.1', 'admin'),
].sort((a, b) => b.timestamp.localeCompare(a.timestamp));

async function overview(): Promise<Overview> {
  const backend = createTestBackend({
    as: 'auditor',
    data: { ...fixtureData(), tokens: TOKENS, auditRecords: RECORDS },
  });
  const response = await backend.call('/overview?tz=UTC');
  expect(response.status).toBe(200);
  return OverviewSchema.parse(await response.json());
}

describe('GET /overview', () => {
  it('counts the tokens by status, never used and unused for 90 days', async () => {
    expect((await overview()).tokens).toEqual({
      active: 2,
      expiring: 1,
      expired: 1,
      neverUsed: 1,
      // tok_unused only: the expired token last used 100 days ago counts as expired (issue 16 item 7).
      unused90Days: 1,
      expiryWarningDays: 14,
    });
  });

  it('knows no change of what is audit-logged when no record of one is kept', async () => {
    expect((await overview()).auditLoggingChange).toBeNull();
  });

  it('counts failed attempts of the last 24 hours and the 24 before, and permission denials', async () => {
    const figures = await overview();
    expect(figures.failedAttempts).toEqual({ last24h: 3, previous24h: 1 });
    expect(figures.permissionDenied24h).toBe(1);
  });

  it('names the busiest sources and users of the failed attempts of the last 24 hours', async () => {
    const figures = await overview();
    expect(figures.topFailedIps).toEqual([
      { value: '198.51.100.1', count: 2 },
      { value: '203.0.113.9', count: 1 },
    ]);
    expect(figures.topFailedUsers).toEqual(
      expect.arrayContaining([
        { value: 'admin', count: 1 },
        { value: 'ghost', count: 1 },
      ]),
    );
    expect(figures.topFailedUsers).toHaveLength(2);
  });

  it('draws seven days of failed attempts from midnight six days ago, in the zone asked for', async () => {
    const { failedDaily } = await overview();
    const midnight = Math.floor(NOW / DAY) * DAY;
    expect(failedDaily.map((d) => d.start)).toEqual(
      Array.from({ length: 7 }, (_, i) => new Date(midnight - (6 - i) * DAY).toISOString()),
    );
    // TEST_NOW is noon: 50 hours ago is two days back, 30 hours ago yesterday, the rest today.
    expect(failedDaily.map((d) => d.count)).toEqual([0, 0, 0, 0, 1, 1, 3]);
  });

  it('says what is audited and which options the authentication gates leave available', async () => {
    const figures = await overview();
    expect(figures.generatedAt).toBe(TEST_NOW.toISOString());
    expect(figures.gates).toEqual({ basicPasswordsAllowed: true, bearerOthersAllowed: true });
    expect(figures.auditLogging.retentionDays).toBe(90);
  });
});
