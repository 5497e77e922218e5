import { expect } from 'vitest';
import { ANONYMOUS_AUTHOR, AUDIT_CATEGORY, type AuditRecord } from '../../contract/audit';
import { DEFAULT_SETTINGS, SettingsSchema } from '../../contract/settings';
import type { User } from '../../contract/users';
import { generateSecret, hashSecret } from '../auth/secrets';
import type { DataSet, NewAuditRecord, StoredToken } from '../store/port';

export const FIXTURE_USERS: User[] = [
  {
    key: 'U1',
    username: 'admin',
    displayName: 'Alice Admin',
    email: 'admin@example.com',
    groups: ['jira-administrators'],
    role: 'admin',
  },
  {
    key: 'U2',
    username: 'auditor',
    displayName: 'Olga Auditor',
    email: 'auditor@example.com',
    groups: ['auditors'],
    role: 'auditor',
  },
  {
    key: 'U3',
    username: 'jdoe',
    displayName: 'John Doe',
    email: 'jdoe@example.com',
    groups: ['jira-software-users'],
    role: 'user',
  },
];

/** A tiny data set for backend tests that do not need the demo seed. */
export function fixtureData(): DataSet {
  return {
    users: FIXTURE_USERS,
    groups: ['auditors', 'jira-administrators', 'jira-software-users'],
    nodes: ['node-1'],
    tokens: [],
    auditRecords: [],
    loggers: [],
    logEntries: [],
  };
}

/** A token of jdoe's (Read & Write, created 6 Jan 2026, never used, never expires) with these fields changed. */
export function fixtureToken(fields: Partial<StoredToken> & Pick<StoredToken, 'id'>): StoredToken {
  return {
    ownerKey: 'U3',
    ownerUsername: 'jdoe',
    description: fields.id,
    scope: 'READ_WRITE',
    createdAt: '2026-01-06T14:14:46.000Z',
    createdBy: 'jdoe',
    expiresAt: null,
    lastUsedAt: null,
    lastUsedIp: null,
    ipRestrictions: [],
    secretHash: hashSecret(generateSecret()),
    previousSecretHash: null,
    previousSecretExpiresAt: null,
    ...fields,
  };
}

/** A fixture user's Read & Write token, created 10 days before `now` and expiring 60 days after it. */
export function fixtureTokenOf(id: string, username: string, description: string, now: Date): StoredToken {
  const owner = FIXTURE_USERS.find((u) => u.username === username)!;
  const day = 86_400_000;
  return fixtureToken({
    id,
    ownerKey: owner.key,
    ownerUsername: owner.username,
    description,
    createdAt: new Date(now.getTime() - 10 * day).toISOString(),
    createdBy: owner.username,
    expiresAt: new Date(now.getTime() + 60 * day).toISOString(),
    secretHash: `hash-of-${id}`,
  });
}

/**
 * A record as a store is handed it (no id yet) at `timestamp`: jdoe's successful authentication on
 * /rest/api/2/myself from 198.51.100.7, with these fields changed.
 */
export function fixtureNewAuditRecord(
  timestamp: string,
  fields: Partial<NewAuditRecord> = {},
): NewAuditRecord {
  return {
    timestamp,
    author: { username: null, displayName: ANONYMOUS_AUTHOR },
    category: AUDIT_CATEGORY,
    summary: 'Successful authentication',
    affectedObjects: [{ type: 'user', id: 'U3', name: 'jdoe' }],
    changedValues: [],
    source: { clientIp: '198.51.100.7', proxyIp: null, nodeId: 'node-1', method: 'GET' },
    details: { endpoint: '/rest/api/2/myself', username: 'jdoe' },
    ...fields,
  };
}

/** Audit record number `n` (its id sorts by `n`): fixtureNewAuditRecord as a store answers it. */
export function fixtureAuditRecord(
  n: number,
  timestamp: string,
  fields: Partial<AuditRecord> = {},
): AuditRecord {
  return { id: `ar-${String(n).padStart(9, '0')}`, ...fixtureNewAuditRecord(timestamp, fields) };
}

const { expiryWarningDays: _warning, ...tokenPolicyBefore } = DEFAULT_SETTINGS.authentication.tokenPolicy;
const { retentionDays: _retention, ...auditLoggingBefore } = DEFAULT_SETTINGS.auditLogging;

/**
 * Settings as an older version stored them, before the expiry warning and the retention period
 * existed; two options differ from their defaults.
 */
export const SETTINGS_BEFORE_TWO_FIELDS = {
  ...DEFAULT_SETTINGS,
  authentication: {
    ...DEFAULT_SETTINGS.authentication,
    disableBasicAuthWithPasswords: true,
    tokenPolicy: tokenPolicyBefore,
  },
  auditLogging: { ...auditLoggingBefore, permissionDenied: true },
};

/** What a store answers for SETTINGS_BEFORE_TWO_FIELDS: valid settings, defaults filled in, the rest kept. */
export function expectTwoFieldsFilledIn(answered: unknown) {
  const settings = SettingsSchema.parse(answered);
  expect(settings.authentication.disableBasicAuthWithPasswords).toBe(true);
  expect(settings.auditLogging.permissionDenied).toBe(true);
  expect(settings.authentication.tokenPolicy.expiryWarningDays).toBe(14);
  expect(settings.auditLogging.retentionDays).toBe(90);
  return settings;
}
