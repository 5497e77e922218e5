import { afterAll, describe, expect, it } from 'vitest';
import { ANONYMOUS_AUTHOR, AUDIT_CATEGORY, type AuditRecord } from '../../contract/audit';
import type { LogEntry } from '../../contract/logging';
import { PROBLEM_CONTENT_TYPE } from '../../contract/problem';
import { DEFAULT_SETTINGS } from '../../contract/settings';
import type { DataSet } from '../store/port';
import { fixtureData, fixtureTokenOf } from '../test/fixtures';
import { createTestBackend, TEST_NOW } from '../test/harness';

// ---------------------------------------------------------------------------------------------------
// Who may call what: one table of role × endpoint → status. Every row builds a fresh backend.
// Roles: admin (every permission), auditor (settings:read, tokens:own, tokens:read, audit:read, logging:read),
// jdoe (tokens:own, tokens:write, tokens:create), anonymous (no session).
// ---------------------------------------------------------------------------------------------------

type Role = 'admin' | 'auditor' | 'jdoe' | 'anonymous';
const ROLES: readonly Role[] = ['admin', 'auditor', 'jdoe', 'anonymous'];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

const token = (id: string, username: string, description: string) =>
  fixtureTokenOf(id, username, description, TEST_NOW);

/** Each role's own token, and one more of jdoe's. */
const OWN_TOKEN: Record<Exclude<Role, 'anonymous'>, string> = {
  admin: 'tok_admin00000001',
  auditor: 'tok_auditor000001',
  jdoe: 'tok_jdoe000000001',
};
/** A token that belongs to someone other than the caller. */
const OTHER_TOKEN: Record<Role, string> = {
  admin: OWN_TOKEN.jdoe,
  auditor: OWN_TOKEN.jdoe,
  jdoe: OWN_TOKEN.admin,
  anonymous: OWN_TOKEN.jdoe,
};

function auditRecord(n: number, summary: AuditRecord['summary']): AuditRecord {
  return {
    id: `ar-${String(n).padStart(9, '0')}`,
    timestamp: iso(TEST_NOW.getTime() - (10 - n) * HOUR),
    author: { username: null, displayName: ANONYMOUS_AUTHOR },
    category: AUDIT_CATEGORY,
    summary,
    affectedObjects: [{ type: 'user', id: 'U3', name: 'jdoe' }],
    changedValues: [],
    source: { clientIp: '198.51.100.7', proxyIp: null, nodeId: 'node-1', method: 'GET' },
    details: { tokenId: OWN_TOKEN.jdoe, endpoint: '/rest/api/2/myself', username: 'jdoe' },
  };
}

function logEntry(n: number): LogEntry {
  return {
    id: `le-${String(n).padStart(9, '0')}`,
    timestamp: iso(TEST_NOW.getTime() - (10 - n) * HOUR),
    level: 'INFO',
    logger: 'de.resolution.apitokenauth.ApiTokenAuthenticationService',
    node: 'node-1',
    thread: 'http-nio-8080-exec-1',
    username: 'jdoe',
    clientIp: '198.51.100.7',
    url: '/rest/api/2/myself',
    message: `Found a matching token for authenticating user jdoe (${n}).`,
  };
}

function dataSet(): DataSet {
  return {
    ...fixtureData(),
    tokens: [
      token(OWN_TOKEN.admin, 'admin', 'Admin backup'),
      token(OWN_TOKEN.auditor, 'auditor', 'Audit export'),
      token(OWN_TOKEN.jdoe, 'jdoe', 'CI pipeline'),
      token('tok_jdoe000000002', 'jdoe', 'Reporting'),
    ],
    // Newest first.
    auditRecords: [
      auditRecord(3, 'Permission denied'),
      auditRecord(2, 'Failed API token bearer authentication attempt'),
      auditRecord(1, 'Successful authentication'),
    ],
    loggers: [
      { name: 'ROOT', configuredLevel: 'WARN' },
      { name: 'com.example', configuredLevel: 'INFO' },
    ],
    logEntries: [logEntry(3), logEntry(2), logEntry(1)],
  };
}

// ---------------------------------------------------------------------------------------------------
// The endpoints.
// ---------------------------------------------------------------------------------------------------

interface Endpoint {
  method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  /** As the row's name shows it. */
  label: string;
  path: (role: Role) => string;
  body?: unknown;
  headers?: Record<string, string>;
  expected: Record<Role, number>;
}

