import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../../contract/logging';
import { bearer, TEST_NOW } from '../test/harness';
import type { Backend } from './logging-test-kit';
import {
  APP,
  SERVICE,
  SECOND,
  MINUTE,
  SECRET,
  setup,
  setLevel,
  resetLevel,
  entries,
  ids,
} from './logging-test-kit';

// ---------------------------------------------------------------------------------------------------
// Log lines follow the levels in force at the moment, on the node that handles the request
// ---------------------------------------------------------------------------------------------------

describe('writing log entries', () => {
  /**
   * A successful token authentication on node-1 (the harness's node); the new entries it left (at
   * INFO, the seed's two lines: the legacy one and, since 2.1, the one with the username).
   */
  async function authenticate(backend: Backend): Promise<LogEntry[]> {
    const before = (await backend.store.listLogEntries({ limit: 1 })).items[0]?.id ?? '';
    const response = await backend.app.request('/rest/api/2/myself', {
      headers: { authorization: bearer(SECRET), 'x-test-client-ip': '198.51.100.7' },
    });
    expect(response.status).toBe(200);
    return (await backend.store.listLogEntries({ limit: 100 })).items.filter((e) => e.id > before);
  }

  it('writes the INFO line only while the effective level allows it', async () => {
    const backend = setup();
    const written = await authenticate(backend);
    expect(written).toHaveLength(2);
    for (const entry of written) {
      expect(entry).toMatchObject({
        level: 'INFO',
        logger: SERVICE,
        node: 'node-1',
        username: 'jdoe',
        clientIp: '198.51.100.7',
        url: '/rest/api/2/myself',
        timestamp: TEST_NOW.toISOString(),
      });
    }
    expect(written.some((e) => e.message.includes('"CI pipeline"'))).toBe(true);

    await setLevel(backend, APP, { level: 'WARN' });
    expect(await authenticate(backend)).toEqual([]);

    // The service's own level wins over its package's.
    await setLevel(backend, SERVICE, { level: 'INFO' });
    expect(await authenticate(backend)).toHaveLength(2);
    await resetLevel(backend, SERVICE);
    expect(await authenticate(backend)).toEqual([]);

    await setLevel(backend, APP, { level: 'INFO' });
    const again = await authenticate(backend);
    expect(again).toHaveLength(2);
    // The new entries are the newest of the list.
    expect(ids(await entries(backend, '?limit=2'))).toEqual(ids({ entries: again }));
  });

  it('follows a temporary level until it reverts', async () => {
    const backend = setup();
    await setLevel(backend, APP, { level: 'ERROR', revertAfter: '15m' });
    expect(await authenticate(backend)).toEqual([]);
    backend.advance(15 * MINUTE + SECOND);
    expect(await authenticate(backend)).toHaveLength(2);
  });

  it("uses the level of the node that handles the request, not another node's", async () => {
    const backend = setup();
    // node-2 silenced: node-1 still writes.
    await backend.store.setLoggerLevel('node-2', APP, 'OFF');
    expect(await authenticate(backend)).toHaveLength(2);
    // node-1 silenced, node-2 at TRACE: nothing.
    await backend.store.setLoggerLevel('node-1', APP, 'OFF');
    await backend.store.setLoggerLevel('node-2', APP, 'TRACE');
    expect(await authenticate(backend)).toEqual([]);
  });
});
