import { describe, expect, it } from 'vitest';
import {
  FAILED_ATTEMPTS_INTERVAL_MS,
  FAILED_ATTEMPTS_RECORDED_PER_SOURCE,
  OTHER_SOURCES,
  type AuditRecord,
} from '../../contract/audit';
import { DEFAULT_SETTINGS, type SettingsInput } from '../../contract/settings';
import { FailedAttempts } from '../auth/failed-attempts';
import { RateLimiter } from '../auth/rate-limiter';
import { generateSecret, hashSecret } from '../auth/secrets';
import { fixtureData, fixtureToken } from '../test/fixtures';
import { basic, bearer, createTestBackend, TEST_NOW } from '../test/harness';

/**
 * The anonymous audit flood (issue 15, item 8): repeated failed attempts from one source are
 * recorded one by one only at first, then aggregated into one record per source and interval; and
 * they count against the rate limit of their source.
 */

const SECRET = generateSecret();

function backendWith(change: (settings: SettingsInput) => void = () => {}) {
  const settings = structuredClone(DEFAULT_SETTINGS);
  settings.authentication.disableBearerWithOtherAuthenticators = true;
  settings.auditLogging.failedBearerAttempts = true;
  settings.auditLogging.successfulAuthentication = true;
  change(settings);
  let now = TEST_NOW.getTime();
  const backend = createTestBackend({
    data: { ...fixtureData(), tokens: [fixtureToken({ id: 'tok_ci', secretHash: hashSecret(SECRET) })] },
    settings,
    now: () => new Date(now),
  });
  return { ...backend, advance: (ms: number) => void (now += ms) };
}
type Backend = ReturnType<typeof backendWith>;

const send = (b: Backend, authorization: string, ip = '203.0.113.9') =>
  b.app.request('/rest/api/2/myself', { headers: { authorization, 'x-test-client-ip': ip } });
const records = async (b: Backend): Promise<AuditRecord[]> =>
  (await b.store.listAuditRecords({ limit: 1000 })).items;
const count = async (b: Backend, summary: AuditRecord['summary']) =>
  (await records(b)).filter((r) => r.summary === summary).length;
const FAILED = 'Failed API token bearer authentication attempt';

describe('repeated failed attempts from one source are aggregated', () => {
  it('records the first ones one by one, then one record says how many more came in the interval', async () => {
    const b = backendWith();
    for (let i = 0; i < 200; i++) expect((await send(b, bearer('wrong'))).status).toBe(401);
    expect(await count(b, FAILED)).toBe(FAILED_ATTEMPTS_RECORDED_PER_SOURCE);
    expect(await count(b, 'Further failed attempts')).toBe(0);

    // The interval ends; the next request of any kind (here the console's) writes the summary.
    b.advance(FAILED_ATTEMPTS_INTERVAL_MS);
    await b.call('/myself');
    const [summary] = (await records(b)).filter((r) => r.summary === 'Further failed attempts');
    expect(summary).toMatchObject({
      author: { username: null, displayName: 'Anonymous' },
      source: { clientIp: '203.0.113.9', nodeId: 'node-1' },
      details: {
        furtherAttempts: {
          count: 200 - FAILED_ATTEMPTS_RECORDED_PER_SOURCE,
          source: '203.0.113.9',
          from: TEST_NOW.toISOString(),
          to: new Date(TEST_NOW.getTime() + FAILED_ATTEMPTS_INTERVAL_MS).toISOString(),
        },
      },
    });

    // A new interval: the first attempts are recorded one by one again.
    await send(b, bearer('wrong'));
    expect(await count(b, FAILED)).toBe(FAILED_ATTEMPTS_RECORDED_PER_SOURCE + 1);
  });

  it('follows each source on its own; an IPv6 source is its /64', async () => {
    const b = backendWith();
    for (let i = 0; i < 15; i++) {
      await send(b, bearer('wrong'), '198.51.100.1');
      await send(b, bearer('wrong'), `2001:db8:1:2::${i + 1}`);
      await send(b, bearer('wrong'), `2001:db8:1:3::${i + 1}`);
    }
    expect(await count(b, FAILED)).toBe(3 * FAILED_ATTEMPTS_RECORDED_PER_SOURCE);
    b.advance(FAILED_ATTEMPTS_INTERVAL_MS);
    await b.call('/myself');
    const sources = (await records(b))
      .filter((r) => r.summary === 'Further failed attempts')
      .map((r) => [r.details.furtherAttempts?.source, r.details.furtherAttempts?.count]);
    expect(sources.sort()).toEqual([
      ['198.51.100.1', 5],
      ['2001:db8:1:2::/64', 5],
      ['2001:db8:1:3::/64', 5],
    ]);
  });

  it('writes no summary when no attempt went beyond the ones recorded', async () => {
    const b = backendWith();
    for (let i = 0; i < FAILED_ATTEMPTS_RECORDED_PER_SOURCE; i++) await send(b, bearer('wrong'));
    b.advance(FAILED_ATTEMPTS_INTERVAL_MS);
    await b.call('/myself');
    expect(await count(b, 'Further failed attempts')).toBe(0);
  });

  it('aggregates only failed attempts: every success is still recorded', async () => {
    const b = backendWith();
    for (let i = 0; i < 30; i++) expect((await send(b, bearer(SECRET))).status).toBe(200);
    expect(await count(b, 'Successful authentication')).toBe(30);
  });

  it('keeps bounded state: beyond the sources it follows, the others share one interval', () => {
    const attempts = new FailedAttempts(2);
    const now = TEST_NOW.getTime();
    for (const ip of ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4']) {
      for (let i = 0; i < 12; i++) attempts.admit(ip, now);
    }
    const ended = attempts.takeEnded(now + FAILED_ATTEMPTS_INTERVAL_MS);
    expect(ended.map((e) => [e.furtherAttempts.source, e.furtherAttempts.count, e.lastIp])).toEqual([
      ['192.0.2.1', 2, '192.0.2.1'],
      ['192.0.2.2', 2, '192.0.2.2'],
      // 24 attempts of two more sources: 10 recorded, 14 counted.
      [OTHER_SOURCES, 14, null],
    ]);
    expect(attempts.takeEnded(now + 2 * FAILED_ATTEMPTS_INTERVAL_MS)).toEqual([]);
  });
});

