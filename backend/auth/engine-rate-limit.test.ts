import { describe, expect, it } from 'vitest';
import { bearer } from '../test/harness';
import { SECRETS, backendWith, send, auditRecords, logEntries } from './engine-test-kit';

describe('rate limiting', () => {
  const RATE_LIMIT = { enabled: true, requestsPerMinute: 6, burst: 2 };

  it("answers the request after the burst with 429, Jira's rate-limit headers and the rate limiter INFO line", async () => {
    const backend = backendWith({ authentication: { rateLimit: RATE_LIMIT } });
    const request = { authorization: bearer(SECRETS.readWrite) };
    const remaining = async () => (await send(backend, request)).headers.get('x-ratelimit-remaining');
    // Successful requests say what is left of the burst.
    expect(await remaining()).toBe('1');
    expect(await remaining()).toBe('0');

    const limited = await send(backend, request);
    expect(limited.status).toBe(429);
    // Jira Data Center's headers, all of which python-jira reads before it retries.
    expect(
      Object.fromEntries([...limited.headers].filter(([name]) => /^(retry-after|x-ratelimit)/.test(name))),
    ).toEqual({
      'retry-after': '10',
      'x-ratelimit-limit': '2',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-fillrate': '6',
      'x-ratelimit-interval-seconds': '60',
    });
    expect(await limited.json()).toMatchObject({
      status: 429,
      title: 'Too Many Requests',
      errorMessages: ['Rate limit exceeded. Try again later.'],
    });

    const [newest] = await logEntries(backend);
    expect(newest).toMatchObject({
      level: 'INFO',
      logger: 'de.resolution.apitokenauth.platform.auth.ApiTokenRateLimiter',
      username: 'jdoe',
      url: '/rest/api/2/myself',
      message:
        'Rate limit exceeded for user jdoe with token "CI pipeline" (Read & Write scope): more than 6 requests per minute (burst 2). Returning 429. REST endpoint: /rest/api/2/myself',
    });
    expect(await auditRecords(backend)).toEqual([]);
  });

  it('limits each token on its own', async () => {
    const backend = backendWith({ authentication: { rateLimit: RATE_LIMIT } });
    for (let i = 0; i < 3; i++) await send(backend, { authorization: bearer(SECRETS.readWrite) });
    expect((await send(backend, { authorization: bearer(SECRETS.readOnly) })).status).toBe(200);
  });

  it('does not limit while rate limiting is off', async () => {
    const backend = backendWith({ authentication: { rateLimit: { ...RATE_LIMIT, enabled: false } } });
    const responses: Response[] = [];
    for (let i = 0; i < 5; i++)
      responses.push(await send(backend, { authorization: bearer(SECRETS.readWrite) }));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(responses.map((r) => r.headers.get('x-ratelimit-remaining'))).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
  });
});
