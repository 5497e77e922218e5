import { describe, expect, it } from 'vitest';
import { BASE_PATH } from '../../contract/api';
import type { AuditRecord } from '../../contract/audit';
import { DEFAULT_SETTINGS, type AuthenticationSettings, type SettingsInput } from '../../contract/settings';
import {
  CreatedTokenSchema,
  DirectoryUserSchema,
  TokenPageSchema,
  TokenSchema,
  type CreateTokenRequest,
  type Token,
} from '../../contract/tokens';
import type { User } from '../../contract/users';
import { generateSecret, hashSecret } from '../auth/secrets';
import { MemoryStore, type MemoryChanges } from '../store/memory';
import type { DataSet, StoredToken } from '../store/port';
import { FIXTURE_USERS, fixtureData, fixtureToken } from '../test/fixtures';
import { basic, bearer, createTestBackend, TEST_NOW } from '../test/harness';

// ---------------------------------------------------------------------------------------------------
// Test data: five tokens of three users (now is 2026-11-25 12:00 UTC; the policy warns 14 days ahead).
// ---------------------------------------------------------------------------------------------------

const SECRETS = { ci: generateSecret(), adminBackup: generateSecret() };

const TOKENS = {
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

function dataSet(tokens: StoredToken[] = Object.values(TOKENS), users: User[] = FIXTURE_USERS): DataSet {
  return { ...fixtureData(), users, tokens };
}

type Backend = ReturnType<typeof createTestBackend>;

function backendWith(
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
const signIn = (backend: Backend, username: string | null) => backend.store.setDemoSessionUsername(username);

const REQUEST: CreateTokenRequest = {
  description: 'Deploy bot',
  scope: 'READ_ONLY',
  expiresAt: '2027-01-01T00:00:00.000Z',
  ipRestrictions: [],
};

const create = (backend: Backend, body: Partial<CreateTokenRequest> | Record<string, unknown> = {}) =>
  backend.json('POST', '/tokens', { ...REQUEST, ...body });

async function createOk(backend: Backend, body: Partial<CreateTokenRequest> = {}) {
  const response = await create(backend, body);
  expect(response.status).toBe(201);
  return CreatedTokenSchema.parse(await response.json());
}

async function list(backend: Backend, query = '') {
  const response = await backend.call(`/tokens${query ? `?${query}` : ''}`);
  expect(response.status).toBe(200);
  return TokenPageSchema.parse(await response.json());
}

/** Descriptions of the tokens a query answers, in the order answered. */
const listed = async (backend: Backend, query: string) =>
  (await list(backend, query)).tokens.map((t) => t.description);

/** A REST request with a token at the small protected resource. */
const restMyself = (backend: Backend, authorization: string, clientIp = '198.51.100.7') =>
  backend.app.request('/rest/api/2/myself', {
    headers: { authorization, 'x-test-client-ip': clientIp },
  });

const errorsOf = async (response: Response) =>
  ((await response.json()) as { errors?: Record<string, string> }).errors ?? {};

const auditRecords = async (backend: Backend): Promise<AuditRecord[]> =>
  (await backend.store.listAuditRecords({ limit: 100 })).items;

/** Every key of a JSON value, at any depth. */
function keysDeep(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(keysDeep);
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => [key, ...keysDeep(inner)]);
  }
  return [];
}

const DAY_MS = 86_400_000;
const inDays = (days: number, plusMs = 0) =>
  new Date(TEST_NOW.getTime() + days * DAY_MS + plusMs).toISOString();
/** Twelve months (the default maximum validity) after the test's now. */
const LIMIT_12_MONTHS = '2027-11-25T12:00:00.000Z';
const FIVE_MINUTES = 5 * 60_000;

// ---------------------------------------------------------------------------------------------------

