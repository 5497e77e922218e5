import { afterAll, describe, expect, it } from 'vitest';
import { PROBLEM_CONTENT_TYPE, type Problem } from '../../contract/problem';
import { DEFAULT_SETTINGS, type SettingsInput } from '../../contract/settings';
import { CreatedTokenSchema, TokenSchema } from '../../contract/tokens';
import type { DataSet } from '../store/port';
import { fixtureAuditRecord, fixtureData, fixtureTokenOf } from '../test/fixtures';
import { createTestBackend, TEST_NOW } from '../test/harness';

// ---------------------------------------------------------------------------------------------------
// Hostile and malformed input to every write endpoint and to the query of every list endpoint.
// A refused request answers a clear 4xx as problem+json (with the field that is wrong, where there is
// one) and changes nothing; a valid but odd value is stored verbatim and answered as JSON text.
// ---------------------------------------------------------------------------------------------------

const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

const SCRIPT = '<script>alert(1)</script>';
const IMG = '<img src=x onerror=alert(1)>';
const LONG_256 = 'a'.repeat(256);
const LONG_100K = 'x'.repeat(100_000);
const RTL_OVERRIDE = '\u202E';
const ZWJ = '\u200D';
const LONE_SURROGATE = '\uD800';
const NUL = '\u0000';
const LINE_SEPARATOR = '\u2028';
const PARAGRAPH_SEPARATOR = '\u2029';

const JDOE_TOKEN = 'tok_jdoe000000001';
const ADMIN_TOKEN = 'tok_admin00000001';
const LOGGER = 'com.example';

const token = (id: string, username: string, description: string) =>
  fixtureTokenOf(id, username, description, TEST_NOW);

const auditRecord = (n: number) =>
  fixtureAuditRecord(n, iso(TEST_NOW.getTime() - (10 - n) * 3_600_000), {
    details: { tokenId: JDOE_TOKEN, endpoint: '/rest/api/2/myself', username: 'jdoe' },
  });

function dataSet(): DataSet {
  return {
    ...fixtureData(),
    tokens: [token(ADMIN_TOKEN, 'admin', 'Admin backup'), token(JDOE_TOKEN, 'jdoe', 'CI pipeline')],
    auditRecords: [auditRecord(2), auditRecord(1)],
    loggers: [
      { name: 'ROOT', configuredLevel: 'WARN' },
      { name: LOGGER, configuredLevel: 'INFO' },
    ],
  };
}

type Backend = ReturnType<typeof createTestBackend>;
type As = 'admin' | 'auditor' | 'jdoe';

/** Everything a request could change (the retention watermark aside, which every audit read moves). */
function snapshot(backend: Backend): string {
  const { auditPurgedBefore: _watermark, ...changes } = backend.store.exportChanges();
  return JSON.stringify({ changes, resets: backend.resets() });
}

// ---------------------------------------------------------------------------------------------------
// Request bodies.
// ---------------------------------------------------------------------------------------------------

/** The default settings, changed by `change`. */
function settingsWith(change: (s: SettingsInput) => void): SettingsInput {
  const next = structuredClone(DEFAULT_SETTINGS);
  change(next);
  return next;
}

const VALID_EXPIRY = iso(TEST_NOW.getTime() + 30 * DAY);
const newToken = (fields: Record<string, unknown> = {}) => ({
  description: 'Deploy bot',
  scope: 'READ_ONLY',
  expiresAt: VALID_EXPIRY,
  ipRestrictions: [],
  ...fields,
});

/** 101 distinct valid addresses. */
const TOO_MANY_IPS = Array.from({ length: 101 }, (_, i) => `10.0.${Math.floor(i / 256)}.${i % 256}`);

// ---------------------------------------------------------------------------------------------------
// Refused requests.
// ---------------------------------------------------------------------------------------------------

interface Refused {
  name: string;
  as?: As;
  settings?: Partial<SettingsInput>;
  method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is, with this content type (none: no content-type header at all). */
  raw?: { body: string; type?: string };
  headers?: Record<string, string>;
  status: 400 | 403 | 404 | 412 | 413 | 415 | 422 | 428;
  /** The key of `errors` that names the wrong field. */
  field?: string;
}

const settingsPut = (
  name: string,
  change: (s: SettingsInput) => void,
  field: string,
  extra: Partial<Refused> = {},
): Refused => ({
  name: `PUT /settings: ${name}`,
  method: 'PUT',
  path: '/settings',
  body: settingsWith(change),
  headers: { 'if-match': '"settings-v1"' },
  status: 422,
  field,
  ...extra,
});

const IP0 = 'authentication.ipRestrictions.0';
const IP1 = 'authentication.ipRestrictions.1';
const RPM = 'authentication.rateLimit.requestsPerMinute';
const BURST = 'authentication.rateLimit.burst';