describe('failed attempts count against the rate limit of their source', () => {
  const LIMITED = (s: SettingsInput) =>
    void (s.authentication.rateLimit = { enabled: true, requestsPerMinute: 6, burst: 3 });

  it('answers 429 to a source whose failures used up its limit, even for a valid token, until it refills', async () => {
    const b = backendWith(LIMITED);
    for (let i = 0; i < 3; i++) expect((await send(b, bearer('wrong'))).status).toBe(401);
    const limited = await send(b, bearer(SECRET));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('10');
    // Another source is not affected.
    expect((await send(b, bearer(SECRET), '198.51.100.7')).status).toBe(200);
    // Refilled after 10 s (6 a minute).
    b.advance(10_000);
    expect((await send(b, bearer(SECRET))).status).toBe(200);
  });

  it("never takes successes from the source's limit", async () => {
    const b = backendWith(LIMITED);
    for (let i = 0; i < 3; i++) expect((await send(b, bearer(SECRET))).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await send(b, bearer('wrong'))).status).toBe(401);
    expect((await send(b, bearer('wrong'))).status).toBe(429);
  });

  it("says so in the rate limiter's log line", async () => {
    const b = backendWith(LIMITED);
    await b.store.setLoggerLevel('node-1', 'de.resolution.apitokenauth', 'INFO');
    for (let i = 0; i < 4; i++) await send(b, bearer('wrong'));
    expect((await b.store.listLogEntries({ limit: 1 })).items[0]).toMatchObject({
      logger: 'de.resolution.apitokenauth.platform.auth.ApiTokenRateLimiter',
      message:
        'Rate limit exceeded for source 203.0.113.9: its failed attempts used up its 6 requests per minute (burst 3). Returning 429. REST endpoint: /rest/api/2/myself',
    });
  });

  it('counts wrong passwords too (refused by the default authenticator)', async () => {
    const b = backendWith(LIMITED);
    for (let i = 0; i < 3; i++) expect((await send(b, basic('jdoe', 'wrong'))).status).toBe(401);
    expect((await send(b, basic('jdoe', 'wrong'))).status).toBe(429);
  });

  it('does not throttle while rate limiting is off', async () => {
    const b = backendWith();
    for (let i = 0; i < 20; i++) await send(b, bearer('wrong'));
    expect((await send(b, bearer(SECRET))).status).toBe(200);
  });
});

describe('RateLimiter', () => {
  it('keeps at most its number of buckets, dropping the one used longest ago', () => {
    const limiter = new RateLimiter(2);
    const limit = { requestsPerMinute: 1, burst: 1 };
    // take answers the requests left after this one, or null when the bucket is empty.
    expect(limiter.take('a', limit, 0)).toBe(0);
    expect(limiter.take('b', limit, 0)).toBe(0);
    expect(limiter.take('a', limit, 0)).toBeNull();
    // A third key drops "b" (a was used last): a is still empty, b starts full again.
    expect(limiter.take('c', limit, 0)).toBe(0);
    expect(limiter.available('a', limit, 0)).toBe(false);
    expect(limiter.available('b', limit, 0)).toBe(true);
  });
});
