import { describe, expect, it, vi } from 'vitest';
import { ROOT_LOGGER } from '../../contract/logging';
import { nodeKnownById } from '../store/port';
import { fixtureData } from '../test/fixtures';
import { TEST_NOW } from '../test/harness';
import {
  APP,
  SERVICE,
  LIMITER,
  JIRA,
  LOGIN,
  HOUR,
  setup,
  path,
  getLoggers,
  setLevel,
  resetLevel,
  view,
  configuredOf,
  storedLevels,
  both,
  loggingRecords,
  ADMIN_AUTHOR,
  loggerObject,
  problemOf,
} from './logging-test-kit';

describe('GET /logging/loggers', () => {
  it('lists ROOT first, then every logger by name, with configured and effective levels per node', async () => {
    const backend = setup();
    const response = await getLoggers(backend);
    expect(response.nodes).toEqual([nodeKnownById('node-1'), nodeKnownById('node-2')]);
    expect(response.thisNode).toBe('node-1');
    expect(response.loggers.map((l) => l.name)).toEqual([ROOT_LOGGER, JIRA, LOGIN, APP, SERVICE, LIMITER]);
    for (const logger of response.loggers) {
      expect(logger.nodes.map((n) => n.node)).toEqual(['node-1', 'node-2']);
      expect(logger.revertAt).toBeNull();
    }

    const onNodes = (name: string) => view(response, name)?.nodes.map(({ node, ...rest }) => [node, rest]);
    expect(onNodes(ROOT_LOGGER)).toEqual([
      ['node-1', { configuredLevel: 'WARN', effectiveLevel: 'WARN', effectiveSource: ROOT_LOGGER }],
      ['node-2', { configuredLevel: 'WARN', effectiveLevel: 'WARN', effectiveSource: ROOT_LOGGER }],
    ]);
    expect(onNodes(APP)).toEqual([
      ['node-1', { configuredLevel: 'INFO', effectiveLevel: 'INFO', effectiveSource: APP }],
      ['node-2', { configuredLevel: 'INFO', effectiveLevel: 'INFO', effectiveSource: APP }],
    ]);
    // Inherited through the dotted hierarchy from the nearest configured ancestor.
    expect(onNodes(SERVICE)).toEqual([
      ['node-1', { configuredLevel: null, effectiveLevel: 'INFO', effectiveSource: APP }],
      ['node-2', { configuredLevel: null, effectiveLevel: 'INFO', effectiveSource: APP }],
    ]);
    // A node difference.
    expect(onNodes(LIMITER)).toEqual([
      ['node-1', { configuredLevel: 'INFO', effectiveLevel: 'INFO', effectiveSource: LIMITER }],
      ['node-2', { configuredLevel: 'DEBUG', effectiveLevel: 'DEBUG', effectiveSource: LIMITER }],
    ]);
    // Inherited on one node (skipping an unconfigured level of the hierarchy), configured on the other.
    expect(onNodes(LOGIN)).toEqual([
      ['node-1', { configuredLevel: null, effectiveLevel: 'INFO', effectiveSource: JIRA }],
      ['node-2', { configuredLevel: 'ERROR', effectiveLevel: 'ERROR', effectiveSource: LOGIN }],
    ]);
  });

  it("always lists ROOT and the app's three loggers, ERROR from ROOT when nothing is configured", async () => {
    const backend = setup('admin', { ...fixtureData(), loggers: [] });
    const response = await getLoggers(backend);
    expect(response.nodes.map((n) => n.id)).toEqual(['node-1']);
    expect(response.loggers.map((l) => l.name)).toEqual([ROOT_LOGGER, APP, SERVICE, LIMITER]);
    for (const logger of response.loggers) {
      expect(logger.nodes).toEqual([
        { node: 'node-1', configuredLevel: null, effectiveLevel: 'ERROR', effectiveSource: ROOT_LOGGER },
      ]);
    }
  });

  it('a logger under a package of ROOT only inherits from ROOT', async () => {
    const backend = setup();
    const response = await setLevel(backend, 'org.example', { level: 'TRACE' });
    expect(view(response, 'org.example')?.nodes[0]).toMatchObject({ effectiveSource: 'org.example' });
    await resetLevel(backend, 'org.example');
    const after = await getLoggers(backend);
    expect(view(after, 'org.example')?.nodes).toEqual([
      { node: 'node-1', configuredLevel: null, effectiveLevel: 'WARN', effectiveSource: ROOT_LOGGER },
      { node: 'node-2', configuredLevel: null, effectiveLevel: 'WARN', effectiveSource: ROOT_LOGGER },
    ]);
  });

  it('is open to the auditor, not to a regular user', async () => {
    expect((await setup('auditor').call('/logging/loggers')).status).toBe(200);
    expect((await setup('jdoe').call('/logging/loggers')).status).toBe(403);
    expect((await setup(null).call('/logging/loggers')).status).toBe(401);
  });
});