describe('POST /tokens', () => {
  it('creates a token and answers it with its secret, once', async () => {
    const backend = backendWith({ as: 'jdoe' });
    const response = await create(backend, { description: '  Deploy bot ', ipRestrictions: ['10.0.0.0/8'] });
    expect(response.status).toBe(201);
    const body = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['secret', 'token']);
    expect(Object.keys(body.token as object)).not.toContain('secretHash');
    expect(Object.keys(body.token as object)).not.toContain('previousSecretHash');

    const { token, secret } = CreatedTokenSchema.parse(body);
    expect(token).toEqual({
      id: expect.stringMatching(/^tok_[0-9a-z]{12}$/),
      ownerKey: 'U3',
      ownerUsername: 'jdoe',
      description: 'Deploy bot',
      scope: 'READ_ONLY',
      createdAt: TEST_NOW.toISOString(),
      createdBy: 'jdoe',
      expiresAt: '2027-01-01T00:00:00.000Z',
      lastUsedAt: null,
      lastUsedIp: null,
      ipRestrictions: ['10.0.0.0/8'],
      previousSecretExpiresAt: null,
    });
    expect(secret).toMatch(/^atc_[0-9A-Za-z]{40}$/);
    // Only the hash is stored.
    expect((await backend.store.getToken(token.id))?.secretHash).toBe(hashSecret(secret));
    expect(JSON.stringify(backend.store.exportChanges())).not.toContain(secret);
  });

  it('gives every token its own id and secret', async () => {
    const backend = backendWith({ as: 'jdoe' });
    const a = await createOk(backend);
    const b = await createOk(backend);
    expect(a.token.id).not.toBe(b.token.id);
    expect(a.secret).not.toBe(b.secret);
  });

  it('answers a secret that authenticates REST requests, and "last used" shows in the list', async () => {
    const backend = backendWith({ as: 'jdoe' });
    const { token, secret } = await createOk(backend, { ipRestrictions: [] });

    const response = await restMyself(backend, bearer(secret));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ name: 'jdoe' });
    expect((await restMyself(backend, basic('jdoe', secret))).status).toBe(200);

    const mine = (await list(backend)).tokens.find((t) => t.id === token.id);
    expect(mine).toMatchObject({ lastUsedAt: TEST_NOW.toISOString(), lastUsedIp: '198.51.100.7' });
  });

  it('never answers the secret, or its hash, again', async () => {
    const backend = backendWith({ as: 'jdoe' });
    const { token, secret } = await createOk(backend);
    const hash = hashSecret(secret);

    const responses = [
      await backend.call('/tokens'),
      await backend.json('PATCH', `/tokens/${token.id}`, { description: 'Renamed' }),
    ];
    await signIn(backend, 'admin');
    responses.push(await backend.call('/tokens?all=true'));
    for (const response of responses) {
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).not.toContain(secret);
      expect(text).not.toContain(hash);
      expect(keysDeep(JSON.parse(text))).not.toContain('secret');
      expect(keysDeep(JSON.parse(text))).not.toContain('secretHash');
    }
  });

  describe('the token policy', () => {
    it.each([
      { name: 'a year ahead (the limit)', policy: {}, expiresAt: LIMIT_12_MONTHS, status: 201 },
      {
        name: 'the limit plus 5 minutes of clock skew',
        policy: {},
        expiresAt: new Date(Date.parse(LIMIT_12_MONTHS) + FIVE_MINUTES).toISOString(),
        status: 201,
      },
      {
        name: 'past the limit and its tolerance',
        policy: {},
        expiresAt: new Date(Date.parse(LIMIT_12_MONTHS) + FIVE_MINUTES + 1).toISOString(),
        status: 422,
        error: /at most 12 months/,
      },
      { name: 'two years ahead', policy: {}, expiresAt: inDays(730), status: 422, error: /12 months/ },
      {
        name: 'never, while tokens must expire within 12 months',
        policy: {},
        expiresAt: null,
        status: 422,
        error: /^This token must expire: .*12 months/,
      },
      {
        name: 'never, while tokens may live forever',
        policy: { maxValidity: { unit: 'never' } as const },
        expiresAt: null,
        status: 201,
      },
      {
        name: 'ten years ahead, while tokens may live forever',
        policy: { maxValidity: { unit: 'never' } as const },
        expiresAt: inDays(3650),
        status: 201,
      },
      {
        name: '30 days ahead with a 30-day limit',
        policy: { maxValidity: { unit: 'days', value: 30 } as const },
        expiresAt: inDays(30),
        status: 201,
      },
      {
        name: '31 days ahead with a 30-day limit',
        policy: { maxValidity: { unit: 'days', value: 30 } as const },
        expiresAt: inDays(31),
        status: 422,
        error: /at most 30 days/,
      },
      { name: 'now', policy: {}, expiresAt: TEST_NOW.toISOString(), status: 422, error: /in the future/ },
      { name: 'yesterday', policy: {}, expiresAt: inDays(-1), status: 422, error: /in the future/ },
    ])('an expiry $name: $status', async ({ policy, expiresAt, status, error }) => {
      const backend = backendWith({ as: 'jdoe', policy });
      const response = await create(backend, { expiresAt });
      expect(response.status).toBe(status);
      if (error) expect((await errorsOf(response)).expiresAt).toMatch(error);
    });

    it.each([
      { as: 'jdoe', scope: 'READ_WRITE', status: 422 },
      { as: 'jdoe', scope: 'READ_ONLY', status: 201 },
      { as: 'admin', scope: 'READ_WRITE', status: 201 },
    ] as const)('with Read Only forced, $as asking for $scope: $status', async ({ as, scope, status }) => {
      const backend = backendWith({ as, policy: { forceReadOnlyForRegularUsers: true } });
      const response = await create(backend, { scope });
      expect(response.status).toBe(status);
      if (status === 422) {
        expect(await errorsOf(response)).toEqual({ scope: 'The policy allows Read Only tokens only.' });
      }
    });

    it('lets regular users ask for Read & Write while Read Only is not forced', async () => {
      const { token } = await createOk(backendWith({ as: 'jdoe' }), { scope: 'READ_WRITE' });
      expect(token.scope).toBe('READ_WRITE');
    });

    it('reports every policy error at once, and saves nothing', async () => {
      const backend = backendWith({ as: 'jdoe', policy: { forceReadOnlyForRegularUsers: true } });
      const response = await create(backend, { scope: 'READ_WRITE', expiresAt: null, ipRestrictions: ['x'] });
      expect(response.status).toBe(422);
      expect(Object.keys(await errorsOf(response)).sort()).toEqual([
        'expiresAt',
        'ipRestrictions.0',
        'scope',
      ]);
      expect((await list(backend)).total).toBe(3);
      expect(await auditRecords(backend)).toEqual([]);
    });
  });

  it('checks every IP entry and refuses duplicates, with the entry number', async () => {
    const backend = backendWith({ as: 'jdoe' });
    const response = await create(backend, {
      ipRestrictions: [
        '10.0.0.0/8',
        ' 2001:db8::/32 ',
        'nonsense',
        '10.0.0.5/8',
        '10.0.0.0/8',
        '',
        '203.0.113.7',
      ],
    });
    expect(response.status).toBe(422);
    expect(await errorsOf(response)).toEqual({
      'ipRestrictions.2': '"nonsense" is not a valid IP address (e.g. 203.0.113.7 or 2001:db8::1).',
      'ipRestrictions.3': 'Not the start of a range: did you mean 10.0.0.0/8?',
      'ipRestrictions.4': '10.0.0.0/8 is listed twice.',
      'ipRestrictions.5': 'Enter an IP address or a CIDR range.',
    });
  });

  it('stores IP entries trimmed', async () => {
    const { token } = await createOk(backendWith({ as: 'jdoe' }), {
      ipRestrictions: [' 2001:db8::/32 ', '203.0.113.7'],
    });
    expect(token.ipRestrictions).toEqual(['2001:db8::/32', '203.0.113.7']);
  });

  it.each([
    { name: 'an empty description', body: { description: ' ' }, field: 'description' },
    { name: 'a description with a line break', body: { description: 'a\nb' }, field: 'description' },
    { name: 'an unknown scope', body: { scope: 'ADMIN' }, field: 'scope' },
    { name: 'an expiry that is not a date', body: { expiresAt: 'next week' }, field: 'expiresAt' },
  ])('refuses $name with 422 at "$field"', async ({ body, field }) => {
    const response = await create(backendWith({ as: 'jdoe' }), body);
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(Object.keys(await errorsOf(response))).toEqual([field]);
  });

  it('refuses a body that is not JSON with 415', async () => {
    const response = await backendWith({ as: 'jdoe' }).call('/tokens', {
      method: 'POST',
      body: 'description=x',
    });
    expect(response.status).toBe(415);
  });

  describe('who may create tokens', () => {
    it.each([
      { as: 'auditor', body: {}, status: 403 },
      { as: 'jdoe', body: { ownerKey: 'U1' }, status: 403 },
      { as: 'jdoe', body: { ownerKey: 'U3' }, status: 201 },
      { as: 'admin', body: { ownerKey: 'U3' }, status: 201 },
      { as: 'admin', body: {}, status: 201 },
      { as: null, body: {}, status: 401 },
    ])('$as creating $body: $status', async ({ as, body, status }) => {
      expect((await create(backendWith({ as }), body)).status).toBe(status);
    });

    it('lets a Token Manager create a token for another user', async () => {
      const backend = backendWith({ as: 'admin' });
      const { token, secret } = await createOk(backend, { ownerKey: 'U3' });
      expect(token).toMatchObject({ ownerKey: 'U3', ownerUsername: 'jdoe', createdBy: 'admin' });
      // The token is jdoe's: it authenticates jdoe, and jdoe sees it.
      expect(await (await restMyself(backend, basic('jdoe', secret))).json()).toMatchObject({ name: 'jdoe' });
      await signIn(backend, 'jdoe');
      expect((await list(backend)).tokens.map((t) => t.id)).toContain(token.id);
    });

    it('refuses an unknown owner with 422 at "ownerKey"', async () => {
      const response = await create(backendWith({ as: 'admin' }), { ownerKey: 'U999' });
      expect(response.status).toBe(422);
      expect(await errorsOf(response)).toEqual({ ownerKey: 'No such user.' });
    });

    it('follows the Permissions settings: only members of the chosen groups may create tokens', async () => {
      const backend = backendWith({
        as: 'jdoe',
        permissions: { createTokens: { everyone: false, groups: ['jira-administrators'] } },
      });
      expect((await create(backend)).status).toBe(403);
      // jdoe still sees and revokes their tokens.
      expect((await list(backend)).total).toBe(3);
      await signIn(backend, 'admin');
      expect((await create(backend)).status).toBe(201);
    });
  });
});

