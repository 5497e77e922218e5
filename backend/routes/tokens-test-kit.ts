/**
 * What the token routes' tests (tokens-*.test.ts) share: five tokens of three users (now is
 * 2026-11-25 12:00 UTC; the policy warns 14 days ahead), a backend on them, and the requests.
 */
import { expect } from 'vitest';
import type { AuditRecord } from '../../contract/audit';
import { DEFAULT_SETTINGS, type AuthenticationSettings, type SettingsInput } from '../../contract/settings';
import { CreatedTokenSchema, TokenPageSchema, type CreateTokenRequest } from '../../contract/tokens';
import type { User } from '../../contract/users';
import { generateSecret, hashSecret } from '../auth/secrets';
import type { DataSet, StoredToken } from '../store/port';
import { FIXTURE_USERS, fixtureData, fixtureToken } from '../test/fixtures';
import { createTestBackend, TEST_NOW } from '../test/harness';

export const SECRETS = { ci: generateSecret(), adminBackup: generateSecret() };

export const TOKENS = {
  ci: fixtureToken({
    id: 'tok_ci',
    description: 'CI pipeline',
    secretHash: hashSecret(SECRETS.ci),
    lastUsedAt: '2026-11-20T08:00:00.000Z',
    lastUsedIp: '10.1.2.3',
  }),
  reporting: fixtureToken({
    id: 'tok_report',
    description: 'Reporting dashboard',
    scope: 'READ_ONLY',
    createdAt: '2026-03-01T00:00:00.000Z',
    expiresAt: '2026-12-01T00:00:00.000Z', // in 6 days: expiring soon
  }),
  old: fixtureToken({
    id: 'tok_old',
    description: 'Old script',
    createdAt: '2025-10-01T09:00:00.000Z',
    expiresAt: '2026-11-01T00:00:00.000Z', // expired
    lastUsedAt: '2026-10-15T16:30:00.000Z',
    lastUsedIp: '10.1.2.3',
  }),
  adminBackup: fixtureToken({
    id: 'tok_admin',
    ownerKey: 'U1',
    ownerUsername: 'admin',
    createdBy: 'admin',
    description: 'Admin backup',
    secretHash: hashSecret(SECRETS.adminBackup),
    createdAt: '2026-06-15T00:00:00.000Z',
    expiresAt: '2027-06-15T00:00:00.000Z',
    lastUsedAt: '2026-11-24T23:59:59.999Z',
    lastUsedIp: '192.0.2.1',
  }),
  auditExport: fixtureToken({
    id: 'tok_audit',
    ownerKey: 'U2',
    ownerUsername: 'auditor',
    createdBy: 'auditor',
    description: 'Audit export',
    scope: 'READ_ONLY',
    createdAt: '2026-02-01T00:00:00.000Z',
    expiresAt: '2027-02-01T00:00:00.000Z',
  }),
};

export function dataSet(
  tokens: StoredToken[] = Object.values(TOKENS),
  users: User[] = FIXTURE_USERS,
): DataSet {
  return { ...fixtureData(), users, tokens };
}

export type Backend = ReturnType<typeof createTestBackend>;

export function backendWith(
  options: {
    as?: string | null;
    policy?: Partial<AuthenticationSettings['tokenPolicy']>;
    permissions?: Partial<SettingsInput['permissions']>;
    data?: DataSet;
  } = {},
): Backend {
  const settings: Partial<SettingsInput> = {
    authentication: {
      ...DEFAULT_SETTINGS.authentication,
      tokenPolicy: { ...DEFAULT_SETTINGS.authentication.tokenPolicy, ...options.policy },
    },
    permissions: { ...DEFAULT_SETTINGS.permissions, ...options.permissions },
  };
  return createTestBackend({ as: options.as, data: options.data ?? dataSet(), settings });
}

/** Switches the signed-in console user. */
export const signIn = (backend: Backend, username: string | null) =>
  backend.store.setDemoSessionUsername(username);

export const REQUEST: CreateTokenRequest = {
  description: 'Deploy bot',
  scope: 'READ_ONLY',
  expiresAt: '2027-01-01T00:00:00.000Z',
  ipRestrictions: [],
};

export const create = (backend: Backend, body: Partial<CreateTokenRequest> | Record<string, unknown> = {}) =>
  backend.json('POST', '/tokens', { ...REQUEST, ...body });

export async function createOk(backend: Backend, body: Partial<CreateTokenRequest> = {}) {
  const response = await create(backend, body);
  expect(response.status).toBe(201);
  return CreatedTokenSchema.parse(await response.json());
}

export async function list(backend: Backend, query = '') {
  const response = await backend.call(`/tokens${query ? `?${query}` : ''}`);
  expect(response.status).toBe(200);
  return TokenPageSchema.parse(await response.json());
}

/** Descriptions of the tokens a query answers, in the order answered. */
export const listed = async (backend: Backend, query: string) =>
  (await list(backend, query)).tokens.map((t) => t.description);

/** A REST request with a token at the small protected resource. */
export const restMyself = (backend: Backend, authorization: string, clientIp = '198.51.100.7') =>
  backend.app.request('/rest/api/2/myself', {
    headers: { authorization, 'x-test-client-ip': clientIp },
  });

export const errorsOf = async (response: Response) =>
  ((await response.json()) as { errors?: Record<string, string> }).errors ?? {};

export const auditRecords = async (backend: Backend): Promise<AuditRecord[]> =>
  (await backend.store.listAuditRecords({ limit: 100 })).items;

/** Every key of a JSON value, at any depth. */
export function keysDeep(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysDeep);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => [key, ...keysDeep(inner)]);
  }
  return [];
}

export const DAY_MS = 86_400_000;
export const inDays = (days: number, plusMs = 0) =>
  new Date(TEST_NOW.getTime() + days * DAY_MS + plusMs).toISOString();
/** Twelve months (the default maximum validity) after the test's now. */
export const LIMIT_12_MONTHS = '2027-11-25T12:00:00.000Z';
export const FIVE_MINUTES = 5 * 60_000;
