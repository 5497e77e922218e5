import { describe, expect, it } from 'vitest';
import { ROOT_LOGGER, type LogLevel } from '../../contract/logging';
import { applyStartLevels } from './logging';
import {
  APP,
  SERVICE,
  LIMITER,
  JIRA,
  LOGIN,
  HOUR,
  dataSet,
  setup,
  getLoggers,
  setLevel,
  view,
  configuredOf,
  storedLevels,
  loggingRecords,
  recordsByLogger,
} from './logging-test-kit';

describe('levels at start (applyStartLevels)', () => {
  const START_AUTHOR = { username: null, displayName: 'Server start (logging configuration)' };
  const configuration = (entries: [string, LogLevel][]) => new Map<string, LogLevel>(entries);

  it('gives every logger of the starting node the configured level and no other: levels set at runtime last until the restart', async () => {
    const backend = setup();
    await setLevel(backend, SERVICE, { level: 'TRACE', node: 'node-1' });
    await applyStartLevels(
      backend.store,
      configuration([
        [ROOT_LOGGER, 'WARN'],
        [APP, 'INFO'],
      ]),
      backend.at(),
      'node-1',
    );
    const after = await getLoggers(backend);
    const onNode1 = (name: string) => configuredOf(after, name)['node-1'];
    expect(onNode1(ROOT_LOGGER)).toBe('WARN');
    expect(onNode1(APP)).toBe('INFO');
    // Set at runtime, in the data set per node, or for another package: not configured, so inherited.
    for (const name of [SERVICE, LIMITER, JIRA, LOGIN]) expect(onNode1(name)).toBeNull();
    expect(view(after, LOGIN)?.nodes[0]).toMatchObject({
      effectiveLevel: 'WARN',
      effectiveSource: ROOT_LOGGER,
    });
  });

  it("cancels the node's part of pending reverts: the level they would put back is gone with the restart", async () => {
    const backend = setup();
    await setLevel(backend, APP, { level: 'DEBUG', revertAfter: '1h' });
    await applyStartLevels(backend.store, configuration([[ROOT_LOGGER, 'WARN']]), backend.at(), 'node-1');
    // node-2 did not restart: its level still reverts.
    expect(await backend.store.listLevelReverts()).toEqual([
      expect.objectContaining({ name: APP, previous: { 'node-2': 'INFO' } }),
    ]);
    backend.advance(2 * HOUR);
    const after = await getLoggers(backend);
    expect(view(after, APP)?.revertAt).toBeNull();
    expect(configuredOf(after, APP)).toEqual({ 'node-1': null, 'node-2': 'INFO' });
  });

  it('leaves the levels of the other nodes alone (each node has its own configuration)', async () => {
    const backend = setup();
    await setLevel(backend, APP, { level: 'DEBUG' });
    await applyStartLevels(backend.store, configuration([[APP, 'TRACE']]), backend.at(), 'node-2');
    expect(await storedLevels(backend, APP)).toEqual({ 'node-1': 'DEBUG', 'node-2': 'TRACE' });
  });

  it('records each logger it changes, with the levels before and after, and nothing for one it leaves', async () => {
    const backend = setup();
    await setLevel(backend, APP, { level: 'DEBUG' });
    const before = (await loggingRecords(backend)).length;
    await applyStartLevels(
      backend.store,
      configuration([
        [ROOT_LOGGER, 'WARN'],
        [APP, 'INFO'],
        [JIRA, 'INFO'],
      ]),
      backend.at(),
      'node-1',
    );
    const records = (await loggingRecords(backend)).slice(0, (await loggingRecords(backend)).length - before);
    const byLogger = recordsByLogger(records);
    // ROOT and the Jira package already had these levels on node-1, and LOGIN none: no record.
    expect(Object.keys(byLogger).sort()).toEqual([APP, LIMITER].sort());
    expect(byLogger[APP]).toMatchObject({
      author: START_AUTHOR,
      summary: 'Log level changed',
      changedValues: [{ field: 'Level', from: 'DEBUG', to: 'node-1: INFO, node-2: DEBUG' }],
      source: { clientIp: null, proxyIp: null, nodeId: 'node-1', method: null },
    });
    expect(byLogger[LIMITER]?.changedValues).toEqual([
      { field: 'Level', from: 'node-1: INFO, node-2: DEBUG', to: 'node-1: inherited, node-2: DEBUG' },
    ]);
  });

  it('writes no audit record on a first start (no level was set before)', async () => {
    const backend = setup('admin', { ...dataSet(), loggers: [], nodeLoggers: {} });
    await applyStartLevels(backend.store, configuration([[ROOT_LOGGER, 'WARN']]), backend.at(), 'node-1');
    expect(configuredOf(await getLoggers(backend), ROOT_LOGGER)).toEqual({
      'node-1': 'WARN',
      'node-2': null,
    });
    expect(await loggingRecords(backend)).toEqual([]);
  });

  it('a restart with the same configuration changes nothing and records nothing', async () => {
    const backend = setup();
    const start = configuration([
      [ROOT_LOGGER, 'WARN'],
      [APP, 'INFO'],
    ]);
    await applyStartLevels(backend.store, start, backend.at(), 'node-1');
    const records = (await loggingRecords(backend)).length;
    const levels = await getLoggers(backend);
    await applyStartLevels(backend.store, start, backend.at(), 'node-1');
    expect(await getLoggers(backend)).toEqual(levels);
    expect(await loggingRecords(backend)).toHaveLength(records);
  });
});