const SETTINGS_CASES: Refused[] = [
  settingsPut('CIDR 10.0.0.0/33', (s) => void (s.authentication.ipRestrictions = ['10.0.0.0/33']), IP0),
  settingsPut(
    'CIDR 10.0.0.5/8 (not the start of its range)',
    (s) => void (s.authentication.ipRestrictions = ['10.0.0.5/8']),
    IP0,
  ),
  settingsPut('CIDR ::1/129', (s) => void (s.authentication.ipRestrictions = ['::1/129']), IP0),
  settingsPut('1.2.3.4 twice', (s) => void (s.authentication.ipRestrictions = ['1.2.3.4', '1.2.3.4']), IP1),
  settingsPut(
    '1.2.3.4 twice, once with spaces',
    (s) => void (s.authentication.ipRestrictions = [' 1.2.3.4', '1.2.3.4 ']),
    IP1,
  ),
  settingsPut(
    'the same IPv6 address twice in two notations',
    (s) => void (s.authentication.ipRestrictions = ['2001:db8::1', '2001:DB8:0:0::1']),
    IP1,
    {},
  ),
  settingsPut('a script as an address', (s) => void (s.authentication.ipRestrictions = [SCRIPT]), IP0),
  settingsPut(
    'an address of 100,000 characters',
    (s) => void (s.authentication.ipRestrictions = [LONG_100K]),
    IP0,
  ),
  settingsPut('an address with NUL', (s) => void (s.authentication.ipRestrictions = [`10.0.0.1${NUL}`]), IP0),
  settingsPut(
    '101 addresses',
    (s) => void (s.authentication.ipRestrictions = TOO_MANY_IPS),
    'authentication.ipRestrictions',
  ),
  settingsPut('requestsPerMinute -1', (s) => void (s.authentication.rateLimit.requestsPerMinute = -1), RPM),
  settingsPut('requestsPerMinute 0', (s) => void (s.authentication.rateLimit.requestsPerMinute = 0), RPM),
  settingsPut(
    'requestsPerMinute 1e12',
    (s) => void (s.authentication.rateLimit.requestsPerMinute = 1e12),
    RPM,
  ),
  settingsPut(
    'requestsPerMinute "NaN" (a string)',
    (s) => void ((s.authentication.rateLimit as Record<string, unknown>).requestsPerMinute = 'NaN'),
    RPM,
  ),
  settingsPut(
    'requestsPerMinute NaN (sent as null)',
    (s) => void (s.authentication.rateLimit.requestsPerMinute = Number.NaN),
    RPM,
  ),
  settingsPut('burst 1.5', (s) => void (s.authentication.rateLimit.burst = 1.5), BURST),
  settingsPut('burst -1', (s) => void (s.authentication.rateLimit.burst = -1), BURST),
  settingsPut(
    'burst "100" (a string)',
    (s) => void ((s.authentication.rateLimit as Record<string, unknown>).burst = '100'),
    BURST,
  ),
  settingsPut(
    'expiryWarningDays 0',
    (s) => void (s.authentication.tokenPolicy.expiryWarningDays = 0),
    'authentication.tokenPolicy.expiryWarningDays',
  ),
  settingsPut(
    'expiryWarningDays beyond MAX_SAFE_INTEGER',
    (s) => void (s.authentication.tokenPolicy.expiryWarningDays = Number.MAX_SAFE_INTEGER + 2),
    'authentication.tokenPolicy.expiryWarningDays',
  ),
  settingsPut(
    'maximum validity of 3651 days',
    (s) => void (s.authentication.tokenPolicy.maxValidity = { unit: 'days', value: 3651 }),
    'authentication.tokenPolicy.maxValidity.value',
  ),
  settingsPut(
    'maximum validity of -30 days',
    (s) => void (s.authentication.tokenPolicy.maxValidity = { unit: 'days', value: -30 }),
    'authentication.tokenPolicy.maxValidity.value',
  ),
  settingsPut(
    'maximum validity in years',
    (s) =>
      void ((s.authentication.tokenPolicy as Record<string, unknown>).maxValidity = {
        unit: 'years',
        value: 1,
      }),
    'authentication.tokenPolicy.maxValidity.unit',
  ),
  settingsPut(
    'retention 0 days',
    (s) => void (s.auditLogging.retentionDays = 0),
    'auditLogging.retentionDays',
  ),
  settingsPut(
    'retention 3651 days',
    (s) => void (s.auditLogging.retentionDays = 3651),
    'auditLogging.retentionDays',
  ),
  settingsPut(
    'a group name of 256 characters',
    (s) => void (s.permissions.manageOthersTokens.groups = ['jira-administrators', LONG_256]),
    'permissions.manageOthersTokens.groups.1',
  ),
  // One rule for every name a person types (item 19 of issue 15): what a token description refuses.
  ...[
    { what: 'CR/LF', name: 'admins\r\n2026-01-01 00:00:00,000+0000 INFO admin' },
    { what: 'NUL', name: 'admins\u0000' },
    { what: 'a right-to-left override (U+202E)', name: 'admins\u202Esrotartsinimda' },
  ].map(({ what, name }) =>
    settingsPut(
      `a group name with ${what}`,
      (s) => void (s.permissions.useTokens = { everyone: false, groups: [name] }),
      'permissions.useTokens.groups.0',
    ),
  ),
  settingsPut(
    'no group may manage tokens',
    (s) => void (s.permissions.manageOthersTokens.groups = []),
    'permissions.manageOthersTokens.groups',
  ),
  settingsPut(
    'nobody may use tokens',
    (s) => void (s.permissions.useTokens = { everyone: false, groups: [] }),
    'permissions.useTokens.groups',
  ),
  settingsPut(
    'a switch as the string "true"',
    (s) => void ((s.authentication as Record<string, unknown>).disableBasicAuthWithPasswords = 'true'),
    'authentication.disableBasicAuthWithPasswords',
  ),
  settingsPut(
    'an unavailable audit option turned on',
    (s) => void (s.auditLogging.failedBasicAttempts = true),
    'auditLogging.failedBasicAttempts',
  ),
  settingsPut(
    'no auditLogging section',
    (s) => void delete (s as Partial<SettingsInput>).auditLogging,
    'auditLogging',
  ),
  {
    name: 'PUT /settings: a JSON array',
    method: 'PUT',
    path: '/settings',
    body: [],
    headers: { 'if-match': '"settings-v1"' },
    status: 422,
    field: '_',
  },
  {
    name: 'PUT /settings: without If-Match',
    method: 'PUT',
    path: '/settings',
    body: DEFAULT_SETTINGS,
    status: 428,
  },
  {
    name: 'PUT /settings: If-Match of an old version',
    method: 'PUT',
    path: '/settings',
    body: DEFAULT_SETTINGS,
    headers: { 'if-match': '"settings-v0"' },
    status: 412,
  },
  {
    name: 'PUT /settings: a weak If-Match (never matches, RFC 9110)',
    method: 'PUT',
    path: '/settings',
    body: DEFAULT_SETTINGS,
    headers: { 'if-match': 'W/"settings-v1"' },
    status: 412,
  },
  {
    name: 'PUT /settings: a script as If-Match',
    method: 'PUT',
    path: '/settings',
    body: DEFAULT_SETTINGS,
    headers: { 'if-match': SCRIPT },
    status: 412,
  },
];

