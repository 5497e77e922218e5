/**
 * Refused: creating, changing, rotating and revoking tokens.
 */
import { DEFAULT_SETTINGS } from '../../../contract/settings';
import { TEST_NOW } from '../../test/harness';
import type { Refused } from './test-kit';
import {
  DAY,
  iso,
  SCRIPT,
  IMG,
  LONG_256,
  LONG_100K,
  RTL_OVERRIDE,
  LONE_SURROGATE,
  NUL,
  LINE_SEPARATOR,
  PARAGRAPH_SEPARATOR,
  JDOE_TOKEN,
  ADMIN_TOKEN,
  newToken,
  TOO_MANY_IPS,
} from './test-kit';

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

export const TOKEN_CASES: Refused[] = [
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

export const PATCH_CASES: Refused[] = [
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

export const ROTATE_CASES: Refused[] = [
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

export const DELETE_CASES: Refused[] = [
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