/** 200 for the roles with the permission, 403 for the others, 401 without a session. */
const allowed = (roles: readonly Role[], ok = 200): Record<Role, number> => ({
  admin: roles.includes('admin') ? ok : 403,
  auditor: roles.includes('auditor') ? ok : 403,
  jdoe: roles.includes('jdoe') ? ok : 403,
  anonymous: 401,
});
const everyone = (status: number): Record<Role, number> => ({
  admin: status,
  auditor: status,
  jdoe: status,
  anonymous: status,
});

const fixed = (path: string) => () => path;
const ownToken = (role: Role) => (role === 'anonymous' ? OWN_TOKEN.jdoe : OWN_TOKEN[role]);

const NEW_TOKEN = {
  description: 'Role matrix token',
  scope: 'READ_ONLY',
  expiresAt: iso(TEST_NOW.getTime() + 30 * DAY),
  ipRestrictions: [],
};

const ENDPOINTS: Endpoint[] = [
  { method: 'GET', label: '/health', path: fixed('/health'), expected: everyone(200) },
  {
    method: 'GET',
    label: '/myself',
    path: fixed('/myself'),
    expected: allowed(['admin', 'auditor', 'jdoe']),
  },
  { method: 'GET', label: '/settings', path: fixed('/settings'), expected: allowed(['admin', 'auditor']) },
  {
    method: 'PUT',
    label: '/settings',
    path: fixed('/settings'),
    body: DEFAULT_SETTINGS,
    headers: { 'if-match': '"settings-v1"' },
    expected: allowed(['admin']),
  },
  { method: 'GET', label: '/groups', path: fixed('/groups'), expected: allowed(['admin', 'auditor']) },
  { method: 'GET', label: '/users?q=a', path: fixed('/users?q=a'), expected: allowed(['admin']) },
  {
    method: 'GET',
    label: '/token-policy',
    path: fixed('/token-policy'),
    expected: allowed(['admin', 'auditor', 'jdoe']),
  },
  {
    method: 'GET',
    label: '/tokens',
    path: fixed('/tokens'),
    expected: allowed(['admin', 'auditor', 'jdoe']),
  },
  {
    method: 'GET',
    label: '/tokens?all=true',
    path: fixed('/tokens?all=true'),
    // Auditors read every user's tokens (the Token Manager, read-only).
    expected: allowed(['admin', 'auditor']),
  },
  {
    method: 'POST',
    label: '/tokens (own)',
    path: fixed('/tokens'),
    body: NEW_TOKEN,
    expected: allowed(['admin', 'jdoe'], 201),
  },
  {
    method: 'PATCH',
    label: '/tokens/{own token}',
    path: (role) => `/tokens/${ownToken(role)}`,
    body: { description: 'Renamed' },
    // The auditor sees their own tokens but may not change them.
    expected: allowed(['admin', 'jdoe']),
  },
  {
    method: 'PATCH',
    label: '/tokens/{other user token}',
    path: (role) => `/tokens/${OTHER_TOKEN[role]}`,
    body: { description: 'Renamed' },
    // Without tokens:manage, someone else's token is "not found": its existence does not leak.
    expected: { admin: 200, auditor: 404, jdoe: 404, anonymous: 401 },
  },
  {
    method: 'POST',
    label: '/tokens/{own token}/rotate',
    path: (role) => `/tokens/${ownToken(role)}/rotate`,
    body: { gracePeriodMinutes: 60 },
    expected: allowed(['admin', 'jdoe']),
  },
  {
    method: 'POST',
    label: '/tokens/{other user token}/rotate',
    path: (role) => `/tokens/${OTHER_TOKEN[role]}/rotate`,
    body: { gracePeriodMinutes: 0 },
    expected: { admin: 200, auditor: 404, jdoe: 404, anonymous: 401 },
  },
  {
    method: 'DELETE',
    label: '/tokens/{own token}',
    path: (role) => `/tokens/${ownToken(role)}`,
    expected: allowed(['admin', 'jdoe'], 204),
  },
  {
    method: 'DELETE',
    label: '/tokens/{other user token}',
    path: (role) => `/tokens/${OTHER_TOKEN[role]}`,
    expected: { admin: 204, auditor: 404, jdoe: 404, anonymous: 401 },
  },
  {
    method: 'DELETE',
    label: '/users/U3/tokens',
    path: fixed('/users/U3/tokens'),
    expected: allowed(['admin']),
  },
  {
    method: 'GET',
    label: '/audit/records',
    path: fixed('/audit/records'),
    expected: allowed(['admin', 'auditor']),
  },
  {
    method: 'GET',
    label: '/audit/records/{id}',
    path: fixed('/audit/records/ar-000000002'),
    expected: allowed(['admin', 'auditor']),
  },
  {
    method: 'GET',
    label: '/audit/histogram?bucket=day',
    path: fixed('/audit/histogram?bucket=day'),
    expected: allowed(['admin', 'auditor']),
  },
  {
    method: 'GET',
    label: '/audit/export?format=csv',
    path: fixed('/audit/export?format=csv'),
    expected: allowed(['admin', 'auditor']),
  },
  { method: 'GET', label: '/overview', path: fixed('/overview'), expected: allowed(['admin', 'auditor']) },
  {
    method: 'GET',
    label: '/logging/loggers',
    path: fixed('/logging/loggers'),
    expected: allowed(['admin', 'auditor']),
  },
  {
    method: 'PUT',
    label: '/logging/loggers/com.example',
    path: fixed('/logging/loggers/com.example'),
    body: { level: 'DEBUG' },
    expected: allowed(['admin']),
  },
  {
    method: 'DELETE',
    label: '/logging/loggers/com.example',
    path: fixed('/logging/loggers/com.example'),
    expected: allowed(['admin']),
  },
  {
    method: 'GET',
    label: '/logging/entries',
    path: fixed('/logging/entries'),
    expected: allowed(['admin', 'auditor']),
  },
  // Demo-only endpoints (the harness mounts them: it provides resetDemo). The demo's "session" is the
  // browser's own account switcher, so signing in, out and resetting need no session.
  { method: 'GET', label: '/demo/accounts', path: fixed('/demo/accounts'), expected: everyone(200) },
  {
    method: 'PUT',
    label: '/demo/session',
    path: fixed('/demo/session'),
    body: { username: 'auditor' },
    expected: everyone(204),
  },
  { method: 'DELETE', label: '/demo/session', path: fixed('/demo/session'), expected: everyone(204) },
  {
    method: 'POST',
    label: '/demo/traffic',
    path: fixed('/demo/traffic'),
    // settings:write first; the harness has no traffic generator, so even an admin gets 404.
    expected: { admin: 404, auditor: 403, jdoe: 403, anonymous: 401 },
  },
  { method: 'POST', label: '/demo/reset', path: fixed('/demo/reset'), expected: everyone(204) },
];

