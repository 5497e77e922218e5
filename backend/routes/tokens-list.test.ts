import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../contract/settings';
import { TokenPageSchema, TokenSchema, type Token } from '../../contract/tokens';
import { hashSecret } from '../auth/secrets';
import type { StoredToken } from '../store/port';
import { FIXTURE_USERS, fixtureToken } from '../test/fixtures';
import { createTestBackend, TEST_NOW } from '../test/harness';
import { dataSet, backendWith, createOk, list, listed, errorsOf, DAY_MS, inDays } from './tokens-test-kit';

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
