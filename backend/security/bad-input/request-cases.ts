/**
 * Refused: logger levels, the demo session, malformed bodies and wrong content types, and the query
 * parameters of the list endpoints.
 */
import { DEFAULT_SETTINGS } from '../../../contract/settings';
import type { As, Refused } from './test-kit';
import {
  SCRIPT,
  IMG,
  LONG_256,
  LONG_100K,
  RTL_OVERRIDE,
  ZWJ,
  NUL,
  LINE_SEPARATOR,
  JDOE_TOKEN,
  LOGGER,
  newToken,
  q,
} from './test-kit';

const levelPut = (name: string, loggerName: string, body: unknown, field: string): Refused => ({
  name: `PUT /logging/loggers/{name}: ${name}`,
  method: 'PUT',
  path: `/logging/loggers/${encodeURIComponent(loggerName)}`,
  body,
  status: 422,
  field,
});

export const LOGGING_CASES: Refused[] = [
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

export const DEMO_CASES: Refused[] = [
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

export const ENCODING_CASES: Refused[] = BODY_ENDPOINTS.flatMap(
  ({ label, as, method, path, valid, headers }) => {
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
  },
);

// --- Query parameters of the list endpoints --------------------------------------------------------

const query = (path: string, field: string | undefined, extra: Partial<Refused> = {}): Refused => ({
  name: `GET ${path.length > 90 ? `${path.slice(0, 80)}…(${path.length} characters)` : path}`,
  method: 'GET',
  path,
  status: 400,
  field,
  ...extra,
});

export const QUERY_CASES: Refused[] = [
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