const tokenPost = (name: string, body: unknown, field: string, extra: Partial<Refused> = {}): Refused => ({
  name: `POST /tokens: ${name}`,
  method: 'POST',
  path: '/tokens',
  body,
  status: 422,
  field,
  ...extra,
});

const describe422 = (name: string, description: unknown, extra: Partial<Refused> = {}) =>
  tokenPost(`description ${name}`, newToken({ description }), 'description', extra);

const TOKEN_CASES: Refused[] = [
  describe422('empty', ''),
  describe422('of spaces only', '   '),
  describe422('of 256 characters', LONG_256),
  describe422('of 100,000 characters', LONG_100K),
  describe422('with NUL', `Deploy${NUL}bot`),
  describe422('with a line feed', 'Deploy\nbot'),
  describe422('with a tab', 'Deploy\tbot'),
  describe422('with a line separator U+2028', `Deploy${LINE_SEPARATOR}bot`),
  describe422('with a paragraph separator U+2029', `Deploy${PARAGRAPH_SEPARATOR}bot`),
  describe422('with an ANSI escape', '\u001b[31mDeploy bot'),
  describe422('with NEL U+0085 (a C1 control)', 'Deploy\u0085bot'),
  describe422('with DEL U+007F', 'Deploy\u007fbot'),
  describe422('with a lone surrogate', `Deploy${LONE_SURROGATE}bot`, {}),
  describe422('with a right-to-left override U+202E', `invoice${RTL_OVERRIDE}fdp.exe`, {}),
  describe422('that is a number', 42),
  tokenPost('scope ADMIN', newToken({ scope: 'ADMIN' }), 'scope'),
  tokenPost('no scope', newToken({ scope: undefined }), 'scope'),
  tokenPost('expiry in year 0000', newToken({ expiresAt: '0000-01-01T00:00:00Z' }), 'expiresAt'),
  tokenPost('expiry in year 275760', newToken({ expiresAt: '275760-09-13T00:00:00Z' }), 'expiresAt'),
  tokenPost(
    'expiry in year +275760 (expanded year)',
    newToken({ expiresAt: '+275760-09-13T00:00:00.000Z' }),
    'expiresAt',
  ),
  tokenPost('expiry yesterday', newToken({ expiresAt: iso(TEST_NOW.getTime() - DAY) }), 'expiresAt'),
  tokenPost('expiry now', newToken({ expiresAt: iso(TEST_NOW.getTime()) }), 'expiresAt'),
  tokenPost(
    'expiry beyond the policy (13 months)',
    newToken({ expiresAt: iso(TEST_NOW.getTime() + 396 * DAY) }),
    'expiresAt',
  ),
  tokenPost('no expiry under a 12-month policy', newToken({ expiresAt: null }), 'expiresAt'),
  tokenPost('expiry on February 30', newToken({ expiresAt: '2027-02-30T00:00:00Z' }), 'expiresAt'),
  tokenPost('expiry "tomorrow"', newToken({ expiresAt: 'tomorrow' }), 'expiresAt'),
  tokenPost('expiry as the number 1e12', newToken({ expiresAt: 1e12 }), 'expiresAt'),
  tokenPost('CIDR 10.0.0.0/33', newToken({ ipRestrictions: ['10.0.0.0/33'] }), 'ipRestrictions.0'),
  tokenPost('CIDR 10.0.0.5/8', newToken({ ipRestrictions: ['10.0.0.5/8'] }), 'ipRestrictions.0'),
  tokenPost('CIDR ::1/129', newToken({ ipRestrictions: ['::1/129'] }), 'ipRestrictions.0'),
  tokenPost('1.2.3.4 twice', newToken({ ipRestrictions: ['1.2.3.4', '1.2.3.4'] }), 'ipRestrictions.1'),
  tokenPost(
    'the same IPv6 address twice in two notations',
    newToken({ ipRestrictions: ['2001:db8::1', '2001:DB8:0::1'] }),
    'ipRestrictions.1',
    {},
  ),
  tokenPost('an image tag as an address', newToken({ ipRestrictions: [IMG] }), 'ipRestrictions.0'),
  tokenPost(
    'an address of 100,000 characters',
    newToken({ ipRestrictions: [LONG_100K] }),
    'ipRestrictions.0',
  ),
  tokenPost('101 addresses', newToken({ ipRestrictions: TOO_MANY_IPS }), 'ipRestrictions'),
  tokenPost('addresses as a string', newToken({ ipRestrictions: '10.0.0.1' }), 'ipRestrictions'),
  tokenPost('an address that is a number', newToken({ ipRestrictions: [167772161] }), 'ipRestrictions.0'),
  tokenPost('an unknown owner', newToken({ ownerKey: 'NOPE' }), 'ownerKey'),
  tokenPost('an owner key of 256 characters', newToken({ ownerKey: LONG_256 }), 'ownerKey'),
  tokenPost('Read & Write when the policy forces Read Only', newToken({ scope: 'READ_WRITE' }), 'scope', {
    as: 'jdoe',
    settings: {
      authentication: {
        ...DEFAULT_SETTINGS.authentication,
        tokenPolicy: { ...DEFAULT_SETTINGS.authentication.tokenPolicy, forceReadOnlyForRegularUsers: true },
      },
    },
  }),
  {
    name: "POST /tokens: a regular user creating another user's token",
    as: 'jdoe',
    method: 'POST',
    path: '/tokens',
    body: newToken({ ownerKey: 'U1' }),
    status: 403,
  },
  tokenPost('a JSON array', [], '_'),
  tokenPost('JSON null', null, '_'),
  tokenPost('a JSON string', 'Deploy bot', '_'),
];

const patch = (name: string, body: unknown, field: string, extra: Partial<Refused> = {}): Refused => ({
  name: `PATCH /tokens/{id}: ${name}`,
  as: 'jdoe',
  method: 'PATCH',
  path: `/tokens/${JDOE_TOKEN}`,
  body,
  status: 422,
  field,
  ...extra,
});