describe('GET /tokens', () => {
  it('answers the own tokens, newest first, with the warning window of the policy', async () => {
    const page = await list(backendWith({ as: 'jdoe' }));
    expect(page).toMatchObject({ total: 3, page: 1, pageSize: 50, expiryWarningDays: 14 });
    expect(page.tokens.map((t) => t.description)).toEqual([
      'Reporting dashboard',
      'CI pipeline',
      'Old script',
    ]);
    for (const token of page.tokens) {
      expect(TokenSchema.strict().parse(token)).toEqual(token);
    }
  });

  it('answers the warning window of the settings', async () => {
    const page = await list(backendWith({ as: 'jdoe', policy: { expiryWarningDays: 30 } }));
    expect(page.expiryWarningDays).toBe(30);
  });

  it.each([
    { as: 'jdoe', query: '', status: 200, total: 3 },
    { as: 'jdoe', query: 'all=true', status: 403 },
    { as: 'auditor', query: '', status: 200, total: 1 },
    // Auditors read every user's tokens (the Token Manager, read-only).
    { as: 'auditor', query: 'all=true', status: 200, total: 5 },
    { as: 'admin', query: '', status: 200, total: 1 },
    { as: 'admin', query: 'all=true', status: 200, total: 5 },
    { as: null, query: '', status: 401 },
  ])('$as with "$query": $status', async ({ as, query, status, total }) => {
    const response = await backendWith({ as }).call(`/tokens?${query}`);
    expect(response.status).toBe(status);
    if (total !== undefined) expect(TokenPageSchema.parse(await response.json()).total).toBe(total);
  });

  it('answers no tokens to a user whom the Permissions settings do not allow to use tokens', async () => {
    const backend = backendWith({
      as: 'jdoe',
      permissions: { useTokens: { everyone: false, groups: ['jira-administrators'] } },
    });
    expect((await backend.call('/tokens')).status).toBe(403);
  });

  describe('filters (Token Manager, every user)', () => {
    it.each([
      { name: 'description contains "REPORT"', query: 'q=REPORT', expected: ['Reporting dashboard'] },
      { name: 'description contains "  script "', query: 'q=++script+', expected: ['Old script'] },
      { name: 'Read Only', query: 'scope=READ_ONLY', expected: ['Audit export', 'Reporting dashboard'] },
      {
        name: 'Read & Write',
        query: 'scope=READ_WRITE',
        expected: ['Admin backup', 'CI pipeline', 'Old script'],
      },
      { name: 'expiring soon', query: 'status=expiring', expected: ['Reporting dashboard'] },
      { name: 'expired', query: 'status=expired', expected: ['Old script'] },
      {
        name: 'active (including never expiring)',
        query: 'status=active',
        expected: ['Admin backup', 'Audit export', 'CI pipeline'],
      },
      {
        name: 'expired or expiring soon',
        query: 'status=expired&status=expiring',
        expected: ['Old script', 'Reporting dashboard'],
      },
      { name: 'owner admin', query: 'owner=admin', expected: ['Admin backup'] },
      {
        name: 'owner jdoe or auditor',
        query: 'owner=jdoe&owner=auditor',
        expected: ['Audit export', 'CI pipeline', 'Old script', 'Reporting dashboard'],
      },
      { name: 'an unknown owner', query: 'owner=nobody', expected: [] },
      {
        name: 'created between Mar 1 and Jun 15 (both ends included)',
        query: 'createdFrom=2026-03-01T00:00:00.000Z&createdTo=2026-06-15T00:00:00.000Z',
        expected: ['Admin backup', 'Reporting dashboard'],
      },
      {
        name: 'created before Mar 1, one millisecond short',
        query: 'createdTo=2026-02-28T23:59:59.999Z',
        expected: ['Audit export', 'CI pipeline', 'Old script'],
      },
      {
        name: 'last used since Nov 20 (never used tokens do not match)',
        query: 'lastUsedFrom=2026-11-20T00:00:00.000Z',
        expected: ['Admin backup', 'CI pipeline'],
      },
      {
        name: 'last used on Nov 24 (its last millisecond included)',
        query: 'lastUsedFrom=2026-11-24T00:00:00.000Z&lastUsedTo=2026-11-24T23:59:59.999Z',
        expected: ['Admin backup'],
      },
      {
        name: 'last used before Nov 1',
        query: 'lastUsedTo=2026-11-01T00:00:00.000Z',
        expected: ['Old script'],
      },
      {
        name: 'expires by the end of the year (never expiring tokens do not match)',
        query: 'expiresTo=2026-12-31T23:59:59.999Z',
        expected: ['Old script', 'Reporting dashboard'],
      },
      {
        name: 'expires from 2027 on',
        query: 'expiresFrom=2027-01-01T00:00:00Z',
        expected: ['Admin backup', 'Audit export'],
      },
      { name: 'never used', query: 'neverUsed=true', expected: ['Audit export', 'Reporting dashboard'] },
      {
        name: 'never used, of jdoe, Read Only, expiring soon',
        query: 'neverUsed=true&owner=jdoe&scope=READ_ONLY&status=expiring',
        expected: ['Reporting dashboard'],
      },
    ])('$name', async ({ query, expected }) => {
      const descriptions = await listed(backendWith({ as: 'admin' }), `all=true&${query}`);
      expect(descriptions.sort()).toEqual(expected);
    });

    it('counts status at the backend clock: a token turns "expired" at its expiry instant', async () => {
      let now = new Date('2026-11-30T23:59:59.999Z');
      const backend = createTestBackend({ as: 'admin', data: dataSet(), now: () => now });
      expect(await listed(backend, 'all=true&status=expired')).toEqual(['Old script']);
      now = new Date('2026-12-01T00:00:00.000Z');
      expect((await listed(backend, 'all=true&status=expired')).sort()).toEqual([
        'Old script',
        'Reporting dashboard',
      ]);
    });

    it('limits own tokens to the caller even with an owner filter', async () => {
      expect(await listed(backendWith({ as: 'jdoe' }), 'owner=admin')).toEqual([]);
    });
  });

  describe('sort', () => {
    it.each([
      {
        query: 'sort=createdAt&order=desc',
        expected: ['Admin backup', 'Reporting dashboard', 'Audit export', 'CI pipeline', 'Old script'],
      },
      {
        query: 'sort=createdAt&order=asc',
        expected: ['Old script', 'CI pipeline', 'Audit export', 'Reporting dashboard', 'Admin backup'],
      },
      {
        // Never expiring last.
        query: 'sort=expiresAt&order=asc',
        expected: ['Old script', 'Reporting dashboard', 'Audit export', 'Admin backup', 'CI pipeline'],
      },
      {
        // Never expiring first: it expires after every date.
        query: 'sort=expiresAt&order=desc',
        expected: ['CI pipeline', 'Admin backup', 'Audit export', 'Reporting dashboard', 'Old script'],
      },
      {
        // Never used first (before every use), in id order (tok_audit, tok_report).
        query: 'sort=lastUsedAt&order=asc',
        expected: ['Audit export', 'Reporting dashboard', 'Old script', 'CI pipeline', 'Admin backup'],
      },
      {
        // Never used still last; ties in the chosen direction (tok_report, tok_audit).
        query: 'sort=lastUsedAt&order=desc',
        expected: ['Admin backup', 'CI pipeline', 'Old script', 'Reporting dashboard', 'Audit export'],
      },
    ])('$query', async ({ query, expected }) => {
      expect(await listed(backendWith({ as: 'admin' }), `all=true&${query}`)).toEqual(expected);
    });
  });

  it.each([
    { page: 1, expected: ['Admin backup', 'Reporting dashboard'] },
    { page: 2, expected: ['Audit export', 'CI pipeline'] },
    { page: 3, expected: ['Old script'] },
    { page: 4, expected: [] },
  ])('pages by 2: page $page', async ({ page, expected }) => {
    const answer = await list(backendWith({ as: 'admin' }), `all=true&pageSize=2&page=${page}`);
    expect(answer).toMatchObject({ total: 5, page, pageSize: 2 });
    expect(answer.tokens.map((t) => t.description)).toEqual(expected);
  });

  it.each([
    { query: 'status=bogus', field: 'status.0' },
    { query: 'createdFrom=yesterday', field: 'createdFrom' },
    { query: 'expiresTo=2026-12-31', field: 'expiresTo' },
    { query: 'sort=owner', field: 'sort' },
    { query: 'order=up', field: 'order' },
    { query: 'scope=ADMIN', field: 'scope' },
    { query: 'page=0', field: 'page' },
    { query: 'pageSize=201', field: 'pageSize' },
    { query: 'page=abc', field: 'page' },
  ])('refuses "$query" with 400 and a message at "$field"', async ({ query, field }) => {
    const response = await backendWith({ as: 'jdoe' }).call(`/tokens?${query}`);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(Object.keys(await errorsOf(response))).toEqual([field]);
  });
});

