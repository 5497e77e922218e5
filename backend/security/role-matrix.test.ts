import { afterAll, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../contract/audit';
import type { LogEntry } from '../../contract/logging';
import { BASE_PATH } from '../../contract/api';
import { JIRA_API_LATEST_PATH, JIRA_API_PATH } from '../../contract/jira';
import { PROBLEM_CONTENT_TYPE } from '../../contract/problem';
import { DEFAULT_SETTINGS } from '../../contract/settings';
import { VENDOR_TOKEN_API_PATH } from '../../contract/vendor-tokens';
import { generateSecret, hashSecret } from '../auth/secrets';
import type { DataSet, StoredToken } from '../store/port';
import { fixtureAuditRecord, fixtureData, fixtureTokenOf } from '../test/fixtures';
import { bearer, createTestBackend, TEST_NOW } from '../test/harness';

// ---------------------------------------------------------------------------------------------------
// Who may call what: one table of role × endpoint → status, for every route the backend has (the
// console API, the Jira-shaped resource under both versions, the vendor's token API). Every row builds
// a fresh backend. Roles: admin (every permission but tokens:read), auditor (settings:read, tokens:own,
// tokens:read, audit:read, logging:read), jdoe (tokens:own, tokens:write, tokens:create), anonymous (no
// session, no token).
// ---------------------------------------------------------------------------------------------------

type Role = 'admin' | 'auditor' | 'jdoe' | 'anonymous';
const ROLES: readonly Role[] = ['admin', 'auditor', 'jdoe', 'anonymous'];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

/** Each role's own token secret: the Jira-shaped resource answers API tokens only. */
const SECRET: Record<Exclude<Role, 'anonymous'>, string> = {
  admin: generateSecret(),
  auditor: generateSecret(),
  jdoe: generateSecret(),
};

const token = (id: string, username: string, description: string, secret?: string) => ({
  ...fixtureTokenOf(id, username, description, TEST_NOW),
  ...(secret && { secretHash: hashSecret(secret) }),
});

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

const auditRecord = (n: number, summary: AuditRecord['summary']) =>
  fixtureAuditRecord(n, iso(TEST_NOW.getTime() - (10 - n) * HOUR), {
    summary,
    details: { tokenId: OWN_TOKEN.jdoe, endpoint: '/rest/api/2/myself', username: 'jdoe' },
  });

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
      token(OWN_TOKEN.admin, 'admin', 'Admin backup', SECRET.admin),
      token(OWN_TOKEN.auditor, 'auditor', 'Audit export', SECRET.auditor),
      token(OWN_TOKEN.jdoe, 'jdoe', 'CI pipeline', SECRET.jdoe),
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

/** The backend's APIs, by the base path the app mounts them on (backend/app.ts). */
const APIS = {
  console: BASE_PATH,
  jira: JIRA_API_PATH,
  jiraLatest: JIRA_API_LATEST_PATH,
  vendor: VENDOR_TOKEN_API_PATH,
} as const;
type Api = keyof typeof APIS;

interface Endpoint {
  method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  /** Default: the console API. */
  api?: Api;
  /** The app's route, as Hono names it (`/tokens/:id`): every route must have a row. */
  route: string;
  /** As the row's name shows it. */
  label: string;
  /** The caller proves who they are with their own API token (Bearer) instead of the session. */
  withToken?: boolean;
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
  { method: 'GET', route: '/health', label: '/health', path: fixed('/health'), expected: everyone(200) },
  {
    method: 'GET',
    route: '/myself',
    label: '/myself',
    path: fixed('/myself'),
    expected: allowed(['admin', 'auditor', 'jdoe']),
  },
  {
    method: 'GET',
    route: '/settings',
    label: '/settings',
    path: fixed('/settings'),
    expected: allowed(['admin', 'auditor']),
  },
  {
    method: 'PUT',
    route: '/settings',
    label: '/settings',
    path: fixed('/settings'),
    body: DEFAULT_SETTINGS,
    headers: { 'if-match': '"settings-v1"' },
    expected: allowed(['admin']),
  },
  {
    method: 'GET',
    route: '/groups',
    label: '/groups',
    path: fixed('/groups'),
    expected: allowed(['admin', 'auditor']),
  },
  {
    method: 'GET',
    route: '/users',
    label: '/users?q=a',
    path: fixed('/users?q=a'),
    expected: allowed(['admin']),
  },
  {
    method: 'GET',
    route: '/token-policy',
    label: '/token-policy',
    path: fixed('/token-policy'),
    expected: allowed(['admin', 'auditor', 'jdoe']),
  },
  {
    method: 'GET',
    route: '/tokens',
    label: '/tokens',
    path: fixed('/tokens'),
    expected: allowed(['admin', 'auditor', 'jdoe']),
  },
  {
    method: 'GET',
    route: '/tokens',
    label: '/tokens?all=true',
    path: fixed('/tokens?all=true'),
    // Auditors read every user's tokens (the Token Manager, read-only).
    expected: allowed(['admin', 'auditor']),
  },
  {
    method: 'POST',
    route: '/tokens',
    label: '/tokens (own)',
    path: fixed('/tokens'),
    body: NEW_TOKEN,
    expected: allowed(['admin', 'jdoe'], 201),
  },
  {
    method: 'PATCH',
    route: '/tokens/:id',
    label: '/tokens/{own token}',
    path: (role) => `/tokens/${ownToken(role)}`,
    body: { description: 'Renamed' },
    // The auditor sees their own tokens but may not change them.
    expected: allowed(['admin', 'jdoe']),
  },
  {
    method: 'PATCH',
    route: '/tokens/:id',
    label: '/tokens/{other user token}',
    path: (role) => `/tokens/${OTHER_TOKEN[role]}`,
    body: { description: 'Renamed' },
    // Without tokens:manage, someone else's token is "not found": its existence does not leak.
    expected: { admin: 200, auditor: 404, jdoe: 404, anonymous: 401 },
  },
  {
    method: 'POST',
    route: '/tokens/:id/rotate',
    label: '/tokens/{own token}/rotate',
    path: (role) => `/tokens/${ownToken(role)}/rotate`,
    body: { gracePeriodMinutes: 60 },
    expected: allowed(['admin', 'jdoe']),
  },
  {
    method: 'POST',
    route: '/tokens/:id/rotate',
    label: '/tokens/{other user token}/rotate',
    path: (role) => `/tokens/${OTHER_TOKEN[role]}/rotate`,
    body: { gracePeriodMinutes: 0 },
    expected: { admin: 200, auditor: 404, jdoe: 404, anonymous: 401 },
  },
  {
    method: 'DELETE',
    route: '/tokens/:id',
    label: '/tokens/{own token}',
    path: (role) => `/tokens/${ownToken(role)}`,
    expected: allowed(['admin', 'jdoe'], 204),
  },
  {
    method: 'DELETE',
    route: '/tokens/:id',
    label: '/tokens/{other user token}',
    path: (role) => `/tokens/${OTHER_TOKEN[role]}`,
    expected: { admin: 204, auditor: 404, jdoe: 404, anonymous: 401 },
  },
  {
    method: 'DELETE',
    route: '/users/:key/tokens',
    label: '/users/U3/tokens',
    path: fixed('/users/U3/tokens'),
    expected: allowed(['admin']),
  },
  {
    method: 'GET',
    route: '/audit/records',
    label: '/audit/records',
    path: fixed('/audit/records'),
    expected: allowed(['admin', 'auditor']),
  },
  {
    method: 'GET',
    route: '/audit/records/:id',
    label: '/audit/records/{id}',
    path: fixed('/audit/records/ar-000000002'),
    expected: allowed(['admin', 'auditor']),
  },
  {
    method: 'GET',
    route: '/audit/histogram',
    label: '/audit/histogram?bucket=day',
    path: fixed('/audit/histogram?bucket=day'),
    expected: allowed(['admin', 'auditor']),
  },
  {
    method: 'GET',
    route: '/audit/export',
    label: '/audit/export?format=csv',
    path: fixed('/audit/export?format=csv'),
    expected: allowed(['admin', 'auditor']),
  },
  {
    method: 'GET',
    route: '/overview',
    label: '/overview',
    path: fixed('/overview'),
    expected: allowed(['admin', 'auditor']),
  },
  {
    method: 'GET',
    route: '/logging/loggers',
    label: '/logging/loggers',
    path: fixed('/logging/loggers'),
    expected: allowed(['admin', 'auditor']),
  },
  {
    method: 'PUT',
    route: '/logging/loggers/:name',
    label: '/logging/loggers/com.example',
    path: fixed('/logging/loggers/com.example'),
    body: { level: 'DEBUG' },
    expected: allowed(['admin']),
  },
  {
    method: 'DELETE',
    route: '/logging/loggers/:name',
    label: '/logging/loggers/com.example',
    path: fixed('/logging/loggers/com.example'),
    expected: allowed(['admin']),
  },
  {
    method: 'GET',
    route: '/logging/entries',
    label: '/logging/entries',
    path: fixed('/logging/entries'),
    expected: allowed(['admin', 'auditor']),
  },
  // Demo-only endpoints (the harness mounts them: it provides resetDemo). The demo's "session" is the
  // browser's own account switcher, so signing in, out and resetting need no session.
  {
    method: 'GET',
    route: '/demo/accounts',
    label: '/demo/accounts',
    path: fixed('/demo/accounts'),
    expected: everyone(200),
  },
  {
    method: 'PUT',
    route: '/demo/session',
    label: '/demo/session',
    path: fixed('/demo/session'),
    body: { username: 'auditor' },
    expected: everyone(204),
  },
  {
    method: 'DELETE',
    route: '/demo/session',
    label: '/demo/session',
    path: fixed('/demo/session'),
    expected: everyone(204),
  },
  {
    method: 'POST',
    route: '/demo/traffic',
    label: '/demo/traffic',
    path: fixed('/demo/traffic'),
    // settings:write first; the harness has no traffic generator, so even an admin gets 404.
    expected: { admin: 404, auditor: 403, jdoe: 403, anonymous: 401 },
  },
  {
    method: 'POST',
    route: '/demo/reset',
    label: '/demo/reset',
    path: fixed('/demo/reset'),
    expected: everyone(204),
  },
  {
    method: 'GET',
    route: '/openapi.json',
    label: '/openapi.json',
    path: fixed('/openapi.json'),
    expected: everyone(200),
  },
  // The vendor's token API: the console API's token operations under the vendor's names.
  ...(
    [
      { method: 'GET', route: '/user/token', expected: allowed(['admin', 'auditor', 'jdoe']) },
      {
        method: 'POST',
        route: '/user/token',
        body: { tokenDescription: 'Role matrix token', tokenValidityTimeInMonths: 1 },
        expected: allowed(['admin', 'jdoe'], 201),
      },
      {
        method: 'PATCH',
        route: '/user/token/:id',
        label: '/user/token/{own token}',
        path: (role: Role) => `/user/token/${ownToken(role)}`,
        body: { tokenDescription: 'Renamed' },
        expected: allowed(['admin', 'jdoe']),
      },
      {
        method: 'DELETE',
        route: '/user/token/:id',
        label: '/user/token/{other user token}',
        path: (role: Role) => `/user/token/${OTHER_TOKEN[role]}`,
        expected: { admin: 204, auditor: 404, jdoe: 404, anonymous: 401 },
      },
      { method: 'GET', route: '/tokensByFilter', expected: allowed(['admin']) },
    ] satisfies Partial<Endpoint>[]
  ).map((e): Endpoint => ({ api: 'vendor', label: e.route, path: fixed(e.route), ...e })),
  // The Jira-shaped resource, under both versions: API tokens only (serverInfo needs no credentials).
  ...(['jira', 'jiraLatest'] as const).flatMap((api) =>
    (
      [
        { method: 'GET', route: '/serverInfo', expected: everyone(200) },
        ...['/myself', '/mypermissions', '/project', '/issuetype', '/field'].map((route) => ({
          method: 'GET' as const,
          route,
          expected: allowed(['admin', 'auditor', 'jdoe']),
        })),
        {
          method: 'GET',
          route: '/project/:idOrKey',
          label: '/project/DEMO',
          expected: allowed(['admin', 'auditor', 'jdoe']),
        },
        {
          method: 'POST',
          route: '/issue',
          body: { fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: 'Matrix' } },
          expected: allowed(['admin', 'auditor', 'jdoe'], 201),
        },
        {
          method: 'GET',
          route: '/issue/:idOrKey',
          label: '/issue/DEMO-1',
          // No issue exists yet: found by nobody, but only a caller with a token gets that far.
          expected: { admin: 404, auditor: 404, jdoe: 404, anonymous: 401 },
        },
      ] satisfies Partial<Endpoint>[]
    ).map((e): Endpoint => ({
      api,
      withToken: true,
      path: fixed(e.label ?? e.route),
      ...e,
      label: `${APIS[api]}${e.label ?? e.route}`,
    })),
  ),
];