const PATCH_CASES: Refused[] = [
  patch('an unknown field scope (strict)', { description: 'Renamed', scope: 'READ_WRITE' }, '_'),
  patch('an unknown field ownerKey (strict)', { description: 'Renamed', ownerKey: 'U1' }, '_'),
  patch('an unknown field secretHash (strict)', { description: 'Renamed', secretHash: 'known' }, '_'),
  patch('nothing to change', {}, '_'),
  patch('an expiry that is not a date', { expiresAt: 'tomorrow' }, 'expiresAt'),
  patch('an expiry as a number', { expiresAt: 1_800_000_000_000 }, 'expiresAt'),
  patch('an expiry in the year 9999 (beyond the policy)', { expiresAt: '9999-12-31T00:00:00Z' }, 'expiresAt'),
  patch('an expiry in the past', { expiresAt: '2000-01-01T00:00:00Z' }, 'expiresAt'),
  patch('a script as an IP entry', { ipRestrictions: [SCRIPT] }, 'ipRestrictions.0'),
  patch(
    'IP restrictions as a comma list in one string',
    { ipRestrictions: '10.0.0.0/8, 192.0.2.1' },
    'ipRestrictions',
  ),
  patch(
    '101 IP entries',
    { ipRestrictions: Array.from({ length: 101 }, (_, i) => `10.0.0.${i}`) },
    'ipRestrictions',
  ),
  patch('an empty description', { description: '' }, 'description'),
  patch('a description of 256 characters', { description: LONG_256 }, 'description'),
  patch('a description of 100,000 characters', { description: LONG_100K }, 'description'),
  patch('a description with NUL', { description: `Renamed${NUL}` }, 'description'),
  patch('a description with U+2028', { description: `Renamed${LINE_SEPARATOR}x` }, 'description'),
  patch('a description with a carriage return', { description: 'Renamed\r\nFAKE LOG LINE' }, 'description'),
  {
    name: 'PATCH /tokens/{id}: a JSON Patch document (application/json-patch+json)',
    as: 'jdoe',
    method: 'PATCH',
    path: `/tokens/${JDOE_TOKEN}`,
    raw: {
      body: JSON.stringify([{ op: 'replace', path: '/description', value: 'Renamed' }]),
      type: 'application/json-patch+json',
    },
    status: 415,
  },
  {
    name: 'PATCH /tokens/{id}: a script as the id',
    method: 'PATCH',
    path: `/tokens/${encodeURIComponent(SCRIPT)}`,
    body: { description: 'Renamed' },
    status: 404,
  },
  {
    name: 'PATCH /tokens/{id}: an id of 10,000 characters',
    method: 'PATCH',
    path: `/tokens/${'x'.repeat(10_000)}`,
    body: { description: 'Renamed' },
    status: 404,
  },
  {
    name: "PATCH /tokens/{id}: another user's token, by a regular user",
    as: 'jdoe',
    method: 'PATCH',
    path: `/tokens/${ADMIN_TOKEN}`,
    body: { description: SCRIPT },
    status: 404,
  },
];

const rotate = (name: string, body: unknown, field: string): Refused => ({
  name: `POST /tokens/{id}/rotate: ${name}`,
  as: 'jdoe',
  method: 'POST',
  path: `/tokens/${JDOE_TOKEN}/rotate`,
  body,
  status: 422,
  field,
});

const ROTATE_CASES: Refused[] = [
  rotate('a negative grace period', { gracePeriodMinutes: -1 }, 'gracePeriodMinutes'),
  rotate('a grace period beyond 7 days', { gracePeriodMinutes: 10_081 }, 'gracePeriodMinutes'),
  rotate('a huge grace period', { gracePeriodMinutes: 1e21 }, 'gracePeriodMinutes'),
  rotate('a fraction of a minute', { gracePeriodMinutes: 0.5 }, 'gracePeriodMinutes'),
  rotate('a grace period as text', { gracePeriodMinutes: '60' }, 'gracePeriodMinutes'),
  rotate('a grace period of null', { gracePeriodMinutes: null }, 'gracePeriodMinutes'),
  rotate('a grace period of true', { gracePeriodMinutes: true }, 'gracePeriodMinutes'),
  rotate('an unknown field secret (strict)', { secret: 'atc_chosen' }, '_'),
  rotate('a JSON array', [], '_'),
  {
    name: 'POST /tokens/{id}/rotate: a script as the id',
    method: 'POST',
    path: `/tokens/${encodeURIComponent(SCRIPT)}/rotate`,
    body: {},
    status: 404,
  },
  {
    name: "POST /tokens/{id}/rotate: another user's token, by a regular user",
    as: 'jdoe',
    method: 'POST',
    path: `/tokens/${ADMIN_TOKEN}/rotate`,
    body: { gracePeriodMinutes: 0 },
    status: 404,
  },
];

const DELETE_CASES: Refused[] = [
  {
    name: 'DELETE /tokens/{id}: a script as the id',
    method: 'DELETE',
    path: `/tokens/${encodeURIComponent(SCRIPT)}`,
    status: 404,
  },
  {
    name: 'DELETE /tokens/{id}: a path traversal as the id',
    method: 'DELETE',
    path: `/tokens/${encodeURIComponent('../users/U3/tokens')}`,
    status: 404,
  },
  {
    name: 'DELETE /users/{key}/tokens: a script as the key',
    method: 'DELETE',
    path: `/users/${encodeURIComponent(SCRIPT)}/tokens`,
    status: 404,
  },
  {
    name: 'DELETE /users/{key}/tokens: a key of 10,000 characters',
    method: 'DELETE',
    path: `/users/${'x'.repeat(10_000)}/tokens`,
    status: 404,
  },
  {
    name: 'DELETE /users/{key}/tokens: a username instead of a key',
    method: 'DELETE',
    path: '/users/jdoe/tokens',
    status: 404,
  },
];

const levelPut = (name: string, loggerName: string, body: unknown, field: string): Refused => ({
  name: `PUT /logging/loggers/{name}: ${name}`,
  method: 'PUT',
  path: `/logging/loggers/${encodeURIComponent(loggerName)}`,
  body,
  status: 422,
  field,
});