describe('PATCH /tokens/{id}', () => {
  const rename = (backend: Backend, id: string, body: unknown) =>
    backend.json('PATCH', `/tokens/${id}`, body);

  it('changes the description of an own token, and answers the token', async () => {
    const backend = backendWith({ as: 'jdoe' });
    const response = await rename(backend, 'tok_ci', { description: '  CI pipeline (main) ' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(
      TokenSchema.parse({ ...TOKENS.ci, description: 'CI pipeline (main)' }),
    );
    expect(await listed(backend, 'q=main')).toEqual(['CI pipeline (main)']);
    expect((await auditRecords(backend)).map((r) => [r.summary, r.changedValues])).toEqual([
      ['API token updated', [{ field: 'Description', from: 'CI pipeline', to: 'CI pipeline (main)' }]],
    ]);
    // The secret still works.
    expect((await restMyself(backend, bearer(SECRETS.ci))).status).toBe(200);
  });

  it.each([
    { name: 'an empty description', body: { description: '' }, field: 'description' },
    { name: 'a description of 256 characters', body: { description: 'x'.repeat(256) }, field: 'description' },
    { name: 'a control character', body: { description: 'a\u0000b' }, field: 'description' },
    { name: 'another field', body: { description: 'ok', scope: 'READ_ONLY' }, field: '_' },
  ])('refuses $name with 422', async ({ body, field }) => {
    const backend = backendWith({ as: 'jdoe' });
    const response = await rename(backend, 'tok_ci', body);
    expect(response.status).toBe(422);
    expect(Object.keys(await errorsOf(response))).toEqual([field]);
    expect((await backend.store.getToken('tok_ci'))?.description).toBe('CI pipeline');
  });

  it.each([
    { as: 'jdoe', id: 'tok_ci', status: 200, why: 'own token' },
    { as: 'jdoe', id: 'tok_admin', status: 404, why: "someone else's token does not exist for them" },
    { as: 'jdoe', id: 'tok_nope', status: 404, why: 'unknown token' },
    { as: 'auditor', id: 'tok_audit', status: 403, why: 'auditors change nothing' },
    { as: 'auditor', id: 'tok_ci', status: 404, why: "someone else's token does not exist for them" },
    { as: 'admin', id: 'tok_ci', status: 200, why: 'Token Manager' },
    { as: null, id: 'tok_ci', status: 401, why: 'not signed in' },
  ])('$as renaming $id: $status ($why)', async ({ as, id, status }) => {
    const backend = backendWith({ as });
    expect((await rename(backend, id, { description: 'Renamed' })).status).toBe(status);
    const expected = status === 200 ? 'Renamed' : Object.values(TOKENS).find((t) => t.id === id)?.description;
    expect((await backend.store.getToken(id))?.description).toBe(expected);
  });
});

describe('PATCH /tokens/{id}: expiry and IP restrictions', () => {
  const edit = (backend: Backend, id: string, body: unknown) => backend.json('PATCH', `/tokens/${id}`, body);

  it('changes the expiry and the IP restrictions, audited with old → new values', async () => {
    const backend = backendWith({ as: 'jdoe' });
    const response = await edit(backend, 'tok_report', {
      expiresAt: inDays(90),
      ipRestrictions: [' 10.0.0.0/8', '2001:DB8:0::1'],
    });
    expect(response.status).toBe(200);
    const token = TokenSchema.parse(await response.json());
    expect(token).toMatchObject({ expiresAt: inDays(90), ipRestrictions: ['10.0.0.0/8', '2001:db8::1'] });
    expect(await backend.store.getToken('tok_report')).toMatchObject(token);
    expect(await auditRecords(backend)).toEqual([
      expect.objectContaining({
        summary: 'API token updated',
        author: { username: 'jdoe', displayName: 'John Doe' },
        affectedObjects: [
          { type: 'user', id: 'U3', name: 'jdoe' },
          { type: 'token', id: 'tok_report', name: 'Reporting dashboard' },
        ],
        changedValues: [
          { field: 'Expires', from: '2026-12-01T00:00:00.000Z', to: inDays(90) },
          { field: 'IP restrictions', from: '(none)', to: '10.0.0.0/8, 2001:db8::1' },
        ],
        details: expect.objectContaining({
          tokenId: 'tok_report',
          endpoint: `${BASE_PATH}/tokens/tok_report`,
        }),
      }),
    ]);
    // The new restriction applies at once.
    const restricted = backendWith({ as: 'jdoe' });
    await edit(restricted, 'tok_ci', { ipRestrictions: ['192.0.2.0/24'] });
    expect((await restMyself(restricted, bearer(SECRETS.ci), '198.51.100.7')).status).toBe(401);
    expect((await restMyself(restricted, bearer(SECRETS.ci), '192.0.2.9')).status).toBe(200);
  });

  it('makes a token never expire where the policy allows it, and shortens it to expire', async () => {
    const backend = backendWith({ as: 'jdoe', policy: { maxValidity: { unit: 'never' } } });
    expect((await edit(backend, 'tok_report', { expiresAt: null })).status).toBe(200);
    expect((await backend.store.getToken('tok_report'))?.expiresAt).toBeNull();
    expect((await edit(backend, 'tok_ci', { expiresAt: inDays(-1) })).status).toBe(422);
  });

  it.each([
    { name: 'never, when the policy says 12 months', body: { expiresAt: null }, field: 'expiresAt' },
    { name: 'beyond the policy', body: { expiresAt: inDays(400) }, field: 'expiresAt' },
    { name: 'in the past', body: { expiresAt: inDays(-1) }, field: 'expiresAt' },
    { name: 'an invalid IP entry', body: { ipRestrictions: ['10.0.0.300'] }, field: 'ipRestrictions.0' },
    {
      name: 'a duplicate IP entry',
      body: { ipRestrictions: ['2001:db8::1', '2001:DB8::1'] },
      field: 'ipRestrictions.1',
    },
    { name: 'nothing to change', body: {}, field: '_' },
    { name: 'a scope (not editable)', body: { scope: 'READ_ONLY' }, field: '_' },
  ])('refuses $name with 422 and changes nothing', async ({ body, field }) => {
    const backend = backendWith({ as: 'jdoe' });
    const response = await edit(backend, 'tok_report', body);
    expect(response.status).toBe(422);
    expect(Object.keys(await errorsOf(response))).toEqual([field]);
    expect(await backend.store.getToken('tok_report')).toEqual(TOKENS.reporting);
    expect(await auditRecords(backend)).toEqual([]);
  });

  it('keeps an expiry the policy no longer allows when other fields change', async () => {
    // tok_ci never expires; the policy now says 12 months.
    const backend = backendWith({ as: 'jdoe' });
    const response = await edit(backend, 'tok_ci', { expiresAt: null, description: 'Still forever' });
    expect(response.status).toBe(200);
    expect(await backend.store.getToken('tok_ci')).toMatchObject({
      expiresAt: null,
      description: 'Still forever',
    });
  });

  it('writes no record when nothing changes', async () => {
    const backend = backendWith({ as: 'jdoe' });
    const body = { description: 'CI pipeline', expiresAt: null, ipRestrictions: [] };
    expect((await edit(backend, 'tok_ci', body)).status).toBe(200);
    expect(await auditRecords(backend)).toEqual([]);
  });

  it('needs the right to create tokens to change the expiry of an own token (not the description)', async () => {
    const backend = backendWith({
      as: 'jdoe',
      permissions: { createTokens: { everyone: false, groups: [] } },
    });
    const response = await edit(backend, 'tok_report', { expiresAt: inDays(30) });
    expect(response.status).toBe(403);
    expect(await backend.store.getToken('tok_report')).toEqual(TOKENS.reporting);
    expect((await edit(backend, 'tok_report', { description: 'Renamed' })).status).toBe(200);
  });
});

describe('POST /tokens/{id}/rotate', () => {
  const rotate = (backend: Backend, id: string, body: unknown = {}) =>
    backend.json('POST', `/tokens/${id}/rotate`, body);

  async function rotateOk(backend: Backend, id: string, body: unknown = {}) {
    const response = await rotate(backend, id, body);
    expect(response.status).toBe(200);
    return CreatedTokenSchema.parse(await response.json());
  }

  it('gives the same token a new secret, once; the old secret stops working at once', async () => {
    const backend = backendWith({ as: 'jdoe' });
    const { token, secret } = await rotateOk(backend, 'tok_ci');
    expect(secret).toMatch(/^atc_[0-9A-Za-z]{40}$/);
    expect(secret).not.toBe(SECRETS.ci);
    // Same id and settings; no previous secret works.
    expect(token).toEqual(TokenSchema.parse({ ...TOKENS.ci, previousSecretExpiresAt: null }));
    expect((await restMyself(backend, bearer(SECRETS.ci))).status).toBe(401);
    expect((await restMyself(backend, bearer(secret))).status).toBe(200);
    expect((await restMyself(backend, basic('jdoe', secret))).status).toBe(200);
    // The secret is never stored or answered again.
    expect(JSON.stringify(backend.store.exportChanges())).not.toContain(secret);
    expect(JSON.stringify(await list(backend))).not.toContain(secret);
  });

  it('keeps the old secret working for the grace period, and not a moment longer', async () => {
    let now = TEST_NOW;
    const backend = createTestBackend({ as: 'jdoe', data: dataSet(), now: () => now });
    const { token, secret } = await rotateOk(backend, 'tok_ci', { gracePeriodMinutes: 60 });
    const until = new Date(TEST_NOW.getTime() + 60 * 60_000).toISOString();
    expect(token.previousSecretExpiresAt).toBe(until);
    expect((await restMyself(backend, bearer(SECRETS.ci))).status).toBe(200);
    expect((await restMyself(backend, bearer(secret))).status).toBe(200);
    now = new Date(Date.parse(until) - 1);
    expect((await restMyself(backend, basic('jdoe', SECRETS.ci))).status).toBe(200);
    now = new Date(until);
    expect((await restMyself(backend, bearer(SECRETS.ci))).status).toBe(401);
    expect((await restMyself(backend, bearer(secret))).status).toBe(200);
  });

  it('a second rotation stops the secret still in its grace period', async () => {
    const backend = backendWith({ as: 'jdoe' });
    const first = await rotateOk(backend, 'tok_ci', { gracePeriodMinutes: 60 });
    const second = await rotateOk(backend, 'tok_ci', { gracePeriodMinutes: 60 });
    expect((await restMyself(backend, bearer(SECRETS.ci))).status).toBe(401);
    expect((await restMyself(backend, bearer(first.secret))).status).toBe(200);
    expect((await restMyself(backend, bearer(second.secret))).status).toBe(200);
  });

  it('is audited as "API token rotated" with the token id, never the secret', async () => {
    const backend = backendWith({ as: 'admin' });
    const { secret } = await rotateOk(backend, 'tok_report', { gracePeriodMinutes: 1440 });
    const [record] = await auditRecords(backend);
    expect(record).toEqual({
      id: expect.any(String),
      timestamp: TEST_NOW.toISOString(),
      author: { username: 'admin', displayName: 'Alice Admin' },
      category: 'API Token Authentication',
      summary: 'API token rotated',
      affectedObjects: [
        { type: 'user', id: 'U3', name: 'jdoe' },
        { type: 'token', id: 'tok_report', name: 'Reporting dashboard' },
      ],
      changedValues: [
        { field: 'Secret', from: 'previous secret', to: 'new secret' },
        { field: 'Previous secret works until', from: null, to: inDays(1) },
      ],
      source: { clientIp: '203.0.113.10', proxyIp: null, nodeId: 'node-1', method: 'POST' },
      details: {
        tokenId: 'tok_report',
        tokenDescription: 'Reporting dashboard',
        scope: 'READ_ONLY',
        username: 'jdoe',
        endpoint: `${BASE_PATH}/tokens/tok_report/rotate`,
        credential: { kind: 'session' },
      },
    });
    expect(JSON.stringify(record)).not.toContain(secret);
    expect(JSON.stringify(record)).not.toContain(hashSecret(secret));
  });

  it.each([
    { as: 'jdoe', id: 'tok_ci', status: 200, why: 'own token' },
    { as: 'jdoe', id: 'tok_admin', status: 404, why: "someone else's token does not exist for them" },
    { as: 'jdoe', id: 'tok_nope', status: 404, why: 'unknown token' },
    { as: 'auditor', id: 'tok_audit', status: 403, why: 'auditors change nothing' },
    { as: 'admin', id: 'tok_ci', status: 200, why: 'Token Manager' },
    { as: null, id: 'tok_ci', status: 401, why: 'not signed in' },
  ])('$as rotating $id: $status ($why)', async ({ as, id, status }) => {
    const backend = backendWith({ as });
    expect((await rotate(backend, id)).status).toBe(status);
    const before = Object.values(TOKENS).find((t) => t.id === id);
    if (status !== 200) expect(await backend.store.getToken(id)).toEqual(before);
  });

  it('needs the right to create tokens for an own token', async () => {
    const backend = backendWith({
      as: 'jdoe',
      permissions: { createTokens: { everyone: false, groups: [] } },
    });
    const response = await rotate(backend, 'tok_ci');
    expect(response.status).toBe(403);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/cannot rotate/);
    expect((await restMyself(backend, bearer(SECRETS.ci))).status).toBe(200);
  });

  it.each([
    { name: 'a negative grace period', body: { gracePeriodMinutes: -1 } },
    { name: 'more than 7 days', body: { gracePeriodMinutes: 10081 } },
    { name: 'a fraction of a minute', body: { gracePeriodMinutes: 1.5 } },
    { name: 'a grace period as text', body: { gracePeriodMinutes: '60' } },
    { name: 'another field', body: { gracePeriodMinutes: 0, expiresAt: null } },
  ])('refuses $name with 422 and keeps the secret', async ({ body }) => {
    const backend = backendWith({ as: 'jdoe' });
    expect((await rotate(backend, 'tok_ci', body)).status).toBe(422);
    expect(await backend.store.getToken('tok_ci')).toEqual(TOKENS.ci);
    expect(await auditRecords(backend)).toEqual([]);
  });
});

describe('DELETE /tokens/{id}', () => {
  const revoke = (backend: Backend, id: string) => backend.call(`/tokens/${id}`, { method: 'DELETE' });

  it('revokes an own token: 204, and its secret no longer authenticates', async () => {
    const backend = backendWith({ as: 'jdoe' });
    const { token, secret } = await createOk(backend);
    expect((await restMyself(backend, bearer(secret))).status).toBe(200);

    const response = await revoke(backend, token.id);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect((await restMyself(backend, bearer(secret))).status).toBe(401);
    expect((await restMyself(backend, basic('jdoe', secret))).status).toBe(401);
    expect(await backend.store.findTokenByHash(hashSecret(secret))).toBeUndefined();
    expect((await list(backend)).tokens.map((t) => t.id)).not.toContain(token.id);
    expect((await revoke(backend, token.id)).status).toBe(404);
  });

  it('revokes a token of the data set just the same', async () => {
    const backend = backendWith({ as: 'jdoe' });
    expect((await restMyself(backend, bearer(SECRETS.ci))).status).toBe(200);
    expect((await revoke(backend, 'tok_ci')).status).toBe(204);
    expect((await restMyself(backend, bearer(SECRETS.ci))).status).toBe(401);
    expect(await listed(backend, '')).toEqual(['Reporting dashboard', 'Old script']);
  });

  it.each([
    { as: 'jdoe', id: 'tok_admin', status: 404, why: "someone else's token does not exist for them" },
    { as: 'jdoe', id: 'tok_nope', status: 404, why: 'unknown token' },
    { as: 'auditor', id: 'tok_audit', status: 403, why: 'auditors change nothing' },
    { as: 'admin', id: 'tok_ci', status: 204, why: 'Token Manager' },
    { as: null, id: 'tok_ci', status: 401, why: 'not signed in' },
  ])('$as revoking $id: $status ($why)', async ({ as, id, status }) => {
    const backend = backendWith({ as });
    expect((await revoke(backend, id)).status).toBe(status);
    expect((await backend.store.getToken(id)) === undefined).toBe(status === 204 || id === 'tok_nope');
  });

  it("leaves an admin's token working when jdoe tries to revoke it", async () => {
    const backend = backendWith({ as: 'jdoe' });
    await revoke(backend, 'tok_admin');
    expect((await restMyself(backend, bearer(SECRETS.adminBackup))).status).toBe(200);
    expect(await auditRecords(backend)).toEqual([]);
  });
});

describe('DELETE /users/{key}/tokens', () => {
  const revokeAll = (backend: Backend, key: string) =>
    backend.call(`/users/${key}/tokens`, { method: 'DELETE' });

  it("revokes every token of a user and answers how many; other users' tokens stay", async () => {
    const backend = backendWith({ as: 'admin' });
    const response = await revokeAll(backend, 'U3');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ deleted: 3 });
    expect((await restMyself(backend, bearer(SECRETS.ci))).status).toBe(401);
    expect((await list(backend, 'all=true')).tokens.map((t) => t.ownerUsername).sort()).toEqual([
      'admin',
      'auditor',
    ]);
    expect((await restMyself(backend, bearer(SECRETS.adminBackup))).status).toBe(200);
  });

  it('writes one "All API tokens of a user deleted" record with the user and every token', async () => {
    const backend = backendWith({ as: 'admin' });
    await revokeAll(backend, 'U3');
    expect(await auditRecords(backend)).toEqual([
      {
        id: expect.any(String),
        timestamp: TEST_NOW.toISOString(),
        author: { username: 'admin', displayName: 'Alice Admin' },
        category: 'API Token Authentication',
        summary: 'All API tokens of a user deleted',
        affectedObjects: [
          { type: 'user', id: 'U3', name: 'jdoe' },
          { type: 'token', id: 'tok_ci', name: 'CI pipeline' },
          { type: 'token', id: 'tok_report', name: 'Reporting dashboard' },
          { type: 'token', id: 'tok_old', name: 'Old script' },
        ],
        changedValues: [{ field: 'Tokens', from: '3', to: '0' }],
        source: { clientIp: '203.0.113.10', proxyIp: null, nodeId: 'node-1', method: 'DELETE' },
        details: {
          username: 'jdoe',
          endpoint: `${BASE_PATH}/users/U3/tokens`,
          credential: { kind: 'session' },
        },
      },
    ]);
  });

  it('answers 0 for a user without tokens, and writes no record', async () => {
    const backend = backendWith({ as: 'admin' });
    await revokeAll(backend, 'U3');
    const again = await revokeAll(backend, 'U3');
    expect(await again.json()).toEqual({ deleted: 0 });
    expect(await auditRecords(backend)).toHaveLength(1);
  });

  it.each([
    { as: 'jdoe', key: 'U3', status: 403 },
    { as: 'auditor', key: 'U3', status: 403 },
    { as: 'admin', key: 'U999', status: 404 },
    { as: null, key: 'U3', status: 401 },
  ])('$as revoking all tokens of $key: $status', async ({ as, key, status }) => {
    const backend = backendWith({ as });
    expect((await revokeAll(backend, key)).status).toBe(status);
    expect(await backend.store.getToken('tok_ci')).toBeDefined();
  });
});

