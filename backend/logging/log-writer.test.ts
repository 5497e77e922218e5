import { describe, expect, it } from 'vitest';
import { SqliteStore } from '../../server/store/sqlite-store';
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

const STORES: [string, () => Store][] = [
  ['memory', () => new MemoryStore(fixtureData(), noChanges('admin'))],
  [
    'sqlite',
    () => {
      const store = SqliteStore.open(':memory:', { nodes: ['node-1', 'node-2'] });
      store.seed(fixtureData());
      return store;
    },
  ],
];

describe.each(STORES)('the log writer on the %s store', (_name, create) => {
  function setUp() {
    const store = create();
    const writer = createLogWriter(
      () => store,
      () => NOW,
    );
    const newest = async (n: number) => (await store.listLogEntries({ limit: n })).items;
    return { store, writer, newest };
  }

  it('writes the lines of one event together, at one time, in order', async () => {
    const { store, writer, newest } = setUp();
    store.setLoggerLevel('node-1', 'de.resolution.apitokenauth', 'INFO');
    expect(writer.write(SERVICE, 'INFO', CONTEXT, ['first line', 'second line'])).toBe(true);
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
    const { store, writer, newest } = setUp();
    store.setLoggerLevel('node-1', 'de.resolution.apitokenauth', 'WARN');
    const before = (await newest(1))[0]?.id;
    expect(writer.enabled(SERVICE, 'INFO', 'node-1')).toBe(false);
    expect(writer.write(SERVICE, 'INFO', CONTEXT, ['not', 'written'])).toBe(false);
    expect((await newest(1))[0]?.id).toBe(before);

    store.setLoggerLevel('node-1', 'de.resolution.apitokenauth', 'INFO');
    expect(writer.enabled(SERVICE, 'INFO', 'node-1')).toBe(true);
    expect(writer.write(SERVICE, 'INFO', CONTEXT, ['now written'])).toBe(true);
    expect((await newest(1))[0]?.message).toBe('now written');

    // A level on the class itself wins over its package's.
    store.setLoggerLevel('node-1', SERVICE, 'ERROR');
    expect(writer.enabled(SERVICE, 'INFO', 'node-1')).toBe(false);
    expect(writer.enabled('de.resolution.apitokenauth', 'INFO', 'node-1')).toBe(true);
  });
});