const LOGGING_CASES: Refused[] = [
  levelPut('a script as the name', SCRIPT, { level: 'DEBUG' }, 'name'),
  levelPut('an image tag as the name', IMG, { level: 'DEBUG' }, 'name'),
  levelPut('a name of 256 characters', LONG_256, { level: 'DEBUG' }, 'name'),
  levelPut('a name of 100,000 characters', LONG_100K, { level: 'DEBUG' }, 'name'),
  levelPut('a name with a non-ASCII letter', 'com.exämple', { level: 'DEBUG' }, 'name'),
  levelPut('a name with an empty part', 'com..example', { level: 'DEBUG' }, 'name'),
  levelPut(
    'a name with a right-to-left override',
    `com.example${RTL_OVERRIDE}evil`,
    { level: 'DEBUG' },
    'name',
  ),
  levelPut('a name with a zero-width joiner', `com.exa${ZWJ}mple`, { level: 'DEBUG' }, 'name'),
  levelPut('a name with NUL', `com${NUL}example`, { level: 'DEBUG' }, 'name'),
  levelPut('a name with a line separator', `com.example${LINE_SEPARATOR}x`, { level: 'DEBUG' }, 'name'),
  levelPut('a name with an encoded slash', 'com/example', { level: 'DEBUG' }, 'name'),
  levelPut('a name starting with a digit', '1com.example', { level: 'DEBUG' }, 'name'),
  levelPut('level "debug" (lower case)', LOGGER, { level: 'debug' }, 'level'),
  levelPut('level ALL', LOGGER, { level: 'ALL' }, 'level'),
  levelPut('level as a script', LOGGER, { level: SCRIPT }, 'level'),
  levelPut('no level', LOGGER, {}, 'level'),
  levelPut('revertAfter 5m', LOGGER, { level: 'DEBUG', revertAfter: '5m' }, 'revertAfter'),
  levelPut('revertAfter 1e12', LOGGER, { level: 'DEBUG', revertAfter: 1e12 }, 'revertAfter'),
  levelPut('an unknown field (strict)', LOGGER, { level: 'DEBUG', nodes: ['node-1'] }, '_'),
  levelPut('a node that is not in the cluster', LOGGER, { level: 'DEBUG', node: 'node-9' }, 'node'),
  levelPut('a script as the node', LOGGER, { level: 'DEBUG', node: SCRIPT }, 'node'),
  levelPut('__proto__ as the node', LOGGER, { level: 'DEBUG', node: '__proto__' }, 'node'),
  levelPut('an empty node', LOGGER, { level: 'DEBUG', node: '' }, 'node'),
  {
    name: 'DELETE /logging/loggers/{name}: a script as the name',
    method: 'DELETE',
    path: `/logging/loggers/${encodeURIComponent(SCRIPT)}`,
    status: 422,
    field: 'name',
  },
  {
    name: 'DELETE /logging/loggers/{name}: a name of 256 characters',
    method: 'DELETE',
    path: `/logging/loggers/${LONG_256}`,
    status: 422,
    field: 'name',
  },
  {
    name: 'DELETE /logging/loggers/{name}: ROOT',
    method: 'DELETE',
    path: '/logging/loggers/ROOT',
    status: 422,
    field: 'name',
  },
];

const session = (name: string, body: unknown, field: string): Refused => ({
  name: `PUT /demo/session: ${name}`,
  method: 'PUT',
  path: '/demo/session',
  body,
  status: 422,
  field,
});

const DEMO_CASES: Refused[] = [
  session('a script as the username', { username: SCRIPT }, 'username'),
  session('an empty username', { username: '' }, 'username'),
  session('a username of 100,000 characters', { username: LONG_100K }, 'username'),
  session('a username with NUL', { username: `jdoe${NUL}` }, 'username'),
  session('a user who is not a demo account', { username: 'mallory' }, 'username'),
  session('no username', {}, 'username'),
  session('a username that is an object', { username: { $ne: '' } }, 'username'),
];

/** Malformed JSON and wrong content types, for every endpoint that reads a body. */
const BODY_ENDPOINTS: {
  label: string;
  as?: As;
  method: Refused['method'];
  path: string;
  valid: unknown;
  headers?: Record<string, string>;
}[] = [
  {
    label: 'PUT /settings',
    method: 'PUT',
    path: '/settings',
    valid: DEFAULT_SETTINGS,
    headers: { 'if-match': '"settings-v1"' },
  },
  { label: 'POST /tokens', method: 'POST', path: '/tokens', valid: newToken() },
  {
    label: 'PATCH /tokens/{id}',
    as: 'jdoe',
    method: 'PATCH',
    path: `/tokens/${JDOE_TOKEN}`,
    valid: { description: 'Renamed' },
  },
  {
    label: 'POST /tokens/{id}/rotate',
    as: 'jdoe',
    method: 'POST',
    path: `/tokens/${JDOE_TOKEN}/rotate`,
    valid: { gracePeriodMinutes: 60 },
  },
  {
    label: 'PUT /logging/loggers/{name}',
    method: 'PUT',
    path: `/logging/loggers/${LOGGER}`,
    valid: { level: 'DEBUG' },
  },
  { label: 'PUT /demo/session', method: 'PUT', path: '/demo/session', valid: { username: 'jdoe' } },
];

const ENCODING_CASES: Refused[] = BODY_ENDPOINTS.flatMap(({ label, as, method, path, valid, headers }) => {
  const json = JSON.stringify(valid);
  const base = { as, method, path, headers };
  return [
    {
      ...base,
      name: `${label}: malformed JSON`,
      raw: { body: '{"description":', type: 'application/json' },
      status: 400,
    },
    {
      ...base,
      name: `${label}: an empty JSON body`,
      raw: { body: '', type: 'application/json' },
      status: 400,
    },
    {
      ...base,
      name: `${label}: JSON with a trailing comma`,
      raw: { body: `${json.slice(0, -1)},}`, type: 'application/json' },
      status: 400,
    },
    {
      ...base,
      name: `${label}: valid JSON as text/plain`,
      raw: { body: json, type: 'text/plain' },
      status: 415,
    },
    {
      ...base,
      name: `${label}: a form-encoded body`,
      raw: {
        body: 'description=Deploy+bot&level=DEBUG&username=jdoe',
        type: 'application/x-www-form-urlencoded',
      },
      status: 415,
    },
    { ...base, name: `${label}: valid JSON without a content type`, raw: { body: json }, status: 415 },
    {
      ...base,
      name: `${label}: valid JSON as text/html`,
      raw: { body: json, type: 'text/html' },
      status: 415,
    },
  ] satisfies Refused[];
});

