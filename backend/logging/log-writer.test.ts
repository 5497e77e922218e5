import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../server/store/sqlite-store';
import { CachedStore } from '../store/cached-store';
import { MemoryStore, noChanges } from '../store/memory';
import type { Store } from '../store/port';
import { fixtureData } from '../test/fixtures';
import { createLogWriter, type LogContext } from './log-writer';

const NOW = new Date('2026-11-26T10:00:00.000Z');
const SERVICE = 'de.resolution.apitokenauth.ApiTokenAuthenticationService';
const CONTEXT: LogContext = {
  username: 'jdoe',
  clientIp: '203.0.113.7',
  url: '/rest/api/2/myself',
  node: 'node-1',
  thread: 'http-nio-8080-exec-1',
};

const STORES: [string, () => Promise<Store>][] = [
  ['memory', async () => new MemoryStore(fixtureData(), noChanges('admin'))],
  [
    'sqlite (cached)',
    async () => {
      // As the server reads it: through the cache.
      const store = SqliteStore.open(':memory:', { nodes: ['node-1', 'node-2'] });
      await store.seed(fixtureData());
      return new CachedStore(store);
    },
  ],
];

describe.each(STORES)('the log writer on the %s store', (_name, create) => {
  async function setUp() {
    const store = await create();
    const writer = createLogWriter(
      () => store,
      () => NOW,
    );
    const newest = async (n: number) => (await store.listLogEntries({ limit: n })).items;
    return { store, writer, newest };
  }

  it('writes the lines of one event together, at one time, in order', async () => {
    const { store, writer, newest } = await setUp();
    await store.setLoggerLevel('node-1', 'de.resolution.apitokenauth', 'INFO');
    const levels = writer.levelsOf(await store.listLoggers('node-1'));
    expect(await writer.write(levels, SERVICE, 'INFO', CONTEXT, ['first line', 'second line'])).toBe(true);
    const written = (await newest(2)).reverse();
    expect(written.map((e) => e.message)).toEqual(['first line', 'second line']);
    for (const entry of written) {
      expect(entry).toMatchObject({
        ...CONTEXT,
        level: 'INFO',
        logger: SERVICE,
        timestamp: NOW.toISOString(),
      });
    }
  });

  it('writes nothing where the effective level (inherited from the package) does not allow it, and follows a change at once', async () => {
    const { store, writer, newest } = await setUp();
    await store.setLoggerLevel('node-1', 'de.resolution.apitokenauth', 'WARN');
    const before = (await newest(1))[0]?.id;
    const atWarn = writer.levelsOf(await store.listLoggers('node-1'));
    expect(atWarn.allows(SERVICE, 'INFO')).toBe(false);
    expect(atWarn.allows(SERVICE, 'WARN')).toBe(true);
    expect(await writer.write(atWarn, SERVICE, 'INFO', CONTEXT, ['not', 'written'])).toBe(false);
    expect((await newest(1))[0]?.id).toBe(before);

    await store.setLoggerLevel('node-1', 'de.resolution.apitokenauth', 'INFO');
    const atInfo = writer.levelsOf(await store.listLoggers('node-1'));
    expect(atInfo.allows(SERVICE, 'INFO')).toBe(true);
    expect(await writer.write(atInfo, SERVICE, 'INFO', CONTEXT, ['now written'])).toBe(true);
    expect((await newest(1))[0]?.message).toBe('now written');
    // Another node keeps its own levels.
    expect(writer.levelsOf(await store.listLoggers('node-2')).allows(SERVICE, 'INFO')).toBe(false);

    // A level on the class itself wins over its package's.
    await store.setLoggerLevel('node-1', SERVICE, 'ERROR');
    const onTheClass = writer.levelsOf(await store.listLoggers('node-1'));
    expect(onTheClass.allows(SERVICE, 'INFO')).toBe(false);
    expect(onTheClass.allows('de.resolution.apitokenauth', 'INFO')).toBe(true);
  });
});
