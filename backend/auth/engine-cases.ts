/**
 * The outcomes of the authentication engine, one row per case of the seed (engine.test.ts).
 */
import { basic, bearer, TEST_PASSWORD } from '../test/harness';
import {
  ADMIN,
  ADMINS_ONLY,
  JDOE,
  OTHER_BEARER_DISABLED,
  PASSWORDS_DISABLED,
  SECRETS,
  tokenObject,
  TOKENS,
  type CaseSettings,
  type ExpectedRecord,
  type RestRequest,
} from './engine-test-kit';

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

export const CASES: EngineCase[] = [
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
