import { describe, expect, it } from 'vitest';
import { CreatedTokenSchema } from '../../contract/tokens';
import { hashSecret } from '../auth/secrets';
import { basic, bearer, TEST_NOW } from '../test/harness';
import {
  backendWith,
  signIn,
  create,
  createOk,
  list,
  restMyself,
  errorsOf,
  auditRecords,
  keysDeep,
  inDays,
  LIMIT_12_MONTHS,
  FIVE_MINUTES,
} from './tokens-test-kit';

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