interface Row {
  name: string;
  role: Role;
  endpoint: Endpoint;
  status: number;
}

const ROWS: Row[] = ENDPOINTS.flatMap((endpoint) =>
  ROLES.map((role) => ({
    name: `${role} ${endpoint.method} ${endpoint.api === 'vendor' ? APIS.vendor : ''}${endpoint.label} → ${endpoint.expected[role]}`,
    role,
    endpoint,
    status: endpoint.expected[role],
  })),
);

type Backend = ReturnType<typeof createTestBackend>;

/**
 * Everything a request could change (the retention watermark aside, which reads move forward; and
 * "last used", which every request with a token moves).
 */
function snapshot(backend: Backend, withToken = false): string {
  const { auditPurgedBefore: _watermark, ...changes } = backend.store.exportChanges();
  const seeded = new Map(dataSet().tokens.map((t) => [t.id, JSON.stringify(t)]));
  const unused = (t: StoredToken) => JSON.stringify({ ...t, lastUsedAt: null, lastUsedIp: null });
  const tokens = Object.entries(changes.tokens).filter(
    ([id, t]) => !(withToken && t && unused(t) === seeded.get(id)),
  );
  return JSON.stringify({ changes: { ...changes, tokens }, resets: backend.resets() });
}

/** "METHOD /base/route" of every route the backend has. */
function appRoutes(): string[] {
  const { app } = createTestBackend();
  const routes = app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`);
  return [...new Set(routes)].sort();
}

describe('role matrix: every endpoint for every role', () => {
  afterAll(() => {
    console.info(`role matrix: ${ROWS.length} rows (${ENDPOINTS.length} endpoints × ${ROLES.length} roles)`);
  });

  it('has a row for every route the backend has, and none for a route it lacks', () => {
    const covered = ENDPOINTS.map((e) => `${e.method} ${APIS[e.api ?? 'console']}${e.route}`);
    expect([...new Set(covered)].sort()).toEqual(appRoutes());
    expect(new Set(ROWS.map((r) => r.name)).size).toBe(ROWS.length);
  });

  it.each(ROWS)('$name', async ({ role, endpoint, status }) => {
    const { withToken = false } = endpoint;
    const backend = createTestBackend({
      as: role === 'anonymous' || withToken ? null : role,
      data: dataSet(),
    });
    const before = snapshot(backend, withToken);
    const path = endpoint.path(role);
    const headers: Record<string, string> = {
      ...endpoint.headers,
      ...(withToken && role !== 'anonymous' && { authorization: bearer(SECRET[role]) }),
      ...(endpoint.body !== undefined && { 'content-type': 'application/json' }),
    };
    const response = await backend.app.request(`${APIS[endpoint.api ?? 'console']}${path}`, {
      method: endpoint.method,
      headers,
      body: endpoint.body === undefined ? undefined : JSON.stringify(endpoint.body),
    });

    expect(response.status).toBe(status);
    const type = response.headers.get('content-type') ?? '';
    if (status >= 400) {
      expect(type).toContain(PROBLEM_CONTENT_TYPE);
      const problem = (await response.json()) as { status: number; title: string };
      expect(problem.status).toBe(status);
      expect(problem.title).toEqual(expect.any(String));
      // A refused request changes nothing.
      expect(snapshot(backend, withToken)).toBe(before);
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
    if (endpoint.method === 'GET') expect(snapshot(backend, withToken)).toBe(before);
  });
});