// --- Query parameters of the list endpoints --------------------------------------------------------

const query = (path: string, field: string | undefined, extra: Partial<Refused> = {}): Refused => ({
  name: `GET ${path.length > 90 ? `${path.slice(0, 80)}…(${path.length} characters)` : path}`,
  method: 'GET',
  path,
  status: 400,
  field,
  ...extra,
});
const q = (value: string) => encodeURIComponent(value);

const QUERY_CASES: Refused[] = [
  query(`/tokens?q=${LONG_256}`, 'q'),
  query(`/tokens?q=${LONG_100K}`, 'q'),
  query('/tokens?pageSize=0', 'pageSize'),
  query('/tokens?pageSize=-1', 'pageSize'),
  query('/tokens?pageSize=201', 'pageSize'),
  query('/tokens?pageSize=1.5', 'pageSize'),
  query('/tokens?pageSize=NaN', 'pageSize'),
  query('/tokens?pageSize=1e12', 'pageSize'),
  query('/tokens?page=0', 'page'),
  query('/tokens?page=100001', 'page'),
  query('/tokens?scope=ADMIN', 'scope'),
  query(`/tokens?status=${q(SCRIPT)}`, 'status.0'),
  query('/tokens?sort=secretHash', 'sort'),
  query('/tokens?sort=__proto__', 'sort'),
  query('/tokens?order=sideways', 'order'),
  query('/tokens?createdFrom=yesterday', 'createdFrom'),
  query(`/tokens?expiresTo=${q('+275760-09-13T00:00:00.000Z')}`, 'expiresTo'),
  query(`/tokens?all=true&owner=${LONG_256}`, 'owner.0'),
  query(`/tokens?all=true&${Array.from({ length: 51 }, (_, i) => `owner=u${i}`).join('&')}`, 'owner'),
  query(`/audit/records?q=${LONG_256}`, 'q'),
  query(`/audit/records?q=${LONG_100K}`, 'q'),
  query(`/users?q=${LONG_256}`, 'q'),
  query(`/users?q=${LONG_100K}`, 'q'),
  query(`/groups?q=${LONG_256}`, 'q'),
  query(`/groups?q=${LONG_100K}`, 'q'),
  query('/audit/records?limit=-1', 'limit'),
  query('/audit/records?limit=1e12', 'limit'),
  query('/audit/records?limit=NaN', 'limit'),
  query('/audit/records?limit=1.5', 'limit'),
  query(`/audit/records?from=${q('+275760-09-13T00:00:00.000Z')}`, 'from'),
  query('/audit/records?to=275760-01-01T00:00:00Z', 'to'),
  query(`/audit/records?ip=${q('10.0.0.0/33')}`, 'ip'),
  query(`/audit/records?ip=${q('::1/129')}`, 'ip'),
  query(`/audit/records?ip=${q('10.0.0.5/8')}`, 'ip'),
  query(`/audit/records?ip=${q(SCRIPT)}`, 'ip'),
  query(`/audit/records?author=${LONG_256}`, 'author'),
  query(`/audit/records?object=${LONG_256}`, 'object'),
  query(`/audit/records?cursor=${q(SCRIPT)}`, 'cursor'),
  query(`/audit/records?after=${q("' OR 1=1 --")}`, 'after'),
  query(`/audit/records?summary=${q(SCRIPT)}`, 'summary.0'),
  query(
    `/audit/records?${Array.from({ length: 21 }, () => 'summary=Permission+denied').join('&')}`,
    'summary',
  ),
  query(`/audit/records?category=${q(SCRIPT)}`, 'category'),
  query('/audit/histogram?bucket=week', 'bucket'),
  query('/audit/histogram', 'bucket'),
  query(`/audit/histogram?bucket=day&tz=${q(SCRIPT)}`, 'tz'),
  query(`/audit/histogram?bucket=day&tz=${'A'.repeat(65)}`, 'tz'),
  query('/audit/histogram?bucket=day&from=2026-11-25T00:00:00Z&to=2026-11-01T00:00:00Z', 'from'),
  query('/audit/histogram?bucket=day&from=0000-01-01T00:00:00Z&to=2026-11-25T00:00:00Z', 'from', {}),
  query('/audit/histogram?bucket=minute&from=2026-10-26T00:00:00Z&to=2026-11-25T00:00:00Z', undefined, {}),
  query('/audit/export?format=xlsx', 'format'),
  query('/audit/export', 'format'),
  query(`/audit/export?format=csv&ip=${q(IMG)}`, 'ip'),
  query(`/audit/export?format=csv&q=${LONG_256}`, 'q'),
  query('/logging/entries?level=ALL', 'level.0'),
  query('/logging/entries?level=OFF', 'level.0'),
  query(`/logging/entries?level=${q(SCRIPT)}`, 'level.0'),
  query('/logging/entries?limit=0', 'limit'),
  query('/logging/entries?limit=501', 'limit'),
  query('/logging/entries?limit=NaN', 'limit'),
  query('/logging/entries?limit=-1', 'limit'),
  query('/logging/entries?limit=1.5', 'limit'),
  query(`/logging/entries?q=${LONG_256}`, 'q'),
  query(`/logging/entries?logger=${LONG_256}`, 'logger'),
  query(`/logging/entries?node=${'n'.repeat(65)}`, 'node'),
  query(`/logging/entries?cursor=${q(SCRIPT)}`, 'cursor'),
  query(`/overview?tz=${q(SCRIPT)}`, 'tz'),
  query(`/overview?tz=${'A'.repeat(65)}`, 'tz'),
];

const REFUSED: Refused[] = [
  ...SETTINGS_CASES,
  ...TOKEN_CASES,
  ...PATCH_CASES,
  ...ROTATE_CASES,
  ...DELETE_CASES,
  ...LOGGING_CASES,
  ...DEMO_CASES,
  ...ENCODING_CASES,
  ...QUERY_CASES,
];

