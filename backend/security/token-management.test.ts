import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../contract/audit';
import { TokenListQuerySchema } from '../../contract/tokens';
import { generateSecret, hashSecret } from '../auth/secrets';
import { fixtureData, fixtureToken } from '../test/fixtures';
import { basic, bearer, createTestBackend, TEST_NOW, TEST_PASSWORD } from '../test/harness';

/**
 * Token management and the credential that asks for it (issue 15, item 2): a token never creates or
 * changes a token (it could make one that outlives it or drops its IP restrictions); a person does,
 * signed in or with their password; every creation and deletion records which credential it came with.
 */

const HOUR = 3_600_000;
const SECRETS = { narrow: generateSecret(), manager: generateSecret() };

function backend() {
  return createTestBackend({
    // No console session: every request says who it is in its Authorization header.
    as: null,
    data: {
      ...fixtureData(),
      tokens: [
        // jdoe's token: valid for an hour, from 127.0.0.1 only.
        fixtureToken({
          id: 'tok_narrow',
          secretHash: hashSecret(SECRETS.narrow),
          expiresAt: new Date(TEST_NOW.getTime() + HOUR).toISOString(),
          ipRestrictions: ['127.0.0.1'],
        }),
        fixtureToken({
          id: 'tok_admin',
          ownerKey: 'U1',
          ownerUsername: 'admin',
          secretHash: hashSecret(SECRETS.manager),
        }),
      ],
    },
  });
}
type Backend = ReturnType<typeof backend>;

const LOCAL = { 'x-test-client-ip': '127.0.0.1' };
const create = (b: Backend, authorization: string, fields: Record<string, unknown> = {}) =>
  b.json(
    'POST',
    '/tokens',
    {
      description: 'Minted',
      scope: 'READ_WRITE',
      expiresAt: new Date(TEST_NOW.getTime() + 365 * 24 * HOUR).toISOString(),
      ipRestrictions: [],
      ...fields,
    },
    { authorization, ...LOCAL },
  );
const records = async (b: Backend): Promise<AuditRecord[]> =>
  (await b.store.listAuditRecords({ limit: 100 })).items;
const tokenIds = async (b: Backend) =>
  (
    await b.store.listTokens({
      ...TokenListQuerySchema.parse({ pageSize: 100 }),
      now: TEST_NOW,
      expiryWarningDays: 14,
    })
  ).items.map((t) => t.id);

describe('a token cannot create or change tokens', () => {
  it('a 1-hour token restricted to 127.0.0.1 cannot create a 1-year token without IP restrictions', async () => {
    const b = backend();
    const response = await create(b, bearer(SECRETS.narrow));
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      detail: 'An API token cannot create or change tokens: sign in to the console, or use your password.',
    });
    expect((await tokenIds(b)).sort()).toEqual(['tok_admin', 'tok_narrow']);
    expect(await records(b)).toEqual([]);
  });

  it('nor a narrower one, nor with Basic username:token', async () => {
    const b = backend();
    const narrower = {
      expiresAt: new Date(TEST_NOW.getTime() + HOUR / 2).toISOString(),
      ipRestrictions: ['127.0.0.1'],
      scope: 'READ_ONLY',
    };
    expect((await create(b, bearer(SECRETS.narrow), narrower)).status).toBe(403);
    expect((await create(b, basic('jdoe', SECRETS.narrow), narrower)).status).toBe(403);
    expect(await tokenIds(b)).toHaveLength(2);
  });

  it("nor a Token Manager's token one for another user", async () => {
    const b = backend();
    expect((await create(b, bearer(SECRETS.manager), { ownerKey: 'U3' })).status).toBe(403);
    expect(await tokenIds(b)).toHaveLength(2);
  });

  it('a token cannot change a token', async () => {
    const b = backend();
    const response = await b.json(
      'PATCH',
      '/tokens/tok_narrow',
      { description: 'Renamed' },
      { authorization: bearer(SECRETS.narrow), ...LOCAL },
    );
    expect(response.status).toBe(403);
    expect((await b.store.getToken('tok_narrow'))?.description).toBe('tok_narrow');
  });

  it('a token can revoke a token (narrowing only), and the record says which token did', async () => {
    const b = backend();
    const response = await b.call('/tokens/tok_narrow', {
      method: 'DELETE',
      headers: { authorization: bearer(SECRETS.narrow), ...LOCAL },
    });
    expect(response.status).toBe(204);
    expect(await records(b)).toEqual([
      expect.objectContaining({
        summary: 'API token deleted',
        details: expect.objectContaining({
          tokenId: 'tok_narrow',
          credential: { kind: 'token', tokenId: 'tok_narrow' },
        }),
      }),
    ]);
  });
});

describe('a person creates tokens, and the record says with which credential', () => {
  it('with their password (Basic): "API token created" records the password', async () => {
    const b = backend();
    const response = await create(b, basic('jdoe', TEST_PASSWORD));
    expect(response.status).toBe(201);
    expect((await records(b))[0]).toMatchObject({
      summary: 'API token created',
      author: { username: 'jdoe' },
      details: { credential: { kind: 'password' } },
    });
  });

  it('signed in to the console: "API token created" records the session', async () => {
    const b = createTestBackend({ as: 'jdoe' });
    const response = await b.json('POST', '/tokens', {
      description: 'From the console',
      scope: 'READ_ONLY',
      expiresAt: new Date(TEST_NOW.getTime() + 30 * 24 * HOUR).toISOString(),
      ipRestrictions: [],
    });
    expect(response.status).toBe(201);
    expect((await b.store.listAuditRecords({ limit: 1 })).items[0]?.details.credential).toEqual({
      kind: 'session',
    });
  });
});