interface Row {
  name: string;
  role: Role;
  endpoint: Endpoint;
  status: number;
}

const ROWS: Row[] = ENDPOINTS.flatMap((endpoint) =>
  ROLES.map((role) => ({
    name: `${role} ${endpoint.method} ${endpoint.label} → ${endpoint.expected[role]}`,
    role,
    endpoint,
    status: endpoint.expected[role],
  })),
);

type Backend = ReturnType<typeof createTestBackend>;

/** Everything a request could change (the retention watermark aside, which reads move forward). */
function snapshot(backend: Backend): string {
  const { auditPurgedBefore: _watermark, ...changes } = backend.store.exportChanges();
  return JSON.stringify({ changes, resets: backend.resets() });
}

describe('role matrix: every console endpoint for every role', () => {
  afterAll(() => {
    console.info(`role matrix: ${ROWS.length} rows (${ENDPOINTS.length} endpoints × ${ROLES.length} roles)`);
  });

  it('covers every endpoint for every role', () => {
    expect(ROWS).toHaveLength(ENDPOINTS.length * ROLES.length);
    expect(new Set(ROWS.map((r) => r.name)).size).toBe(ROWS.length);
  });

  it.each(ROWS)('$name', async ({ role, endpoint, status }) => {
    const backend = createTestBackend({ as: role === 'anonymous' ? null : role, data: dataSet() });
    const before = snapshot(backend);
    const path = endpoint.path(role);
    const response =
      endpoint.body === undefined
        ? await backend.call(path, { method: endpoint.method, headers: endpoint.headers })
        : await backend.json(endpoint.method, path, endpoint.body, endpoint.headers);

    expect(response.status).toBe(status);
    const type = response.headers.get('content-type') ?? '';
    if (status >= 400) {
      expect(type).toContain(PROBLEM_CONTENT_TYPE);
      const problem = (await response.json()) as { status: number; title: string };
      expect(problem.status).toBe(status);
      expect(problem.title).toEqual(expect.any(String));
      // A refused request changes nothing.
      expect(snapshot(backend)).toBe(before);
      // RFC 9110 §11.6.1: a 401 names the schemes that would work.
      if (status === 401) {
        expect(response.headers.get('www-authenticate')).toBe(
          'Basic realm="API Token Console", charset="UTF-8", Bearer realm="API Token Console"',
        );
      }
    } else if (status === 204) {
      expect(await response.text()).toBe('');
    } else {
      expect(type).toContain(path.startsWith('/audit/export') ? 'text/csv' : 'application/json');
    }
    // A read never changes anything.
    if (endpoint.method === 'GET') expect(snapshot(backend)).toBe(before);
  });
});