// ---------------------------------------------------------------------------------------------------
// PUT and DELETE /logging/loggers/{name}
// ---------------------------------------------------------------------------------------------------

describe('PUT /logging/loggers/{name}', () => {
  it('sets the level on every node and returns the new view', async () => {
    const backend = setup();
    const response = await setLevel(backend, LIMITER, { level: 'TRACE' });
    expect(await storedLevels(backend, LIMITER)).toEqual(both('TRACE'));
    expect(configuredOf(response, LIMITER)).toEqual(both('TRACE'));
    expect(view(response, LIMITER)?.nodes.every((n) => n.effectiveLevel === 'TRACE')).toBe(true);
    expect(response).toEqual(await getLoggers(backend));
  });

  it('a level on a package changes what its unconfigured descendants inherit', async () => {
    const backend = setup();
    const response = await setLevel(backend, APP, { level: 'DEBUG' });
    expect(view(response, SERVICE)?.nodes.map((n) => [n.effectiveLevel, n.effectiveSource])).toEqual([
      ['DEBUG', APP],
      ['DEBUG', APP],
    ]);
    // The rate limiter keeps its own levels.
    expect(configuredOf(response, LIMITER)).toEqual({ 'node-1': 'INFO', 'node-2': 'DEBUG' });
  });

  it('a level on a farther package does not override a nearer configured one', async () => {
    const backend = setup();
    const response = await setLevel(backend, 'de.resolution', { level: 'ERROR' });
    expect(view(response, SERVICE)?.nodes.map((n) => [n.effectiveLevel, n.effectiveSource])).toEqual([
      ['INFO', APP],
      ['INFO', APP],
    ]);
    expect(view(response, 'de.resolution')?.nodes[0]).toMatchObject({
      effectiveLevel: 'ERROR',
      effectiveSource: 'de.resolution',
    });
  });

  it('adds another package to the list', async () => {
    const backend = setup();
    const response = await setLevel(backend, 'com.example.integration', { level: 'DEBUG' });
    expect(configuredOf(response, 'com.example.integration')).toEqual(both('DEBUG'));
    expect(response.loggers[0]?.name).toBe(ROOT_LOGGER);
  });

  it('sets the level of one node only (as Jira Data Center does), audited node by node', async () => {
    const backend = setup();
    const response = await setLevel(backend, APP, { level: 'DEBUG', node: 'node-2' });
    expect(configuredOf(response, APP)).toEqual({ 'node-1': 'INFO', 'node-2': 'DEBUG' });
    expect(await storedLevels(backend, APP)).toEqual({ 'node-1': 'INFO', 'node-2': 'DEBUG' });
    const [record] = await loggingRecords(backend);
    expect(record?.changedValues).toEqual([
      { field: 'Level', from: 'INFO', to: 'node-1: INFO, node-2: DEBUG' },
    ]);
  });

  it('refuses a node that is not in the cluster with 422 and errors.node, changing nothing', async () => {
    const backend = setup();
    const response = await backend.json('PUT', path(APP), { level: 'DEBUG', node: 'node-9' });
    expect(response.status).toBe(422);
    expect((await problemOf(response)).errors?.node).toEqual(expect.any(String));
    expect(await storedLevels(backend, APP)).toEqual(both('INFO'));
    expect(await loggingRecords(backend)).toEqual([]);
  });

  it('sets ROOT', async () => {
    const backend = setup();
    const response = await setLevel(backend, ROOT_LOGGER, { level: 'ERROR' });
    expect(configuredOf(response, ROOT_LOGGER)).toEqual(both('ERROR'));
  });

  it.each([
    ['com..example'],
    ['1abc'],
    ['a b'],
    ['<script>'],
    ['com.example.'],
    ['.com'],
    ['com-example'],
    ['a'.repeat(300)],
    ['   '],
  ])('refuses the name %j with 422 and errors.name', async (name) => {
    const backend = setup();
    const response = await backend.json('PUT', path(name), { level: 'INFO' });
    expect(response.status).toBe(422);
    const problem = await problemOf(response);
    expect(problem.errors?.name).toEqual(expect.any(String));
    expect(await loggingRecords(backend)).toEqual([]);
  });

  it('refuses a name of 300 characters as too long', async () => {
    const response = await setup().json('PUT', path('a'.repeat(300)), { level: 'INFO' });
    expect((await problemOf(response)).errors?.name).toBe('At most 255 characters.');
  });

  it('refuses a name with a percent sign with 422, not a server error', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const backend = setup();
    const response = await backend.json('PUT', path('100%'), { level: 'INFO' });
    expect(response.status).toBe(422);
    expect((await problemOf(response)).errors?.name).toEqual(expect.any(String));
  });

  it('refuses the name "%41" rather than decoding it a second time', async () => {
    const backend = setup();
    const response = await backend.json('PUT', path('%41'), { level: 'INFO' });
    expect(response.status).toBe(422);
    expect(await storedLevels(backend, 'A')).toEqual(both(null));
  });

  it.each([
    [{ level: 'LOUD' }, 'level'],
    [{ level: 'info' }, 'level'],
    [{}, 'level'],
    [{ level: 'INFO', revertAfter: '2h' }, 'revertAfter'],
  ])('refuses the body %j with 422 and errors.%s', async (body, field) => {
    const backend = setup();
    const response = await backend.json('PUT', path(APP), body);
    expect(response.status).toBe(422);
    expect((await problemOf(response)).errors?.[field]).toEqual(expect.any(String));
    expect(await storedLevels(backend, APP)).toEqual(both('INFO'));
  });

  it('refuses an unknown field with 422', async () => {
    const backend = setup();
    const response = await backend.json('PUT', path(APP), { level: 'DEBUG', nodes: ['node-1'] });
    expect(response.status).toBe(422);
    await problemOf(response);
    expect(await storedLevels(backend, APP)).toEqual(both('INFO'));
  });

  it('refuses malformed JSON with 400 and another content type with 415', async () => {
    const backend = setup();
    const malformed = await backend.call(path(APP), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"level": "DEBUG"',
    });
    expect(malformed.status).toBe(400);
    const text = await backend.call(path(APP), {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ level: 'DEBUG' }),
    });
    expect(text.status).toBe(415);
    expect(await storedLevels(backend, APP)).toEqual(both('INFO'));
    expect(await loggingRecords(backend)).toEqual([]);
  });

  it.each(['auditor', 'jdoe'])('is refused to %s with 403, as is DELETE', async (as) => {
    const backend = setup(as);
    expect((await backend.json('PUT', path(APP), { level: 'DEBUG' })).status).toBe(403);
    expect((await backend.call(path(LIMITER), { method: 'DELETE' })).status).toBe(403);
    expect(await storedLevels(backend, APP)).toEqual(both('INFO'));
    expect(await storedLevels(backend, LIMITER)).toEqual({ 'node-1': 'INFO', 'node-2': 'DEBUG' });
    expect(await loggingRecords(backend)).toEqual([]);
  });

  it('writes one audit record: Level old → new', async () => {
    const backend = setup();
    await setLevel(backend, APP, { level: 'DEBUG' });
    const records = await loggingRecords(backend);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      timestamp: TEST_NOW.toISOString(),
      author: ADMIN_AUTHOR,
      category: 'Logging',
      summary: 'Log level changed',
      affectedObjects: loggerObject(APP),
      changedValues: [{ field: 'Level', from: 'INFO', to: 'DEBUG' }],
      source: { clientIp: '203.0.113.10', nodeId: 'node-1', method: 'PUT' },
    });
  });

  it('names the old level of each node when the nodes differed', async () => {
    const backend = setup();
    await setLevel(backend, LIMITER, { level: 'WARN' });
    await setLevel(backend, LOGIN, { level: 'WARN' });
    await setLevel(backend, 'com.example.integration', { level: 'DEBUG' });
    expect((await loggingRecords(backend)).map((r) => r.changedValues)).toEqual([
      [{ field: 'Level', from: 'inherited', to: 'DEBUG' }],
      [{ field: 'Level', from: 'node-1: inherited, node-2: ERROR', to: 'WARN' }],
      [{ field: 'Level', from: 'node-1: INFO, node-2: DEBUG', to: 'WARN' }],
    ]);
  });

  it('records when a temporary level reverts', async () => {
    const backend = setup();
    await setLevel(backend, APP, { level: 'DEBUG', revertAfter: '1h' });
    const [record] = await loggingRecords(backend);
    expect(record?.changedValues).toEqual([
      { field: 'Level', from: 'INFO', to: 'DEBUG' },
      { field: 'Reverts at', from: null, to: new Date(TEST_NOW.getTime() + HOUR).toISOString() },
    ]);
  });
});