describe('audit records of creation and deletion', () => {
  it('are written although every Audit Logging option is off', async () => {
    const backend = backendWith({ as: 'jdoe' });
    expect((await backend.store.getSettings()).auditLogging).toEqual(DEFAULT_SETTINGS.auditLogging);
    expect(Object.values(DEFAULT_SETTINGS.auditLogging).filter((v) => v === true)).toEqual([]);
    const { token } = await createOk(backend);
    await backend.call(`/tokens/${token.id}`, { method: 'DELETE' });
    expect((await auditRecords(backend)).map((r) => r.summary)).toEqual([
      'API token deleted',
      'API token created',
    ]);
  });

  it('"API token created" names the author, the owner, the token and its properties', async () => {
    const backend = backendWith({ as: 'admin' });
    const { token } = await createOk(backend, {
      ownerKey: 'U3',
      scope: 'READ_WRITE',
      ipRestrictions: ['10.0.0.0/8', '2001:db8::/32'],
    });
    expect(await auditRecords(backend)).toEqual([
      {
        id: expect.any(String),
        timestamp: TEST_NOW.toISOString(),
        author: { username: 'admin', displayName: 'Alice Admin' },
        category: 'API Token Authentication',
        summary: 'API token created',
        affectedObjects: [
          { type: 'user', id: 'U3', name: 'jdoe' },
          { type: 'token', id: token.id, name: 'Deploy bot' },
        ],
        changedValues: [
          { field: 'Description', from: null, to: 'Deploy bot' },
          { field: 'Scope', from: null, to: 'Read & Write' },
          { field: 'Expires', from: null, to: '2027-01-01T00:00:00.000Z' },
          { field: 'IP restrictions', from: null, to: '10.0.0.0/8, 2001:db8::/32' },
        ],
        source: { clientIp: '203.0.113.10', proxyIp: null, nodeId: 'node-1', method: 'POST' },
        details: {
          tokenId: token.id,
          tokenDescription: 'Deploy bot',
          scope: 'READ_WRITE',
          username: 'jdoe',
          endpoint: `${BASE_PATH}/tokens`,
          credential: { kind: 'session' },
        },
      },
    ]);
  });

  it('"API token deleted" shares the token id with the creation, and holds the old values', async () => {
    const backend = backendWith({ as: 'jdoe', policy: { maxValidity: { unit: 'never' } } });
    const { token } = await createOk(backend, { expiresAt: null });
    await backend.call(`/tokens/${token.id}`, {
      method: 'DELETE',
      headers: { 'x-test-client-ip': '192.0.2.44' },
    });

    const [deleted, created] = await auditRecords(backend);
    expect(deleted?.details.tokenId).toBe(token.id);
    expect(created?.details.tokenId).toBe(token.id);
    expect(created?.changedValues).toEqual([
      { field: 'Description', from: null, to: 'Deploy bot' },
      { field: 'Scope', from: null, to: 'Read Only' },
      { field: 'Expires', from: null, to: 'Never' },
      { field: 'IP restrictions', from: null, to: '(none)' },
    ]);
    expect(deleted).toMatchObject({
      author: { username: 'jdoe', displayName: 'John Doe' },
      summary: 'API token deleted',
      affectedObjects: [
        { type: 'user', id: 'U3', name: 'jdoe' },
        { type: 'token', id: token.id, name: 'Deploy bot' },
      ],
      changedValues: [
        { field: 'Description', from: 'Deploy bot', to: null },
        { field: 'Scope', from: 'Read Only', to: null },
        { field: 'Expires', from: 'Never', to: null },
        { field: 'IP restrictions', from: '(none)', to: null },
      ],
      source: { clientIp: '192.0.2.44', proxyIp: null, nodeId: 'node-1', method: 'DELETE' },
      details: {
        tokenId: token.id,
        tokenDescription: 'Deploy bot',
        scope: 'READ_ONLY',
        username: 'jdoe',
        endpoint: `${BASE_PATH}/tokens/${token.id}`,
      },
    });
  });

  it('a Token Manager revoking a token of another user is the author; the owner is the affected user', async () => {
    const backend = backendWith({ as: 'admin' });
    await backend.call('/tokens/tok_old', { method: 'DELETE' });
    expect((await auditRecords(backend))[0]).toMatchObject({
      author: { username: 'admin' },
      affectedObjects: [
        { type: 'user', id: 'U3', name: 'jdoe' },
        { type: 'token', id: 'tok_old', name: 'Old script' },
      ],
      details: { tokenId: 'tok_old', username: 'jdoe' },
    });
  });
});

