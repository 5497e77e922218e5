import { describe, expect, it } from 'vitest';
import { APP_LOGGERS } from '../../contract/logging';
import { bearer, TEST_NOW } from '../test/harness';
import {
  APP_LOGGER,
  backendWith,
  dataSet,
  logEntries,
  OTHER_BEARER_DISABLED,
  SECRETS,
  send,
} from './engine-test-kit';

describe("log lines follow the loggers' levels", () => {
  const failedBearer = { authorization: bearer(SECRETS.unknown) };

  it("writes the prefix fields of the seed's ConversionPattern: user, client IP, URL, node, thread", async () => {
    const backend = backendWith({ authentication: OTHER_BEARER_DISABLED });
    await send(backend, { ...failedBearer, ip: '91.41.231.119' });
    expect(await logEntries(backend)).toEqual([
      expect.objectContaining({
        timestamp: TEST_NOW.toISOString(),
        level: 'INFO',
        logger: APP_LOGGERS.authService,
        username: 'anonymous',
        clientIp: '91.41.231.119',
        url: '/rest/api/2/myself',
        node: 'node-1',
        thread: expect.stringMatching(/^http-nio-8080-exec-\d+$/),
      }),
    ]);
  });

  it('writes no INFO line once the app logger is set to WARN, and again once it is back at INFO', async () => {
    const backend = backendWith();
    await send(backend, { authorization: bearer(SECRETS.readWrite) });
    const before = (await logEntries(backend)).length;
    expect(before).toBe(2);

    await backend.store.setLoggerLevel('node-1', APP_LOGGER, 'WARN');
    await send(backend, { authorization: bearer(SECRETS.readWrite) });
    await send(backend, failedBearer);
    await send(backend, { method: 'POST', authorization: bearer(SECRETS.readOnly) });
    expect(await logEntries(backend)).toHaveLength(before);

    await backend.store.setLoggerLevel('node-1', APP_LOGGER, 'INFO');
    await send(backend, failedBearer);
    expect(await logEntries(backend)).toHaveLength(before + 1);
  });

  it('writes nothing when no logger is configured (ROOT is ERROR)', async () => {
    const backend = backendWith({}, dataSet([]));
    const response = await send(backend, { authorization: bearer(SECRETS.readWrite) });
    expect(response.status).toBe(200);
    expect(await logEntries(backend)).toEqual([]);
  });

  it('silences the authentication service alone while the rate limiter still writes', async () => {
    const backend = backendWith({
      authentication: { rateLimit: { enabled: true, requestsPerMinute: 6, burst: 1 } },
    });
    await backend.store.setLoggerLevel('node-1', APP_LOGGERS.authService, 'OFF');
    await send(backend, { authorization: bearer(SECRETS.readWrite) });
    expect((await send(backend, { authorization: bearer(SECRETS.readWrite) })).status).toBe(429);
    expect((await logEntries(backend)).map((e) => e.logger)).toEqual([APP_LOGGERS.rateLimiter]);
  });
});
