import { describe, expect, it } from 'vitest';
import { TEST_NOW } from '../test/harness';
import {
  APP,
  SERVICE,
  LIMITER,
  JIRA,
  LOGIN,
  SECOND,
  MINUTE,
  HOUR,
  setup,
  getLoggers,
  setLevel,
  view,
  configuredOf,
  storedLevels,
  both,
  loggingRecords,
  recordsByLogger,
  AUTO_REVERT_AUTHOR,
  loggerObject,
} from './logging-test-kit';

describe('revert after', () => {
  it('puts the previous level back once the time has come, on the next request', async () => {
    const backend = setup();
    const t0 = TEST_NOW.getTime();
    const revertAt = new Date(t0 + 15 * MINUTE).toISOString();
    await setLevel(backend, APP, { level: 'DEBUG', revertAfter: '15m' });
    expect(view(await getLoggers(backend), APP)?.revertAt).toBe(revertAt);

    backend.advance(14 * MINUTE + 59 * SECOND);
    const before = await getLoggers(backend);
    expect(configuredOf(before, APP)).toEqual(both('DEBUG'));
    expect(view(before, APP)?.revertAt).toBe(revertAt);
    expect(await loggingRecords(backend)).toHaveLength(1);

    backend.advance(2 * SECOND);
    // Any request: here one that has nothing to do with logging.
    expect((await backend.call('/health')).status).toBe(200);
    expect(await storedLevels(backend, APP)).toEqual(both('INFO'));
    const after = await getLoggers(backend);
    expect(configuredOf(after, APP)).toEqual(both('INFO'));
    expect(view(after, APP)?.revertAt).toBeNull();

    const records = await loggingRecords(backend);
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({
      timestamp: new Date(t0 + 15 * MINUTE + SECOND).toISOString(),
      author: AUTO_REVERT_AUTHOR,
      category: 'Logging',
      summary: 'Log level changed',
      affectedObjects: loggerObject(APP),
      changedValues: [{ field: 'Level', from: 'DEBUG', to: 'INFO' }],
    });
  });

  it('puts back the level of each node, including a node difference and an inherited level', async () => {
    const backend = setup();
    await setLevel(backend, LIMITER, { level: 'TRACE', revertAfter: '15m' });
    await setLevel(backend, LOGIN, { level: 'TRACE', revertAfter: '15m' });
    expect(await storedLevels(backend, LIMITER)).toEqual(both('TRACE'));
    backend.advance(15 * MINUTE + SECOND);
    const after = await getLoggers(backend);
    expect(configuredOf(after, LIMITER)).toEqual({ 'node-1': 'INFO', 'node-2': 'DEBUG' });
    expect(configuredOf(after, LOGIN)).toEqual({ 'node-1': null, 'node-2': 'ERROR' });
    expect(view(after, LOGIN)?.nodes[0]).toMatchObject({ effectiveLevel: 'INFO', effectiveSource: JIRA });

    const reverts = (await loggingRecords(backend)).filter((r) => r.author.username === null);
    expect(reverts).toHaveLength(2);
    const byLogger = recordsByLogger(reverts);
    expect(byLogger[LIMITER]?.changedValues).toEqual([
      { field: 'Level', from: 'TRACE', to: 'node-1: INFO, node-2: DEBUG' },
    ]);
    expect(byLogger[LOGIN]?.changedValues).toEqual([
      { field: 'Level', from: 'TRACE', to: 'node-1: inherited, node-2: ERROR' },
    ]);
    for (const r of reverts) expect(r.author).toEqual(AUTO_REVERT_AUTHOR);
  });

  it('a temporary level on one node reverts that node only', async () => {
    const backend = setup();
    await setLevel(backend, APP, { level: 'DEBUG', node: 'node-2', revertAfter: '15m' });
    // Meanwhile node-1 is changed for good: the revert leaves it alone.
    await setLevel(backend, APP, { level: 'WARN', node: 'node-1' });
    expect(await storedLevels(backend, APP)).toEqual({ 'node-1': 'WARN', 'node-2': 'DEBUG' });
    backend.advance(16 * MINUTE);
    await getLoggers(backend);
    expect(await storedLevels(backend, APP)).toEqual({ 'node-1': 'WARN', 'node-2': 'INFO' });
  });

  it('reverts only once', async () => {
    const backend = setup();
    await setLevel(backend, APP, { level: 'DEBUG', revertAfter: '15m' });
    backend.advance(16 * MINUTE);
    await getLoggers(backend);
    await getLoggers(backend);
    backend.advance(HOUR);
    await getLoggers(backend);
    expect(await loggingRecords(backend)).toHaveLength(2);
  });

  it('a second temporary change reverts to the original level, not to the first temporary one', async () => {
    const backend = setup();
    const t0 = TEST_NOW.getTime();
    await setLevel(backend, APP, { level: 'DEBUG', revertAfter: '15m' });
    backend.advance(5 * MINUTE);
    const second = await setLevel(backend, APP, { level: 'TRACE', revertAfter: '1h' });
    expect(view(second, APP)?.revertAt).toBe(new Date(t0 + 65 * MINUTE).toISOString());
    // The first change's time passes: the second one holds.
    backend.advance(11 * MINUTE);
    expect(configuredOf(await getLoggers(backend), APP)).toEqual(both('TRACE'));
    backend.advance(50 * MINUTE);
    expect(configuredOf(await getLoggers(backend), APP)).toEqual(both('INFO'));
    const [revert] = await loggingRecords(backend);
    expect(revert?.author).toEqual(AUTO_REVERT_AUTHOR);
    expect(revert?.changedValues).toEqual([{ field: 'Level', from: 'TRACE', to: 'INFO' }]);
  });

  it('a permanent change cancels a pending revert', async () => {
    const backend = setup();
    await setLevel(backend, APP, { level: 'DEBUG', revertAfter: '15m' });
    backend.advance(MINUTE);
    const response = await setLevel(backend, APP, { level: 'WARN' });
    expect(view(response, APP)?.revertAt).toBeNull();
    backend.advance(4 * HOUR);
    expect(configuredOf(await getLoggers(backend), APP)).toEqual(both('WARN'));
    expect((await loggingRecords(backend)).filter((r) => r.author.username === null)).toEqual([]);
  });

  it('a temporary change after a permanent one reverts to the permanent level', async () => {
    const backend = setup();
    await setLevel(backend, APP, { level: 'DEBUG', revertAfter: '15m' });
    await setLevel(backend, APP, { level: 'WARN' });
    await setLevel(backend, APP, { level: 'TRACE', revertAfter: '15m' });
    backend.advance(16 * MINUTE);
    expect(configuredOf(await getLoggers(backend), APP)).toEqual(both('WARN'));
  });

  it('reverts each logger at its own time', async () => {
    const backend = setup();
    await setLevel(backend, APP, { level: 'DEBUG', revertAfter: '15m' });
    await setLevel(backend, SERVICE, { level: 'TRACE', revertAfter: '4h' });
    backend.advance(HOUR);
    const mid = await getLoggers(backend);
    expect(configuredOf(mid, APP)).toEqual(both('INFO'));
    expect(configuredOf(mid, SERVICE)).toEqual(both('TRACE'));
    expect(view(mid, SERVICE)?.revertAt).toBe(new Date(TEST_NOW.getTime() + 4 * HOUR).toISOString());
    backend.advance(3 * HOUR);
    expect(configuredOf(await getLoggers(backend), SERVICE)).toEqual(both(null));
  });
});