describe('GET /users', () => {
  const search = async (backend: Backend, q: string) => {
    const response = await backend.call(`/users?q=${encodeURIComponent(q)}`);
    expect(response.status).toBe(200);
    return DirectoryUserSchema.array().parse(await response.json());
  };

  it.each([
    { q: 'DOE', expected: ['jdoe'] },
    { q: 'john', expected: ['jdoe'] },
    { q: 'a', expected: ['admin', 'auditor'] },
    { q: '', expected: ['admin', 'auditor', 'jdoe'] },
    { q: 'nobody', expected: [] },
  ])('"$q" finds $expected by username or display name', async ({ q, expected }) => {
    expect((await search(backendWith({ as: 'admin' }), q)).map((u) => u.username)).toEqual(expected);
  });

  it('answers key, username and display name only', async () => {
    expect(await search(backendWith({ as: 'admin' }), 'jdoe')).toEqual([
      { key: 'U3', username: 'jdoe', displayName: 'John Doe' },
    ]);
  });

  it('answers at most 20 users', async () => {
    const many: User[] = Array.from({ length: 30 }, (_, i) => ({
      key: `K${i}`,
      username: `user${i}`,
      displayName: `User ${i}`,
      email: `user${i}@example.com`,
      groups: [],
      role: 'user',
    }));
    const backend = backendWith({ as: 'admin', data: dataSet([], [...FIXTURE_USERS, ...many]) });
    expect(await search(backend, 'user')).toHaveLength(20);
  });

  it.each([
    { as: 'jdoe', status: 403 },
    { as: 'auditor', status: 403 },
    { as: null, status: 401 },
  ])('answers $as with $status', async ({ as, status }) => {
    expect((await backendWith({ as }).call('/users?q=a')).status).toBe(status);
  });
});