function send(backend: Backend, c: Pick<Refused, 'method' | 'path' | 'body' | 'raw' | 'headers'>) {
  if (c.raw) {
    const headers: Record<string, string> = { ...c.headers };
    if (c.raw.type !== undefined) headers['content-type'] = c.raw.type;
    // Bytes, so that fetch adds no content type of its own.
    return backend.call(c.path, { method: c.method, headers, body: new TextEncoder().encode(c.raw.body) });
  }
  if (c.body === undefined) return backend.call(c.path, { method: c.method, headers: c.headers });
  return backend.json(c.method, c.path, c.body, c.headers);
}

async function expectProblem(response: Response, status: number, field?: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
  const problem = (await response.json()) as Problem;
  expect(problem).toMatchObject({ type: expect.any(String), title: expect.any(String), status });
  if (field !== undefined) {
    expect(Object.keys(problem.errors ?? {})).toContain(field);
    expect(problem.errors![field]).toEqual(expect.any(String));
  }
  return problem;
}

// ---------------------------------------------------------------------------------------------------
// Accepted requests: valid, but odd.
// ---------------------------------------------------------------------------------------------------

interface Accepted {
  name: string;
  as?: As;
  run: (backend: Backend) => Promise<void>;
}

/** Creates a token with `description`; expects 201 and the description stored and answered verbatim. */
async function createVerbatim(backend: Backend, description: string, stored = description) {
  const response = await backend.json('POST', '/tokens', newToken({ description }));
  expect(response.status).toBe(201);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  const text = await response.text();
  // JSON text: the value is a JSON string, never markup the answer would carry as such.
  expect(text).toContain(JSON.stringify(stored));
  const { token } = CreatedTokenSchema.parse(JSON.parse(text));
  expect(token.description).toBe(stored);
  expect((await backend.store.getToken(token.id))?.description).toBe(stored);
  const [record] = (await backend.store.listAuditRecords({ limit: 1 })).items;
  expect(record).toMatchObject({ summary: 'API token created', details: { tokenDescription: stored } });
  const list = await backend.call(`/tokens?q=${encodeURIComponent(stored)}`);
  expect(list.status).toBe(200);
  expect(((await list.json()) as { tokens: { description: string }[] }).tokens).toEqual([
    expect.objectContaining({ description: stored }),
  ]);
  return token;
}

const TOKEN_KEYS = Object.keys(TokenSchema.shape).sort();

