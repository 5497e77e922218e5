import { describe, expect, it } from 'vitest';
import type { AffectedObject, AuditEvent, AuditRecord, FailureReason } from '../../contract/audit';
import { APP_LOGGERS } from '../../contract/logging';
import {
  DEFAULT_SETTINGS,
  type AuditLoggingSettings,
  type AuthenticationSettings,
  type PermissionSettings,
} from '../../contract/settings';
import type { PasswordCheck, PasswordSource } from '../http/context';
import type { DataSet, StoredToken } from '../store/port';
import { fixtureData, fixtureToken } from '../test/fixtures';
import { basic, bearer, createTestBackend, TEST_NOW, TEST_PASSWORD } from '../test/harness';
import { parseAuthorization } from './engine';
import { generateSecret, hashSecret } from './secrets';

// ---------------------------------------------------------------------------------------------------
// Test data: four tokens of jdoe with known secrets, and the app's logger at INFO.
// ---------------------------------------------------------------------------------------------------

const SECRETS = {
  readWrite: generateSecret(),
  readOnly: generateSecret(),
  expired: generateSecret(),
  officeOnly: generateSecret(),
  /** Looks like a token but was never issued. */
  unknown: generateSecret(),
};

function storedToken(id: string, secret: string, fields: Partial<StoredToken>): StoredToken {
  return fixtureToken({ id, secretHash: hashSecret(secret), ...fields });
}