describe('the demo reload', () => {
  it('keeps created, renamed and revoked tokens in the exported changes', async () => {
    const data = dataSet();
    const backend = createTestBackend({ as: 'jdoe', data });
    const { token, secret } = await createOk(backend);
    const doomed = await createOk(backend);
    await backend.json('PATCH', '/tokens/tok_report', { description: 'Reports' });
    await backend.call('/tokens/tok_ci', { method: 'DELETE' });
    await backend.call(`/tokens/${doomed.token.id}`, { method: 'DELETE' });

    const changes = backend.store.exportChanges();
    // A seeded token needs a tombstone; a token created and revoked since leaves nothing behind.
    expect(changes.tokens).toEqual({
      [token.id]: expect.objectContaining({ id: token.id }),
      tok_report: expect.objectContaining({ description: 'Reports' }),
      tok_ci: null,
    });

    const reloaded = new MemoryStore(data, JSON.parse(JSON.stringify(changes)) as MemoryChanges);
    expect((await reloaded.findTokenByHash(hashSecret(secret)))?.id).toBe(token.id);
    expect(await reloaded.findTokenByHash(hashSecret(SECRETS.ci))).toBeUndefined();
    expect(await reloaded.getToken('tok_ci')).toBeUndefined();
    expect(await reloaded.getToken(doomed.token.id)).toBeUndefined();
    expect((await reloaded.getToken('tok_report'))?.description).toBe('Reports');
  });
});