describe('DELETE /logging/loggers/{name}', () => {
  it('resets the logger to inherited on every node', async () => {
    const backend = setup();
    const response = await resetLevel(backend, LIMITER);
    expect(await storedLevels(backend, LIMITER)).toEqual(both(null));
    expect(view(response, LIMITER)?.nodes.map((n) => [n.effectiveLevel, n.effectiveSource])).toEqual([
      ['INFO', APP],
      ['INFO', APP],
    ]);
    expect(await loggingRecords(backend)).toHaveLength(1);
    expect((await loggingRecords(backend))[0]).toMatchObject({
      author: ADMIN_AUTHOR,
      summary: 'Log level changed',
      affectedObjects: loggerObject(LIMITER),
      changedValues: [{ field: 'Level', from: 'node-1: INFO, node-2: DEBUG', to: 'inherited' }],
      source: { method: 'DELETE' },
    });
  });

  it('refuses ROOT with 422', async () => {
    const backend = setup();
    const response = await backend.call(path(ROOT_LOGGER), { method: 'DELETE' });
    expect(response.status).toBe(422);
    expect((await problemOf(response)).errors?.name).toEqual(expect.any(String));
    expect(await storedLevels(backend, ROOT_LOGGER)).toEqual(both('WARN'));
    expect(await loggingRecords(backend)).toEqual([]);
  });

  it('refuses an invalid name with 422', async () => {
    const response = await setup().call(path('com..example'), { method: 'DELETE' });
    expect(response.status).toBe(422);
    expect((await problemOf(response)).errors?.name).toEqual(expect.any(String));
  });

  it('cancels a pending revert', async () => {
    const backend = setup();
    await setLevel(backend, APP, { level: 'DEBUG', revertAfter: '15m' });
    const response = await resetLevel(backend, APP);
    expect(view(response, APP)?.revertAt).toBeNull();
    backend.advance(HOUR);
    await getLoggers(backend);
    expect(await storedLevels(backend, APP)).toEqual(both(null));
    expect((await loggingRecords(backend)).filter((r) => r.author.username === null)).toEqual([]);
  });
});
