import { describe, expect, it, vi } from 'vitest';
import type { AuditRecord } from '../../contract/audit';
import {
  APP_LOGGERS,
  LogEntriesPageSchema,
  LoggersResponseSchema,
  ROOT_LOGGER,
  type LogEntry,
  type LoggersResponse,
  type LogLevel,
} from '../../contract/logging';
import { PROBLEM_CONTENT_TYPE } from '../../contract/problem';
import { generateSecret, hashSecret } from '../auth/secrets';
import { nodeKnownById, type DataSet } from '../store/port';
import { fixtureData, fixtureToken } from '../test/fixtures';
import { bearer, createTestBackend, TEST_NOW } from '../test/harness';
import { applyStartLevels } from './logging';

// ---------------------------------------------------------------------------------------------------
// Test data: two nodes; ROOT at WARN, the app logger at INFO; the rate limiter configured differently
// per node; a Jira package with a deeper logger that inherits from it (and differs on node-2).
// ---------------------------------------------------------------------------------------------------

const APP = APP_LOGGERS.app;
const SERVICE = APP_LOGGERS.authService;
const LIMITER = APP_LOGGERS.rateLimiter;
const JIRA = 'com.atlassian.jira';
/** Inherits from com.atlassian.jira on node-1 (skipping the unconfigured com.atlassian.jira.security); ERROR on node-2. */
const LOGIN = 'com.atlassian.jira.security.login';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

const SECRET = generateSecret();
const TOKEN = fixtureToken({ id: 'T-RW', description: 'CI pipeline', secretHash: hashSecret(SECRET) });

const entryId = (i: number) => `le-${String(i).padStart(9, '0')}`;

/** Seeded log entries, oldest (1) to newest (8) in time; a data set holds them newest first. */
const SEEDED_ENTRIES: LogEntry[] = (
  [
    ['INFO', SERVICE, 'node-1', 'Found a matching token "CI pipeline" for user jdoe.'],
    ['WARN', LIMITER, 'node-2', 'Rate limit exceeded for user jdoe.'],
    ['INFO', SERVICE, 'node-2', 'User admin tried to authenticate with an invalid token.'],
    ['DEBUG', LIMITER, 'node-2', 'Bucket refilled for user jdoe.'],
    ['ERROR', 'de.resolutionary.Other', 'node-1', 'Something unrelated FAILED.'],
    ['INFO', APP, 'node-1', 'App started.'],
    ['WARN', 'org.apache.http', 'node-1', 'Connection reset.'],
    ['INFO', SERVICE, 'node-1', 'Token verification for user automation-user failed.'],
  ] as const
)
  .map(([level, logger, node, message], i) => ({
    id: entryId(i + 1),
    timestamp: new Date(TEST_NOW.getTime() - (8 - i) * MINUTE).toISOString(),
    level,
    logger,
    node,
    thread: `http-nio-8080-exec-${i + 1}`,
    username: 'jdoe',
    clientIp: '198.51.100.7',
    url: '/rest/api/2/myself',
    message,
  }))
  .reverse();

function dataSet(): DataSet {
  return {
    ...fixtureData(),
    nodes: ['node-1', 'node-2'],
    tokens: [TOKEN],
    loggers: [
      { name: ROOT_LOGGER, configuredLevel: 'WARN' },
      { name: APP, configuredLevel: 'INFO' },
      { name: SERVICE, configuredLevel: null },
      { name: JIRA, configuredLevel: 'INFO' },
      { name: LOGIN, configuredLevel: null },
    ],
    nodeLoggers: {
      'node-1': [{ name: LIMITER, configuredLevel: 'INFO' }],
      'node-2': [
        { name: LIMITER, configuredLevel: 'DEBUG' },
        { name: LOGIN, configuredLevel: 'ERROR' },
      ],
    },
    logEntries: SEEDED_ENTRIES,
  };
}

// ---------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------

/** A backend on the two-node data set, with a fake clock the test moves forward. */
function setup(as: string | null = 'admin', data: DataSet = dataSet()) {
  let clock = TEST_NOW.getTime();
  const backend = createTestBackend({ as, data, now: () => new Date(clock) });
  return {
    ...backend,
    advance: (ms: number) => void (clock += ms),
    at: () => new Date(clock),
  };
}
type Backend = ReturnType<typeof setup>;

const path = (name: string) => `/logging/loggers/${encodeURIComponent(name)}`;

async function getLoggers(backend: Backend): Promise<LoggersResponse> {
  const response = await backend.call('/logging/loggers');
  expect(response.status).toBe(200);
  return LoggersResponseSchema.parse(await response.json());
}

async function setLevel(backend: Backend, name: string, body: Record<string, unknown>) {
  const response = await backend.json('PUT', path(name), body);
  expect(response.status, await response.clone().text()).toBe(200);
  return LoggersResponseSchema.parse(await response.json());
}

async function resetLevel(backend: Backend, name: string) {
  const response = await backend.call(path(name), { method: 'DELETE' });
  expect(response.status, await response.clone().text()).toBe(200);
  return LoggersResponseSchema.parse(await response.json());
}

const view = (response: LoggersResponse, name: string) => response.loggers.find((l) => l.name === name);

/** Node → configured level, as the response shows it. */
const configuredOf = (response: LoggersResponse, name: string) =>
  Object.fromEntries(view(response, name)?.nodes.map((n) => [n.node, n.configuredLevel]) ?? []);

/** Node → configured level, as the store holds it. */
async function storedLevels(backend: Backend, name: string): Promise<Record<string, LogLevel | null>> {
  const levels: Record<string, LogLevel | null> = {};
  for (const { id: node } of await backend.store.listNodes()) {
    levels[node] =
      (await backend.store.listLoggers(node)).find((l) => l.name === name)?.configuredLevel ?? null;
  }
  return levels;
}

