/**
 * What the authentication engine's tests (engine*.test.ts) share: four tokens of jdoe with known
 * secrets and the app's logger at INFO; a backend with the given settings, a REST request through the
 * engine, and what it left behind.
 */
import { expect } from 'vitest';
import type { AffectedObject, AuditEvent, AuditRecord, FailureReason } from '../../contract/audit';
import {
  DEFAULT_SETTINGS,
  type AuditLoggingSettings,
  type AuthenticationSettings,
  type PermissionSettings,
} from '../../contract/settings';
import type { DataSet, StoredToken } from '../store/port';
import { fixtureData, fixtureToken } from '../test/fixtures';
import { createTestBackend, TEST_NOW } from '../test/harness';
import { generateSecret, hashSecret } from './secrets';

export const SECRETS = {
  readWrite: generateSecret(),
  readOnly: generateSecret(),
  expired: generateSecret(),
  officeOnly: generateSecret(),
  /** Looks like a token but was never issued. */
  unknown: generateSecret(),
};

export function storedToken(id: string, secret: string, fields: Partial<StoredToken>): StoredToken {
  return fixtureToken({ id, secretHash: hashSecret(secret), ...fields });
}

export const TOKENS = {
  readWrite: storedToken('T-RW', SECRETS.readWrite, { description: 'CI pipeline' }),
  readOnly: storedToken('T-RO', SECRETS.readOnly, { description: 'Reporting dashboard', scope: 'READ_ONLY' }),
  expired: storedToken('T-EXP', SECRETS.expired, {
    description: 'Old script',
    expiresAt: '2026-11-01T00:00:00.000Z',
  }),
  officeOnly: storedToken('T-IP', SECRETS.officeOnly, {
    description: 'Office only',
    ipRestrictions: ['10.0.0.0/8'],
  }),
};

export const APP_LOGGER = 'de.resolution.apitokenauth';

export function dataSet(
  loggers: DataSet['loggers'] = [{ name: APP_LOGGER, configuredLevel: 'INFO' }],
): DataSet {
  return { ...fixtureData(), tokens: Object.values(TOKENS), loggers };
}

export const JDOE: AffectedObject = { type: 'user', id: 'U3', name: 'jdoe' };
export const ADMIN: AffectedObject = { type: 'user', id: 'U1', name: 'admin' };
export const tokenObject = (token: StoredToken): AffectedObject => ({
  type: 'token',
  id: token.id,
  name: token.description,
});

// ---------------------------------------------------------------------------------------------------
// Helpers: a backend with the given settings, a REST request through the engine, what it left behind.
// ---------------------------------------------------------------------------------------------------

export interface CaseSettings {
  authentication?: Partial<AuthenticationSettings>;
  permissions?: Partial<PermissionSettings>;
  audit?: Partial<AuditLoggingSettings>;
}

export function backendWith(settings: CaseSettings = {}, data: DataSet = dataSet()) {
  return createTestBackend({
    data,
    settings: {
      authentication: { ...DEFAULT_SETTINGS.authentication, ...settings.authentication },
      permissions: { ...DEFAULT_SETTINGS.permissions, ...settings.permissions },
      auditLogging: { ...DEFAULT_SETTINGS.auditLogging, ...settings.audit },
    },
  });
}

export type Backend = ReturnType<typeof backendWith>;

export interface RestRequest {
  /** GET /rest/api/2/myself, or POST /rest/api/2/issue (a write). */
  method?: 'GET' | 'POST';
  authorization?: string;
  ip?: string;
}

export const DEFAULT_IP = '203.0.113.10';
export const endpointOf = (request: RestRequest) =>
  request.method === 'POST' ? '/rest/api/2/issue' : '/rest/api/2/myself';

/** A REST request through the engine, from the client address `ip`. */
export async function send(backend: Backend, request: RestRequest): Promise<Response> {
  const headers: Record<string, string> = { 'x-test-client-ip': request.ip ?? DEFAULT_IP };
  if (request.authorization) headers.authorization = request.authorization;
  if (request.method === 'POST') headers['content-type'] = 'application/json';
  return backend.app.request(endpointOf(request), {
    method: request.method ?? 'GET',
    headers,
    ...(request.method === 'POST' && {
      body: JSON.stringify({
        fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: 'Test issue' },
      }),
    }),
  });
}

export const auditRecords = async (backend: Backend) =>
  (await backend.store.listAuditRecords({ limit: 100 })).items;
export const logEntries = async (backend: Backend) =>
  (await backend.store.listLogEntries({ limit: 100 })).items;

export interface ExpectedRecord {
  summary: AuditEvent;
  reason?: FailureReason;
  /** Absent: the record names no username (a failed bearer attempt with an unknown token). */
  username?: string;
  affected: AffectedObject[];
}

export function expectRecord(
  record: AuditRecord | undefined,
  expected: ExpectedRecord,
  request: RestRequest,
) {
  expect(record).toMatchObject({
    timestamp: TEST_NOW.toISOString(),
    author: { username: null, displayName: 'Anonymous' },
    category: 'API Token Authentication',
    summary: expected.summary,
    affectedObjects: expected.affected,
    changedValues: [],
    source: {
      clientIp: request.ip ?? DEFAULT_IP,
      proxyIp: null,
      nodeId: 'node-1',
      method: request.method ?? 'GET',
    },
  });
  const details = record?.details ?? {};
  expect(details.endpoint).toBe(endpointOf(request));
  expect(details.reason).toBe(expected.reason);
  if (expected.username === undefined) expect(details).not.toHaveProperty('username');
  else expect(details.username).toBe(expected.username);
  const token = expected.affected.find((o) => o.type === 'token');
  expect(details.tokenId).toBe(token?.id);
}

// Settings the cases name.
export const PASSWORDS_DISABLED = { disableBasicAuthWithPasswords: true };
export const OTHER_BEARER_DISABLED = { disableBearerWithOtherAuthenticators: true };
/** "Use API tokens" restricted to a group jdoe is not in. */
export const ADMINS_ONLY = { useTokens: { everyone: false, groups: ['jira-administrators'] } };