// ---------------------------------------------------------------------------------------------------
// 10,000 tokens: the list filters, sorts and pages the whole set (a sanity check, no timing).
// ---------------------------------------------------------------------------------------------------

describe('a listing of 10,000 tokens', () => {
  const owners = FIXTURE_USERS;
  const many: StoredToken[] = Array.from({ length: 10_000 }, (_, i) => {
    const owner = owners[i % owners.length]!;
    return fixtureToken({
      id: `tok_${String(i).padStart(12, '0')}`,
      ownerKey: owner.key,
      ownerUsername: owner.username,
      description: `Token ${i}${i % 7 === 0 ? ' nightly' : ''}`,
      scope: i % 2 === 0 ? 'READ_ONLY' : 'READ_WRITE',
      // A minute apart, in a shuffled order, so that sorting has work to do.
      createdAt: new Date(Date.UTC(2025, 0, 1) + ((i * 7919) % 10_000) * 60_000).toISOString(),
      expiresAt: i % 5 === 0 ? null : inDays((i % 400) - 100),
      lastUsedAt: i % 3 === 0 ? null : inDays(-(i % 90)),
      secretHash: `hash-${i}`,
    });
  });
  const backend = backendWith({ as: 'admin', data: dataSet(many) });

  it('answers every token to a Token Manager', async () => {
    expect((await list(backend, 'all=true&pageSize=1')).total).toBe(10_000);
  });

  it('filters, sorts and answers page 3', async () => {
    const query =
      'all=true&owner=jdoe&q=NIGHTLY&scope=READ_ONLY&status=active&sort=createdAt&order=asc&pageSize=20&page=3';
    const warning = DEFAULT_SETTINGS.authentication.tokenPolicy.expiryWarningDays * DAY_MS;
    const active = (t: Token) =>
      t.expiresAt === null || Date.parse(t.expiresAt) - TEST_NOW.getTime() > warning;
    const expected = many
      .filter((t) => t.ownerUsername === 'jdoe' && t.description.includes('nightly'))
      .filter((t) => t.scope === 'READ_ONLY' && active(t))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));

    const page = await list(backend, query);
    expect(expected.length).toBeGreaterThan(60);
    expect(page.total).toBe(expected.length);
    expect(page.tokens.map((t) => t.id)).toEqual(expected.slice(40, 60).map((t) => t.id));
  });

  it('sorts by expiry with the never expiring last, on the last page too', async () => {
    const total = many.length;
    const lastPage = Math.ceil(total / 200);
    const page = await list(backend, `all=true&sort=expiresAt&order=asc&pageSize=200&page=${lastPage}`);
    expect(page.tokens.every((t) => t.expiresAt === null)).toBe(true);
    const first = await list(backend, 'all=true&sort=expiresAt&order=asc&pageSize=200&page=1');
    const dates = first.tokens.map((t) => Date.parse(t.expiresAt!));
    expect(dates).toEqual([...dates].sort((a, b) => a - b));
  });

  it('finds a token by its secret after creating and revoking among them', async () => {
    const local = backendWith({ as: 'jdoe', data: dataSet(many) });
    const { token, secret } = await createOk(local);
    expect((await local.store.findTokenByHash(hashSecret(secret)))?.id).toBe(token.id);
    expect((await local.call(`/tokens/${token.id}`, { method: 'DELETE' })).status).toBe(204);
    expect(await local.store.findTokenByHash(hashSecret(secret))).toBeUndefined();
    expect((await list(local, 'pageSize=1')).total).toBe(many.filter((t) => t.ownerKey === 'U3').length);
  });
});
