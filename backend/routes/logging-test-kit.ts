/**
 * What the logging routes' tests (logging-*.test.ts) share. Test data: two nodes; ROOT at WARN, the
 * app logger at INFO; the rate limiter configured differently per node; a Jira package with a deeper
 * logger that inherits from it (and differs on node-2).
 */
import { expect } from 'vitest';
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
import type { DataSet } from '../store/port';
import { fixtureData, fixtureToken } from '../test/fixtures';
import { createTestBackend, TEST_NOW } from '../test/harness';

export const APP = APP_LOGGERS.app;
export const SERVICE = APP_LOGGERS.authService;
export const LIMITER = APP_LOGGERS.rateLimiter;
export const JIRA = 'com.atlassian.jira';
/** Inherits from com.atlassian.jira on node-1 (skipping the unconfigured com.atlassian.jira.security); ERROR on node-2. */
export const LOGIN = 'com.atlassian.jira.security.login';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

export const SECRET = generateSecret();
export const TOKEN = fixtureToken({ id: 'T-RW', description: 'CI pipeline', secretHash: hashSecret(SECRET) });

export const entryId = (i: number) => `le-${String(i).padStart(9, '0')}`;

/** Seeded log entries, oldest (1) to newest (8) in time; a data set holds them newest first. */
export const SEEDED_ENTRIES: LogEntry[] = (
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

export function dataSet(): DataSet {
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
export function setup(as: string | null = 'admin', data: DataSet = dataSet()) {
  let clock = TEST_NOW.getTime();
  const backend = createTestBackend({ as, data, now: () => new Date(clock) });
  return {
    ...backend,
    advance: (ms: number) => void (clock += ms),
    at: () => new Date(clock),
  };
}
export type Backend = ReturnType<typeof setup>;

export const path = (name: string) => `/logging/loggers/${encodeURIComponent(name)}`;

export async function getLoggers(backend: Backend): Promise<LoggersResponse> {
  const response = await backend.call('/logging/loggers');
  expect(response.status).toBe(200);
  return LoggersResponseSchema.parse(await response.json());
}

export async function setLevel(backend: Backend, name: string, body: Record<string, unknown>) {
  const response = await backend.json('PUT', path(name), body);
  expect(response.status, await response.clone().text()).toBe(200);
  return LoggersResponseSchema.parse(await response.json());
}

export async function resetLevel(backend: Backend, name: string) {
  const response = await backend.call(path(name), { method: 'DELETE' });
  expect(response.status, await response.clone().text()).toBe(200);
  return LoggersResponseSchema.parse(await response.json());
}

export const view = (response: LoggersResponse, name: string) =>
  response.loggers.find((l) => l.name === name);

/** Node → configured level, as the response shows it. */
export const configuredOf = (response: LoggersResponse, name: string) =>
  Object.fromEntries(view(response, name)?.nodes.map((n) => [n.node, n.configuredLevel]) ?? []);

/** Node → configured level, as the store holds it. */
export async function storedLevels(backend: Backend, name: string): Promise<Record<string, LogLevel | null>> {
  const levels: Record<string, LogLevel | null> = {};
  for (const { id: node } of await backend.store.listNodes()) {
    levels[node] =
      (await backend.store.listLoggers(node)).find((l) => l.name === name)?.configuredLevel ?? null;
  }
  return levels;
}

export const both = (level: LogLevel | null) => ({ 'node-1': level, 'node-2': level });

export const loggingRecords = async (backend: Backend): Promise<AuditRecord[]> =>
  (await backend.store.listAuditRecords({ limit: 500 })).items.filter((r) => r.category === 'Logging');

/** Level change records by the logger they changed. */
export const recordsByLogger = (records: AuditRecord[]) =>
  Object.fromEntries(records.map((r) => [r.affectedObjects[0]?.id ?? '', r] as const));

export const ADMIN_AUTHOR = { username: 'admin', displayName: 'Alice Admin' };
export const AUTO_REVERT_AUTHOR = { username: null, displayName: 'Automatic revert (set by admin)' };
export const loggerObject = (name: string) => [{ type: 'logger', id: name, name }];

export async function problemOf(response: Response) {
  expect(response.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
  return (await response.json()) as { status: number; errors?: Record<string, string> };
}

export async function entries(backend: Backend, query = '') {
  const response = await backend.call(`/logging/entries${query}`);
  expect(response.status, await response.clone().text()).toBe(200);
  return LogEntriesPageSchema.parse(await response.json());
}
export const ids = (page: { entries: LogEntry[] }) => page.entries.map((e) => e.id);
/** Ids of the seeded entries, by their number (1 oldest … 8 newest), newest first. */
export const seeded = (...numbers: number[]) => numbers.sort((a, b) => b - a).map(entryId);