const ACCEPTED: Accepted[] = [
  {
    name: 'POST /tokens: a script as the description is stored verbatim',
    run: async (backend) => void (await createVerbatim(backend, SCRIPT)),
  },
  {
    name: 'POST /tokens: an image tag as the description is stored verbatim',
    run: async (backend) => void (await createVerbatim(backend, IMG)),
  },
  {
    name: 'POST /tokens: emoji with zero-width joiners are stored verbatim',
    run: async (backend) =>
      void (await createVerbatim(backend, `Deploy 🔑 by 👩${ZWJ}💻 and 👨${ZWJ}👩${ZWJ}👧`)),
  },
  {
    name: 'POST /tokens: a quoted, ampersanded, apostrophed description is stored verbatim',
    run: async (backend) =>
      void (await createVerbatim(backend, `"O'Brien" & <b>Sons</b> \\ {{7*7}} \${7*7}`)),
  },
  {
    name: 'POST /tokens: a description of exactly 255 characters',
    run: async (backend) => void (await createVerbatim(backend, 'd'.repeat(255))),
  },
  {
    name: 'POST /tokens: surrounding spaces are trimmed',
    run: async (backend) => void (await createVerbatim(backend, '   Deploy bot   ', 'Deploy bot')),
  },
  {
    name: 'POST /tokens: a spreadsheet formula is stored verbatim and neutralised in the CSV export',
    run: async (backend) => {
      const formula = '=HYPERLINK("http://evil.example","click")';
      await createVerbatim(backend, formula);
      const csv = await (await backend.call('/audit/export?format=csv')).text();
      expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
      expect(csv).not.toMatch(/(^|,)=HYPERLINK/m);
    },
  },
  {
    name: 'POST /tokens: unknown fields are dropped; id, secret hash, creator and dates are the server’s',
    run: async (backend) => {
      const body = JSON.stringify({
        ...newToken(),
        id: 'tok_chosenbyme',
        secretHash: 'hash-i-know',
        secret: 'atc_chosen',
        createdBy: 'mallory',
        createdAt: '2000-01-01T00:00:00.000Z',
        ownerUsername: 'mallory',
        lastUsedAt: '2000-01-01T00:00:00.000Z',
        role: 'admin',
      }).replace(/^\{/, '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},');
      const response = await backend.call('/tokens', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(response.status).toBe(201);
      const { token, secret } = CreatedTokenSchema.parse(await response.json());
      expect(Object.keys(token).sort()).toEqual(TOKEN_KEYS);
      expect(token).toMatchObject({
        ownerKey: 'U1',
        ownerUsername: 'admin',
        createdBy: 'admin',
        createdAt: TEST_NOW.toISOString(),
        lastUsedAt: null,
      });
      expect(token.id).not.toBe('tok_chosenbyme');
      expect(secret).not.toBe('atc_chosen');
      const stored = (await backend.store.getToken(token.id))!;
      expect(Object.keys(stored).sort()).toEqual([...TOKEN_KEYS, 'previousSecretHash', 'secretHash'].sort());
      expect(stored.secretHash).not.toBe('hash-i-know');
      expect(await backend.store.getToken('tok_chosenbyme')).toBeUndefined();
      expect(JSON.stringify(backend.store.exportChanges())).not.toMatch(
        /polluted|mallory|chosen|hash-i-know/,
      );
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  },
  {
    name: 'PATCH /tokens/{id}: a script as the new description is stored verbatim',
    as: 'jdoe',
    run: async (backend) => {
      const response = await backend.json('PATCH', `/tokens/${JDOE_TOKEN}`, { description: IMG });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(TokenSchema.parse(await response.json()).description).toBe(IMG);
      expect((await backend.store.getToken(JDOE_TOKEN))?.description).toBe(IMG);
    },
  },
  {
    name: 'PUT /settings: unknown fields (top level, nested, __proto__) are dropped, nothing unknown is stored',
    run: async (backend) => {
      const body = JSON.stringify({
        ...DEFAULT_SETTINGS,
        evil: 'top',
        version: 99,
        updatedBy: 'mallory',
        authentication: {
          ...DEFAULT_SETTINGS.authentication,
          evil: 'nested',
          rateLimit: { ...DEFAULT_SETTINGS.authentication.rateLimit, evil: 'deep' },
        },
      }).replace(/^\{/, '{"__proto__":{"polluted":true},');
      const response = await backend.call('/settings', {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'if-match': '"settings-v1"' },
        body,
      });
      expect(response.status).toBe(200);
      const saved = await backend.store.getSettings();
      expect(saved).toEqual({
        ...DEFAULT_SETTINGS,
        version: 2,
        updatedAt: TEST_NOW.toISOString(),
        updatedBy: 'admin',
      });
      expect(JSON.stringify(backend.store.exportChanges())).not.toMatch(/evil|polluted|mallory/);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  },
  {
    name: 'PUT /settings: overlapping (but different) ranges are allowed',
    run: async (backend) => {
      const body = settingsWith(
        (s) => void (s.authentication.ipRestrictions = ['10.0.0.0/8', '10.1.0.0/16', '10.1.2.3']),
      );
      const response = await backend.json('PUT', '/settings', body, { 'if-match': '"settings-v1"' });
      expect(response.status).toBe(200);
      expect((await backend.store.getSettings()).authentication.ipRestrictions).toEqual([
        '10.0.0.0/8',
        '10.1.0.0/16',
        '10.1.2.3',
      ]);
    },
  },
  {
    name: 'PUT /settings: a script as a group name is stored verbatim and answered as JSON text',
    run: async (backend) => {
      const body = settingsWith(
        (s) => void (s.permissions.manageOthersTokens.groups = ['jira-administrators', SCRIPT]),
      );
      const response = await backend.json('PUT', '/settings', body, { 'if-match': '"settings-v1"' });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.text()).toContain(JSON.stringify(SCRIPT));
      expect((await backend.store.getSettings()).permissions.manageOthersTokens.groups).toEqual([
        'jira-administrators',
        SCRIPT,
      ]);
    },
  },
  {
    name: 'PUT /settings: "application/json; charset=utf-8" and upper case are JSON',
    run: async (backend) => {
      const first = await backend.call('/settings', {
        method: 'PUT',
        headers: { 'content-type': 'application/json; charset=utf-8', 'if-match': '"settings-v1"' },
        body: JSON.stringify(DEFAULT_SETTINGS),
      });
      expect(first.status).toBe(200);
      const second = await backend.call('/settings', {
        method: 'PUT',
        headers: { 'content-type': 'APPLICATION/JSON', 'if-match': '"settings-v2"' },
        body: JSON.stringify(DEFAULT_SETTINGS),
      });
      expect(second.status).toBe(200);
      expect((await backend.store.getSettings()).version).toBe(3);
    },
  },
  {
    name: 'PUT /logging/loggers/{name}: a valid name of 255 characters',
    run: async (backend) => {
      const name = `a${'.b'.repeat(127)}`;
      expect(name).toHaveLength(255);
      const response = await backend.json('PUT', `/logging/loggers/${name}`, { level: 'TRACE' });
      expect(response.status).toBe(200);
      expect(await backend.store.listLoggers('node-1')).toContainEqual({ name, configuredLevel: 'TRACE' });
    },
  },
  ...[
    `/tokens?q=${q(SCRIPT)}`,
    `/tokens?all=true&owner=${q(IMG)}`,
    `/audit/records?q=${q(SCRIPT)}`,
    `/audit/records?author=${q(IMG)}`,
    `/logging/entries?q=${q(SCRIPT)}`,
    `/users?q=${q(SCRIPT)}`,
    `/groups?q=${q(IMG)}`,
  ].map((path): Accepted => ({
    name: `GET ${path.length > 90 ? `${path.slice(0, 80)}…` : path} finds nothing, as JSON`,
    run: async (backend) => {
      const before = snapshot(backend);
      const response = await backend.call(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const body = (await response.json()) as unknown;
      const items = Array.isArray(body)
        ? body
        : ((body as Record<string, unknown[]>).tokens ??
          (body as Record<string, unknown[]>).records ??
          (body as Record<string, unknown[]>).entries);
      expect(items).toEqual([]);
      expect(snapshot(backend)).toBe(before);
    },
  })),
];

// ---------------------------------------------------------------------------------------------------

describe('hostile and malformed input', () => {
  afterAll(() => {
    console.info(
      `bad input (API): ${REFUSED.length + ACCEPTED.length} cases — ${REFUSED.length} refused, ` +
        `${ACCEPTED.length} accepted verbatim`,
    );
  });

  it('has a unique name for every case', () => {
    const names = [...REFUSED, ...ACCEPTED].map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  describe('refused: a clear 4xx as problem+json, and nothing changes', () => {
    const run = async (c: Refused) => {
      const backend = createTestBackend({ as: c.as ?? 'admin', data: dataSet(), settings: c.settings });
      const before = snapshot(backend);
      const version = (await backend.store.getSettings()).version;
      const response = await send(backend, c);
      await expectProblem(response, c.status, c.field);
      expect(snapshot(backend)).toBe(before);
      expect((await backend.store.getSettings()).version).toBe(version);
      expect(await backend.store.listLoggers('node-1')).toContainEqual({
        name: LOGGER,
        configuredLevel: 'INFO',
      });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    };
    it.each(REFUSED.map((c) => [c.name, c] as const))('%s → refused', async (_name, c) => run(c));
  });

  describe('accepted: valid but odd values are stored verbatim and answered as JSON text', () => {
    it.each(ACCEPTED.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const backend = createTestBackend({ as: c.as ?? 'admin', data: dataSet() });
      await c.run(backend);
    });
  });
});