const both = (level: LogLevel | null) => ({ 'node-1': level, 'node-2': level });

const loggingRecords = async (backend: Backend): Promise<AuditRecord[]> =>
  (await backend.store.listAuditRecords({ limit: 500 })).items.filter((r) => r.category === 'Logging');

/** Level change records by the logger they changed. */
const recordsByLogger = (records: AuditRecord[]) =>
  Object.fromEntries(records.map((r) => [r.affectedObjects[0]?.id ?? '', r] as const));

const ADMIN_AUTHOR = { username: 'admin', displayName: 'Alice Admin' };
const AUTO_REVERT_AUTHOR = { username: null, displayName: 'Automatic revert (set by admin)' };
const loggerObject = (name: string) => [{ type: 'logger', id: name, name }];

async function problemOf(response: Response) {
  expect(response.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
  return (await response.json()) as { status: number; errors?: Record<string, string> };
}

// ---------------------------------------------------------------------------------------------------
// GET /logging/loggers
// ---------------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------------
// Temporary levels, on a fake clock
// ---------------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------------
// GET /logging/entries
// ---------------------------------------------------------------------------------------------------

async function entries(backend: Backend, query = '') {
  const response = await backend.call(`/logging/entries${query}`);
  expect(response.status, await response.clone().text()).toBe(200);
  return LogEntriesPageSchema.parse(await response.json());
}
const ids = (page: { entries: LogEntry[] }) => page.entries.map((e) => e.id);
/** Ids of the seeded entries, by their number (1 oldest … 8 newest), newest first. */
const seeded = (...numbers: number[]) => numbers.sort((a, b) => b - a).map(entryId);

describe('GET /logging/entries', () => {
  it('lists the entries newest first', async () => {
    const page = await entries(setup());
    expect(ids(page)).toEqual(seeded(1, 2, 3, 4, 5, 6, 7, 8));
    expect(page.entries).toEqual(SEEDED_ENTRIES);
    expect(page.nextCursor).toBeNull();
  });

  it('filters by level, repeatable', async () => {
    const backend = setup();
    expect(ids(await entries(backend, '?level=INFO'))).toEqual(seeded(1, 3, 6, 8));
    expect(ids(await entries(backend, '?level=WARN&level=ERROR'))).toEqual(seeded(2, 5, 7));
    expect(ids(await entries(backend, '?level=TRACE'))).toEqual([]);
  });

  it('filters by logger: the exact name or a package prefix', async () => {
    const backend = setup();
    expect(ids(await entries(backend, `?logger=${SERVICE}`))).toEqual(seeded(1, 3, 8));
    expect(ids(await entries(backend, `?logger=${APP}`))).toEqual(seeded(1, 2, 3, 4, 6, 8));
    // "de.resolution" is a package of de.resolution.apitokenauth.*, not of de.resolutionary.*.
    expect(ids(await entries(backend, '?logger=de.resolution'))).toEqual(seeded(1, 2, 3, 4, 6, 8));
    expect(ids(await entries(backend, '?logger=de.res'))).toEqual([]);
    expect(ids(await entries(backend, '?logger=de.resolution.apitokenauth.Api'))).toEqual([]);
  });

  it('searches the message, ignoring case', async () => {
    const backend = setup();
    expect(ids(await entries(backend, '?q=FOR%20USER%20JDOE'))).toEqual(seeded(1, 2, 4));
    expect(ids(await entries(backend, '?q=ci%20PIPELINE'))).toEqual(seeded(1));
    expect(ids(await entries(backend, '?q=failed'))).toEqual(seeded(5, 8));
    expect(ids(await entries(backend, '?q=no%20such%20text'))).toEqual([]);
  });

  it('combines the filters', async () => {
    const backend = setup();
    expect(ids(await entries(backend, `?level=INFO&logger=${SERVICE}&q=token`))).toEqual(seeded(1, 3, 8));
    expect(ids(await entries(backend, '?level=INFO&logger=de.resolution&node=node-2'))).toEqual(seeded(3));
  });

  it('pages with a cursor, covering every entry once', async () => {
    const backend = setup();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await entries(backend, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.entries.length).toBeLessThanOrEqual(3);
      seen.push(...ids(page));
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(seeded(1, 2, 3, 4, 5, 6, 7, 8));
  });

  it('pages through filtered entries', async () => {
    const backend = setup();
    const first = await entries(backend, '?level=INFO&limit=2');
    expect(ids(first)).toEqual(seeded(6, 8));
    expect(first.nextCursor).not.toBeNull();
    const second = await entries(backend, `?level=INFO&limit=2&cursor=${first.nextCursor}`);
    expect(ids(second)).toEqual(seeded(1, 3));
    expect(second.nextCursor).toBeNull();
  });

  it.each([
    ['?level=LOUD', 'level.0'],
    ['?level=OFF', 'level.0'],
    ['?limit=0', 'limit'],
    ['?limit=501', 'limit'],
    ['?limit=ten', 'limit'],
    ['?cursor=junk', 'cursor'],
    [`?logger=${'a'.repeat(256)}`, 'logger'],
  ])('refuses %s with 400', async (query, field) => {
    const response = await setup().call(`/logging/entries${query}`);
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors?.[field]).toEqual(expect.any(String));
  });

  it('is open to the auditor, not to a regular user', async () => {
    expect((await setup('auditor').call('/logging/entries')).status).toBe(200);
    expect((await setup('jdoe').call('/logging/entries')).status).toBe(403);
  });
});

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