const TOKENS = {
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

const APP_LOGGER = 'de.resolution.apitokenauth';

function dataSet(loggers: DataSet['loggers'] = [{ name: APP_LOGGER, configuredLevel: 'INFO' }]): DataSet {
  return { ...fixtureData(), tokens: Object.values(TOKENS), loggers };
}

const JDOE: AffectedObject = { type: 'user', id: 'U3', name: 'jdoe' };
const ADMIN: AffectedObject = { type: 'user', id: 'U1', name: 'admin' };
const tokenObject = (token: StoredToken): AffectedObject => ({
  type: 'token',
  id: token.id,
  name: token.description,
});

// ---------------------------------------------------------------------------------------------------
// Helpers: a backend with the given settings, a REST request through the engine, what it left behind.
// ---------------------------------------------------------------------------------------------------

interface CaseSettings {
  authentication?: Partial<AuthenticationSettings>;
  permissions?: Partial<PermissionSettings>;
  audit?: Partial<AuditLoggingSettings>;
}

function backendWith(settings: CaseSettings = {}, data: DataSet = dataSet()) {
  return createTestBackend({
    data,
    settings: {
      authentication: { ...DEFAULT_SETTINGS.authentication, ...settings.authentication },
      permissions: { ...DEFAULT_SETTINGS.permissions, ...settings.permissions },
      auditLogging: { ...DEFAULT_SETTINGS.auditLogging, ...settings.audit },
    },
  });
}

type Backend = ReturnType<typeof backendWith>;

interface RestRequest {
  /** GET /rest/api/2/myself, or POST /rest/api/2/issue (a write). */
  method?: 'GET' | 'POST';
  authorization?: string;
  ip?: string;
}

const DEFAULT_IP = '203.0.113.10';
const endpointOf = (request: RestRequest) =>
  request.method === 'POST' ? '/rest/api/2/issue' : '/rest/api/2/myself';

/** A REST request through the engine, from the client address `ip`. */
async function send(backend: Backend, request: RestRequest): Promise<Response> {
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

const auditRecords = async (backend: Backend) => (await backend.store.listAuditRecords({ limit: 100 })).items;
const logEntries = async (backend: Backend) => (await backend.store.listLogEntries({ limit: 100 })).items;

interface ExpectedRecord {
  summary: AuditEvent;
  reason?: FailureReason;
  /** Absent: the record names no username (a failed bearer attempt with an unknown token). */
  username?: string;
  affected: AffectedObject[];
}

function expectRecord(record: AuditRecord | undefined, expected: ExpectedRecord, request: RestRequest) {
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

// The seed's log lines (docs/domain.md).
const LOG = {
  authenticated: (
    description: string,
    scope: 'Read Only' | 'Read & Write',
    endpoint = '/rest/api/2/myself',
  ) =>
    new RegExp(
      `^Found a matching token "${description}" with ${scope} scope and authenticated user jdoe\\. Token was created on Jan 6, 2026 2:14:46 PM\\. REST endpoint: ${endpoint}$`,
    ),
  passedOn: (username: string) =>
    new RegExp(
      `^User ${username} tried to authenticate with an invalid token or a regular password\\. Passing the request further to the default authenticator\\. REST endpoint: /rest/api/2/myself$`,
    ),
  bearerPassedOn:
    /^A bearer token did not match any API token\. Passing the request further to the other authenticators\. REST endpoint: \/rest\/api\/2\/myself$/,
  basicFailed: (username: string) =>
    new RegExp(
      `^Token verification for user ${username} failed: No valid API token was provided and basic auth with password or personal access token is disabled\\. REST endpoint: /rest/api/2/myself$`,
    ),
  bearerFailed:
    /^Token verification failed: No valid API token was provided in the bearer authorization header and bearer authentication with other authenticators is disabled\. REST endpoint: \/rest\/api\/2\/myself$/,
  ipRestricted: (ip: string) =>
    new RegExp(
      `^Authentication of user jdoe with token "Office only" \\(Read & Write scope\\) was refused: the IP address ${ip.replace(/\./g, '\\.')} is not allowed by the IP restrictions\\. REST endpoint: /rest/api/2/myself$`,
    ),
  globalIpRestricted:
    /^Authentication of user jdoe with token "CI pipeline" \(Read & Write scope\) was refused: the IP address 203\.0\.113\.10 is not allowed by the IP restrictions\./,
  expired:
    /^Authentication of user jdoe with token "Old script" \(Read & Write scope\) was refused: the token expired on Nov 1, 2026 12:00:00 AM\. REST endpoint: \/rest\/api\/2\/myself$/,
  notAllowed: (description: string, scope: 'Read Only' | 'Read & Write', endpoint = '/rest/api/2/myself') =>
    new RegExp(
      `^Authentication of user jdoe with token "${description}" \\(${scope} scope\\) was refused: the user is not allowed to use API tokens\\. REST endpoint: ${endpoint}$`,
    ),
  permissionDenied:
    /^Permission denied for user jdoe: token "Reporting dashboard" has Read Only scope and cannot be used for a POST request\. Returning 403\. REST endpoint: \/rest\/api\/2\/issue$/,
};

// ---------------------------------------------------------------------------------------------------
// The outcomes of the engine, one row per case of the seed.
// ---------------------------------------------------------------------------------------------------

const PASSWORDS_DISABLED = { disableBasicAuthWithPasswords: true };
const OTHER_BEARER_DISABLED = { disableBearerWithOtherAuthenticators: true };
/** "Use API tokens" restricted to a group jdoe is not in. */
const ADMINS_ONLY = { useTokens: { everyone: false, groups: ['jira-administrators'] } };

interface EngineCase {
  name: string;
  settings: CaseSettings;
  request: RestRequest;
  status: number;
  /** The one audit record the request writes, or null: none. */
  record: ExpectedRecord | null;
  /** An INFO line of de.resolution.apitokenauth.ApiTokenAuthenticationService, or null: no log line at all. */
  log: RegExp | null;
}

const CASES: EngineCase[] = [
  // Successful Authentication (option 1)
  {
    name: 'a valid Read & Write token as Bearer, option 1 on → 200 and a success record',
    settings: { audit: { successfulAuthentication: true } },
    request: { authorization: bearer(SECRETS.readWrite) },
    status: 200,
    record: {
      summary: 'Successful authentication',
      username: 'jdoe',
      affected: [JDOE, tokenObject(TOKENS.readWrite)],
    },
    log: LOG.authenticated('CI pipeline', 'Read & Write'),
  },
  {
    name: 'a valid Read Only token as Basic jdoe:token, option 1 on → 200 and a success record',
    settings: { audit: { successfulAuthentication: true } },
    request: { authorization: basic('jdoe', SECRETS.readOnly) },
    status: 200,
    record: {
      summary: 'Successful authentication',
      username: 'jdoe',
      affected: [JDOE, tokenObject(TOKENS.readOnly)],
    },
    log: LOG.authenticated('Reporting dashboard', 'Read Only'),
  },
  {
    name: 'a valid token, option 1 off → 200 and no record',
    settings: { audit: { failedVerification: true, permissionDenied: true } },
    request: { authorization: bearer(SECRETS.readWrite) },
    status: 200,
    record: null,
    log: LOG.authenticated('CI pipeline', 'Read & Write'),
  },
  {
    name: 'a valid Read & Write token writing (POST) → 201',
    settings: { audit: { successfulAuthentication: true } },
    request: { method: 'POST', authorization: bearer(SECRETS.readWrite) },
    status: 201,
    record: {
      summary: 'Successful authentication',
      username: 'jdoe',
      affected: [JDOE, tokenObject(TOKENS.readWrite)],
    },
    log: LOG.authenticated('CI pipeline', 'Read & Write', '/rest/api/2/issue'),
  },

  // Basic with something that is not a token, while regular passwords are allowed: passed on.
  {
    name: 'Basic with the regular password while passwords are allowed → passed on, 200, no record',
    settings: { audit: { successfulAuthentication: true, permissionDenied: true } },
    request: { authorization: basic('jdoe', TEST_PASSWORD) },
    status: 200,
    record: null,
    log: LOG.passedOn('jdoe'),
  },
  {
    name: 'Basic with a wrong secret while passwords are allowed → passed on, 401, no record',
    settings: {},
    request: { authorization: basic('jdoe', 'not-my-password') },
    status: 401,
    record: null,
    log: LOG.passedOn('jdoe'),
  },
  {
    name: 'Basic with a wrong secret while passwords are allowed, 2c on → 401 and a failed verification record',
    settings: { audit: { failedVerification: true } },
    request: { authorization: basic('jdoe', 'not-my-password') },
    status: 401,
    record: {
      summary: 'Failed API token verification',
      reason: 'NO_VALID_TOKEN',
      username: 'jdoe',
      affected: [JDOE],
    },
    log: LOG.passedOn('jdoe'),
  },
  {
    name: 'Basic with the regular password while passwords are allowed, 2c on → 200, yet recorded as failed verification',
    settings: { audit: { failedVerification: true } },
    request: { authorization: basic('jdoe', TEST_PASSWORD) },
    status: 200,
    record: {
      summary: 'Failed API token verification',
      reason: 'NO_VALID_TOKEN',
      username: 'jdoe',
      affected: [JDOE],
    },
    log: LOG.passedOn('jdoe'),
  },

  // Failed basic attempts (2a): only while regular passwords are disabled.
  {
    name: 'Basic with a wrong token while passwords are disabled, 2a on → 401 and a failed basic record',
    settings: {
      authentication: PASSWORDS_DISABLED,
      audit: { failedBasicAttempts: true, failedVerification: true },
    },
    request: { authorization: basic('jdoe', SECRETS.unknown) },
    status: 401,
    record: {
      summary: 'Failed API token basic authentication attempt',
      reason: 'WRONG_TOKEN',
      username: 'jdoe',
      affected: [JDOE],
    },
    log: LOG.basicFailed('jdoe'),
  },
  {
    name: 'Basic with a wrong token while passwords are disabled, 2a off → 401 and no record',
    settings: { authentication: PASSWORDS_DISABLED, audit: { successfulAuthentication: true } },
    request: { authorization: basic('jdoe', SECRETS.unknown) },
    status: 401,
    record: null,
    log: LOG.basicFailed('jdoe'),
  },
  {
    name: 'Basic with the regular password while passwords are disabled → 401',
    settings: { authentication: PASSWORDS_DISABLED, audit: { failedBasicAttempts: true } },
    request: { authorization: basic('jdoe', TEST_PASSWORD) },
    status: 401,
    record: {
      summary: 'Failed API token basic authentication attempt',
      reason: 'WRONG_TOKEN',
      username: 'jdoe',
      affected: [JDOE],
    },
    log: LOG.basicFailed('jdoe'),
  },
  {
    name: "Basic naming another user with jdoe's token while passwords are disabled → 401, recorded for that user",
    settings: { authentication: PASSWORDS_DISABLED, audit: { failedBasicAttempts: true } },
    request: { authorization: basic('admin', SECRETS.readWrite) },
    status: 401,
    record: {
      summary: 'Failed API token basic authentication attempt',
      reason: 'WRONG_TOKEN',
      username: 'admin',
      affected: [ADMIN],
    },
    log: LOG.basicFailed('admin'),
  },

  // Failed bearer attempts (2b): only while other bearer authenticators are disabled; no username.
  {
    name: 'an unknown Bearer token while other authenticators are disabled, 2b on → 401 and a record without username',
    settings: { authentication: OTHER_BEARER_DISABLED, audit: { failedBearerAttempts: true } },
    request: { authorization: bearer(SECRETS.unknown) },
    status: 401,
    record: {
      summary: 'Failed API token bearer authentication attempt',
      reason: 'WRONG_TOKEN',
      affected: [],
    },
    log: LOG.bearerFailed,
  },
  {
    name: 'an unknown Bearer token while other authenticators are disabled, 2b off → 401 and no record',
    settings: { authentication: OTHER_BEARER_DISABLED, audit: { successfulAuthentication: true } },
    request: { authorization: bearer(SECRETS.unknown) },
    status: 401,
    record: null,
    log: LOG.bearerFailed,
  },
  {
    name: 'an unknown Bearer token while other authenticators are allowed → passed on, 401, no record',
    settings: {},
    request: { authorization: bearer(SECRETS.unknown) },
    status: 401,
    record: null,
    log: LOG.bearerPassedOn,
  },
  {
    name: 'an unknown Bearer token while other authenticators are allowed, 2c on → a failed verification record without username',
    settings: { audit: { failedVerification: true } },
    request: { authorization: bearer(SECRETS.unknown) },
    status: 401,
    record: { summary: 'Failed API token verification', reason: 'NO_VALID_TOKEN', affected: [] },
    log: LOG.bearerPassedOn,
  },

  // IP restrictions: a token restricted to 10.0.0.0/8, and the global restrictions.
  {
    name: 'an IP-restricted token as Bearer from outside its range, 2b on → 401 IP_RESTRICTED',
    settings: { authentication: OTHER_BEARER_DISABLED, audit: { failedBearerAttempts: true } },
    request: { authorization: bearer(SECRETS.officeOnly), ip: '203.0.113.10' },
    status: 401,
    record: {
      summary: 'Failed API token bearer authentication attempt',
      reason: 'IP_RESTRICTED',
      username: 'jdoe',
      affected: [JDOE, tokenObject(TOKENS.officeOnly)],
    },
    log: LOG.ipRestricted('203.0.113.10'),
  },
  {
    name: 'an IP-restricted token as Basic from outside its range, 2a on → 401 IP_RESTRICTED',
    settings: { authentication: PASSWORDS_DISABLED, audit: { failedBasicAttempts: true } },
    request: { authorization: basic('jdoe', SECRETS.officeOnly), ip: '2001:db8::7' },
    status: 401,
    record: {
      summary: 'Failed API token basic authentication attempt',
      reason: 'IP_RESTRICTED',
      username: 'jdoe',
      affected: [JDOE, tokenObject(TOKENS.officeOnly)],
    },
    log: LOG.ipRestricted('2001:db8::7'),
  },
  {
    name: 'an IP-restricted token while both gates are open, 2c on → 401, recorded as failed verification',
    settings: { audit: { failedVerification: true } },
    request: { authorization: bearer(SECRETS.officeOnly), ip: '192.168.1.20' },
    status: 401,
    record: {
      summary: 'Failed API token verification',
      reason: 'IP_RESTRICTED',
      username: 'jdoe',
      affected: [JDOE, tokenObject(TOKENS.officeOnly)],
    },
    log: LOG.ipRestricted('192.168.1.20'),
  },
  {
    name: 'an IP-restricted token from inside its range → 200',
    settings: { audit: { successfulAuthentication: true } },
    request: { authorization: bearer(SECRETS.officeOnly), ip: '10.20.30.40' },
    status: 200,
    record: {
      summary: 'Successful authentication',
      username: 'jdoe',
      affected: [JDOE, tokenObject(TOKENS.officeOnly)],
    },
    log: LOG.authenticated('Office only', 'Read & Write'),
  },
  {
    name: 'an IP-restricted token from an IPv4-mapped IPv6 address inside its range → 200',
    settings: {},
    request: { authorization: bearer(SECRETS.officeOnly), ip: '::ffff:10.0.0.1' },
    status: 200,
    record: null,
    log: LOG.authenticated('Office only', 'Read & Write'),
  },
  {
    name: 'a valid token from outside the global IP restrictions, 2b on → 401 IP_RESTRICTED',
    settings: {
      authentication: { ...OTHER_BEARER_DISABLED, ipRestrictions: ['192.168.0.0/16', '2001:db8::/32'] },
      audit: { failedBearerAttempts: true },
    },
    request: { authorization: bearer(SECRETS.readWrite), ip: '203.0.113.10' },
    status: 401,
    record: {
      summary: 'Failed API token bearer authentication attempt',
      reason: 'IP_RESTRICTED',
      username: 'jdoe',
      affected: [JDOE, tokenObject(TOKENS.readWrite)],
    },
    log: LOG.globalIpRestricted,
  },
  {
    name: 'a valid token from inside the global IP restrictions → 200',
    settings: { authentication: { ipRestrictions: ['192.168.0.0/16', '2001:db8::/32'] } },
    request: { authorization: bearer(SECRETS.readWrite), ip: '2001:db8::42' },
    status: 200,
    record: null,
    log: LOG.authenticated('CI pipeline', 'Read & Write'),
  },

  // Expired tokens.
  {
    name: 'an expired token as Bearer, 2b on → 401 EXPIRED_TOKEN',
    settings: { authentication: OTHER_BEARER_DISABLED, audit: { failedBearerAttempts: true } },
    request: { authorization: bearer(SECRETS.expired) },
    status: 401,
    record: {
      summary: 'Failed API token bearer authentication attempt',
      reason: 'EXPIRED_TOKEN',
      username: 'jdoe',
      affected: [JDOE, tokenObject(TOKENS.expired)],
    },
    log: LOG.expired,
  },
  {
    name: 'an expired token as Basic while passwords are allowed, 2c on → 401 EXPIRED_TOKEN as failed verification',
    settings: { audit: { failedVerification: true } },
    request: { authorization: basic('jdoe', SECRETS.expired) },
    status: 401,
    record: {
      summary: 'Failed API token verification',
      reason: 'EXPIRED_TOKEN',
      username: 'jdoe',
      affected: [JDOE, tokenObject(TOKENS.expired)],
    },
    log: LOG.expired,
  },
  {
    name: 'an expired token, no failure option on → 401 and no record',
    settings: { audit: { successfulAuthentication: true } },
    request: { authorization: bearer(SECRETS.expired) },
    status: 401,
    record: null,
    log: LOG.expired,
  },

  // Permission Denied (option 3): a Read Only token used for a write.
  {
    name: 'a Read Only token writing (POST), option 3 on → 403 and a Permission denied record',
    settings: { audit: { permissionDenied: true, successfulAuthentication: true } },
    request: { method: 'POST', authorization: bearer(SECRETS.readOnly) },
    status: 403,
    record: {
      summary: 'Permission denied',
      reason: 'READ_ONLY_SCOPE',
      username: 'jdoe',
      affected: [JDOE, tokenObject(TOKENS.readOnly)],
    },
    log: LOG.permissionDenied,
  },
  {
    name: 'a Read Only token writing (POST), option 3 off → 403 and no record',
    settings: { audit: { successfulAuthentication: true } },
    request: { method: 'POST', authorization: basic('jdoe', SECRETS.readOnly) },
    status: 403,
    record: null,
    log: LOG.permissionDenied,
  },

  // "Use API tokens" (Permissions): a token whose owner may no longer use tokens is refused.
  {
    name: 'a valid token of a user outside "Use API tokens", 2b on → 401 TOKENS_NOT_ALLOWED',
    settings: {
      authentication: OTHER_BEARER_DISABLED,
      permissions: ADMINS_ONLY,
      audit: { failedBearerAttempts: true, successfulAuthentication: true },
    },
    request: { authorization: bearer(SECRETS.readWrite) },
    status: 401,
    record: {
      summary: 'Failed API token bearer authentication attempt',
      reason: 'TOKENS_NOT_ALLOWED',
      username: 'jdoe',
      affected: [JDOE, tokenObject(TOKENS.readWrite)],
    },
    log: LOG.notAllowed('CI pipeline', 'Read & Write'),
  },
  {
    name: 'a valid token of a user outside "Use API tokens" writing (POST), 2c on → 401 as failed verification',
    settings: { permissions: ADMINS_ONLY, audit: { failedVerification: true } },
    request: { method: 'POST', authorization: basic('jdoe', SECRETS.readWrite) },
    status: 401,
    record: {
      summary: 'Failed API token verification',
      reason: 'TOKENS_NOT_ALLOWED',
      username: 'jdoe',
      affected: [JDOE, tokenObject(TOKENS.readWrite)],
    },
    log: LOG.notAllowed('CI pipeline', 'Read & Write', '/rest/api/2/issue'),
  },
  {
    name: 'a valid token of a user outside "Use API tokens", no failure option on → 401 and no record',
    settings: { permissions: ADMINS_ONLY, audit: { successfulAuthentication: true } },
    request: { authorization: bearer(SECRETS.readOnly) },
    status: 401,
    record: null,
    log: LOG.notAllowed('Reporting dashboard', 'Read Only'),
  },
  {
    name: 'a valid token of a member of a group allowed to "Use API tokens" → 200',
    settings: {
      permissions: { useTokens: { everyone: false, groups: ['jira-software-users'] } },
      audit: { successfulAuthentication: true },
    },
    request: { authorization: bearer(SECRETS.readWrite) },
    status: 200,
    record: {
      summary: 'Successful authentication',
      username: 'jdoe',
      affected: [JDOE, tokenObject(TOKENS.readWrite)],
    },
    log: LOG.authenticated('CI pipeline', 'Read & Write'),
  },

  // No credentials at all: not the engine's business.
  {
    name: 'no Authorization header → 401, no record and no log line',
    settings: {
      audit: { successfulAuthentication: true, failedVerification: true, permissionDenied: true },
    },
    request: {},
    status: 401,
    record: null,
    log: null,
  },
];

describe('the authentication engine, through GET /rest/api/2/myself and POST /rest/api/2/issue', () => {
  for (const { name, settings, request, status, record, log } of CASES) {
    it(name, async () => {
      const backend = backendWith(settings);
      const response = await send(backend, request);
      expect(response.status).toBe(status);

      const records = await auditRecords(backend);
      if (record === null) {
        expect(records).toEqual([]);
      } else {
        expect(records).toHaveLength(1);
        expectRecord(records[0], record, request);
      }

      const entries = await logEntries(backend);
      if (log === null) {
        expect(entries).toEqual([]);
      } else {
        expect(entries).toContainEqual(
          expect.objectContaining({
            level: 'INFO',
            logger: APP_LOGGERS.authService,
            message: expect.stringMatching(log),
          }),
        );
      }
    });
  }
});

describe('a successful authentication', () => {
  it("writes both of the seed's log lines, the original one with the creation time in milliseconds", async () => {
    const backend = backendWith();
    await send(backend, { authorization: bearer(SECRETS.readWrite) });
    expect((await logEntries(backend)).map((e) => e.message)).toEqual([
      // newest first
      'Found a matching token "CI pipeline" with Read & Write scope and authenticated user jdoe. Token was created on Jan 6, 2026 2:14:46 PM. REST endpoint: /rest/api/2/myself',
      `Found a matching token for authenticating user jdoe, created on ${Date.parse('2026-01-06T14:14:46.000Z')}. REST endpoint: /rest/api/2/myself`,
    ]);
  });

  it.each([
    { scheme: 'Bearer', authorization: bearer(SECRETS.readWrite), token: TOKENS.readWrite },
    { scheme: 'Basic', authorization: basic('jdoe', SECRETS.readOnly), token: TOKENS.readOnly },
  ])('as $scheme updates the last used time and IP of the token', async ({ authorization, token }) => {
    const backend = backendWith();
    const response = await send(backend, { authorization, ip: '198.51.100.4' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      self: 'http://localhost/rest/api/2/user?username=jdoe',
      key: 'U3',
      name: 'jdoe',
      displayName: 'John Doe',
      emailAddress: 'jdoe@example.com',
      active: true,
    });
    expect(await backend.store.findTokenByHash(token.secretHash)).toMatchObject({
      id: token.id,
      lastUsedAt: TEST_NOW.toISOString(),
      lastUsedIp: '198.51.100.4',
    });
  });

  it('is not a use of the token when it is refused', async () => {
    const backend = backendWith();
    await send(backend, { authorization: bearer(SECRETS.officeOnly), ip: '203.0.113.10' });
    await send(backend, { authorization: bearer(SECRETS.expired) });
    expect(await backend.store.findTokenByHash(TOKENS.officeOnly.secretHash)).toMatchObject({
      lastUsedAt: null,
      lastUsedIp: null,
    });
    expect(await backend.store.findTokenByHash(TOKENS.expired.secretHash)).toMatchObject({
      lastUsedAt: null,
    });
  });
});

describe('the default authenticator (a regular password in Basic)', () => {
  /** A backend whose host check of passwords is recorded, and answers `answer`. */
  function withPasswordCheck(answer: PasswordCheck) {
    const checked: { username: string; password: string; source: PasswordSource }[] = [];
    const backend = createTestBackend({
      data: dataSet(),
      verifyPassword: (username, password, source) => {
        checked.push({ username, password, source });
        return Promise.resolve(answer);
      },
    });
    return { backend, checked };
  }

  it('asks the host to check the password of an unknown username too (it must cost what a wrong password costs)', async () => {
    const { backend, checked } = withPasswordCheck({ kind: 'invalid' });
    const response = await send(backend, { authorization: basic('nobody-by-this-name', 'guess') });
    expect(response.status).toBe(401);
    expect(checked).toEqual([
      {
        username: 'nobody-by-this-name',
        password: 'guess',
        source: expect.objectContaining({
          clientIp: DEFAULT_IP,
          method: 'GET',
          endpoint: '/rest/api/2/myself',
        }),
      },
    ]);
  });

  it('refuses a valid password of a username that does not exist', async () => {
    const { backend } = withPasswordCheck({ kind: 'valid' });
    expect((await send(backend, { authorization: basic('nobody-by-this-name', 'x') })).status).toBe(401);
  });

  it('answers 429 with Retry-After, unchecked, while the host locks the username or address', async () => {
    const { backend } = withPasswordCheck({ kind: 'locked', retryAfterSeconds: 75 });
    const response = await send(backend, { authorization: basic('jdoe', TEST_PASSWORD) });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('75');
    expect(await response.json()).toMatchObject({
      status: 429,
      detail: 'Too many failed sign-ins. Try again in 2 minutes.',
    });
  });
});

describe('rate limiting', () => {
  const RATE_LIMIT = { enabled: true, requestsPerMinute: 6, burst: 2 };

  it("answers the request after the burst with 429, Jira's rate-limit headers and the rate limiter INFO line", async () => {
    const backend = backendWith({ authentication: { rateLimit: RATE_LIMIT } });
    const request = { authorization: bearer(SECRETS.readWrite) };
    const remaining = async () => (await send(backend, request)).headers.get('x-ratelimit-remaining');
    // Successful requests say what is left of the burst.
    expect(await remaining()).toBe('1');
    expect(await remaining()).toBe('0');

    const limited = await send(backend, request);
    expect(limited.status).toBe(429);
    // Jira Data Center's headers, all of which python-jira reads before it retries.
    expect(
      Object.fromEntries([...limited.headers].filter(([name]) => /^(retry-after|x-ratelimit)/.test(name))),
    ).toEqual({
      'retry-after': '10',
      'x-ratelimit-limit': '2',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-fillrate': '6',
      'x-ratelimit-interval-seconds': '60',
    });
    expect(await limited.json()).toMatchObject({
      status: 429,
      title: 'Too Many Requests',
      errorMessages: ['Rate limit exceeded. Try again later.'],
    });

    const [newest] = await logEntries(backend);
    expect(newest).toMatchObject({
      level: 'INFO',
      logger: 'de.resolution.apitokenauth.platform.auth.ApiTokenRateLimiter',
      username: 'jdoe',
      url: '/rest/api/2/myself',
      message:
        'Rate limit exceeded for user jdoe with token "CI pipeline" (Read & Write scope): more than 6 requests per minute (burst 2). Returning 429. REST endpoint: /rest/api/2/myself',
    });
    expect(await auditRecords(backend)).toEqual([]);
  });

  it('limits each token on its own', async () => {
    const backend = backendWith({ authentication: { rateLimit: RATE_LIMIT } });
    for (let i = 0; i < 3; i++) await send(backend, { authorization: bearer(SECRETS.readWrite) });
    expect((await send(backend, { authorization: bearer(SECRETS.readOnly) })).status).toBe(200);
  });

  it('does not limit while rate limiting is off', async () => {
    const backend = backendWith({ authentication: { rateLimit: { ...RATE_LIMIT, enabled: false } } });
    const responses: Response[] = [];
    for (let i = 0; i < 5; i++)
      responses.push(await send(backend, { authorization: bearer(SECRETS.readWrite) }));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(responses.map((r) => r.headers.get('x-ratelimit-remaining'))).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
  });
});

describe("log lines follow the loggers' levels", () => {
  const failedBearer = { authorization: bearer(SECRETS.unknown) };

  it("writes the prefix fields of the seed's ConversionPattern: user, client IP, URL, node, thread", async () => {
    const backend = backendWith({ authentication: OTHER_BEARER_DISABLED });
    await send(backend, { ...failedBearer, ip: '91.41.231.119' });
    expect(await logEntries(backend)).toEqual([
      expect.objectContaining({
        timestamp: TEST_NOW.toISOString(),
        level: 'INFO',
        logger: APP_LOGGERS.authService,
        username: 'anonymous',
        clientIp: '91.41.231.119',
        url: '/rest/api/2/myself',
        node: 'node-1',
        thread: expect.stringMatching(/^http-nio-8080-exec-\d+$/),
      }),
    ]);
  });

  it('writes no INFO line once the app logger is set to WARN, and again once it is back at INFO', async () => {
    const backend = backendWith();
    await send(backend, { authorization: bearer(SECRETS.readWrite) });
    const before = (await logEntries(backend)).length;
    expect(before).toBe(2);

    await backend.store.setLoggerLevel('node-1', APP_LOGGER, 'WARN');
    await send(backend, { authorization: bearer(SECRETS.readWrite) });
    await send(backend, failedBearer);
    await send(backend, { method: 'POST', authorization: bearer(SECRETS.readOnly) });
    expect(await logEntries(backend)).toHaveLength(before);

    await backend.store.setLoggerLevel('node-1', APP_LOGGER, 'INFO');
    await send(backend, failedBearer);
    expect(await logEntries(backend)).toHaveLength(before + 1);
  });

  it('writes nothing when no logger is configured (ROOT is ERROR)', async () => {
    const backend = backendWith({}, dataSet([]));
    const response = await send(backend, { authorization: bearer(SECRETS.readWrite) });
    expect(response.status).toBe(200);
    expect(await logEntries(backend)).toEqual([]);
  });

  it('silences the authentication service alone while the rate limiter still writes', async () => {
    const backend = backendWith({
      authentication: { rateLimit: { enabled: true, requestsPerMinute: 6, burst: 1 } },
    });
    await backend.store.setLoggerLevel('node-1', APP_LOGGERS.authService, 'OFF');
    await send(backend, { authorization: bearer(SECRETS.readWrite) });
    expect((await send(backend, { authorization: bearer(SECRETS.readWrite) })).status).toBe(429);
    expect((await logEntries(backend)).map((e) => e.logger)).toEqual([APP_LOGGERS.rateLimiter]);
  });
});

describe('parseAuthorization', () => {
  const encoded = (text: string) => `Basic ${btoa(text)}`;

  it.each([
    { case: 'no header', header: null, expected: null },
    {
      case: 'Bearer',
      header: 'Bearer abc123',
      expected: { scheme: 'bearer', username: null, secret: 'abc123' },
    },
    {
      case: 'lower-case bearer with extra spaces',
      header: 'bearer   abc123',
      expected: { scheme: 'bearer', username: null, secret: 'abc123' },
    },
    { case: 'Bearer without a token', header: 'Bearer', expected: null },
    { case: 'Bearer followed by spaces only', header: 'Bearer   ', expected: null },
    {
      case: 'a tab after the scheme, spaces around the header',
      header: '  Bearer\tabc123  ',
      expected: { scheme: 'bearer', username: null, secret: 'abc123' },
    },
    {
      case: 'whitespace inside the value (each run counts as one space)',
      header: 'Bearer abc \t  123',
      expected: { scheme: 'bearer', username: null, secret: 'abc 123' },
    },
    {
      case: 'BASIC in capitals',
      header: `BASIC ${btoa('jdoe:s3cret')}`,
      expected: { scheme: 'basic', username: 'jdoe', secret: 's3cret' },
    },
    {
      case: 'Basic with a UTF-8 username',
      header: `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode('jürgen:s3cret')))}`,
      expected: { scheme: 'basic', username: 'jürgen', secret: 's3cret' },
    },
    {
      case: 'Basic user:secret',
      header: encoded('jdoe:s3cret'),
      expected: { scheme: 'basic', username: 'jdoe', secret: 's3cret' },
    },
    {
      case: 'Basic with colons in the secret',
      header: encoded('jdoe:pass:with:colons'),
      expected: { scheme: 'basic', username: 'jdoe', secret: 'pass:with:colons' },
    },
    { case: 'Basic without a colon', header: encoded('no-colon'), expected: null },
    { case: 'Basic that is not base64', header: 'Basic !!!not-base64', expected: null },
    { case: 'another scheme', header: 'Digest username="jdoe"', expected: null },
  ])('$case', ({ header, expected }) => {
    expect(parseAuthorization(header)).toEqual(expected);
  });
});
