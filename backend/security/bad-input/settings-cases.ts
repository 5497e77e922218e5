/**
 * Refused: bodies of PUT /settings.
 */
import { DEFAULT_SETTINGS, type SettingsInput } from '../../../contract/settings';
import type { Refused } from './test-kit';
import { SCRIPT, LONG_256, LONG_100K, NUL, settingsWith, TOO_MANY_IPS } from './test-kit';

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

export const SETTINGS_CASES: Refused[] = [
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
