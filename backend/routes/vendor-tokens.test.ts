import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type SettingsInput } from '../../contract/settings';
import { TokenPageSchema, TokenSchema } from '../../contract/tokens';
import { VENDOR_TOKEN_API_PATH, VendorCreatedTokenSchema } from '../../contract/vendor-tokens';
import type { Problem } from '../../contract/problem';
import { hashSecret } from '../auth/secrets';
import { fixtureData, fixtureToken } from '../test/fixtures';
import { bearer, createTestBackend, TEST_NOW } from '../test/harness';

const TOKENS = [
  fixtureToken({ id: 'tok_ci', description: 'CI pipeline' }),
  fixtureToken({ id: 'tok_report', description: 'Reporting dashboard', scope: 'READ_ONLY' }),
  fixtureToken({ id: 'tok_admin', ownerKey: 'U1', ownerUsername: 'admin', description: 'Admin backup' }),
];

/** A backend signed in to the console as `as`, with three tokens (two of jdoe's, one of admin's). */
function backend(as = 'admin', settings?: Partial<SettingsInput>) {
  const b = createTestBackend({ as, data: { ...fixtureData(), tokens: TOKENS }, settings });
  const vendor = (method: string, path: string, body?: unknown) =>
    b.app.request(`${VENDOR_TOKEN_API_PATH}${path}`, {
      method,
      ...(body !== undefined && {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    });
  const records = async () => (await b.store.listAuditRecords({ limit: 100 })).items;
  return { ...b, vendor, records };
}

describe("the vendor's token API (/rest/de.resolution.apitokenauth/latest)", () => {
  it('creates a token from the vendor’s fields, answers plainTextToken once, and audits it', async () => {
    const b = backend();
    const response = await b.vendor('POST', '/user/token', {
      tokenDescription: 'Deploy script',
      tokenValidityTimeInMonths: 3,
      tokenScope: 2,
    });
    expect(response.status).toBe(201);
    const created = VendorCreatedTokenSchema.parse(await response.json());
    expect(created).toMatchObject({
      description: 'Deploy script',
      scope: 'READ_WRITE',
      ownerUsername: 'admin',
      expiresAt: '2027-02-25T12:00:00.000Z',
    });
    // The secret authenticates, and is never stored.
    expect((await b.store.findTokenByHash(hashSecret(created.plainTextToken)))?.id).toBe(created.id);
    expect(
      (
        await b.app.request('/rest/api/2/myself', {
          headers: { authorization: bearer(created.plainTextToken) },
        })
      ).status,
    ).toBe(200);
    expect(await b.records()).toEqual([
      expect.objectContaining({
        summary: 'API token created',
        author: { username: 'admin', displayName: 'Alice Admin' },
        details: expect.objectContaining({
          tokenId: created.id,
          endpoint: `${VENDOR_TOKEN_API_PATH}/user/token`,
        }),
      }),
    ]);
  });

  it('takes an expiry date-time, Read Only by default, and a token for another user (Token Manager)', async () => {
    const b = backend();
    const response = await b.vendor('POST', '/user/token', {
      tokenDescription: 'For John',
      tokenExpirationDateTime: '2027-01-01T00:00:00Z',
      tokenForUserKey: 'U3',
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      ownerUsername: 'jdoe',
      createdBy: 'admin',
      scope: 'READ_ONLY',
      expiresAt: '2027-01-01T00:00:00.000Z',
    });
  });

  it('applies the same permissions and policy, naming the vendor’s fields', async () => {
    const user = backend('jdoe');
    const forOther = await user.vendor('POST', '/user/token', {
      tokenDescription: 'x',
      tokenForUserKey: 'U1',
    });
    expect(forOther.status).toBe(403);

    const mustExpire = backend('admin', {
      authentication: {
        ...DEFAULT_SETTINGS.authentication,
        tokenPolicy: {
          ...DEFAULT_SETTINGS.authentication.tokenPolicy,
          maxValidity: { unit: 'months', value: 6 },
        },
      },
    });
    const never = await mustExpire.vendor('POST', '/user/token', { tokenDescription: 'Forever' });
    expect(never.status).toBe(422);
    expect(((await never.json()) as Problem).errors).toEqual({
      tokenExpirationDateTime: expect.stringContaining('must expire'),
    });
    const tooLong = await mustExpire.vendor('POST', '/user/token', {
      tokenDescription: 'Long',
      tokenValidityTimeInMonths: 7,
    });
    expect(((await tooLong.json()) as Problem).errors).toEqual({
      tokenExpirationDateTime: expect.stringContaining('at most 6 months'),
    });

    const both = await mustExpire.vendor('POST', '/user/token', {
      tokenDescription: 'Both',
      tokenValidityTimeInMonths: 1,
      tokenExpirationDateTime: '2027-01-01T00:00:00Z',
    });
    expect(both.status).toBe(422);
    expect(((await both.json()) as Problem).errors).toHaveProperty('tokenExpirationDateTime');
    const blank = await mustExpire.vendor('POST', '/user/token', { tokenDescription: ' ', tokenScope: 3 });
    expect(Object.keys(((await blank.json()) as Problem).errors ?? {}).sort()).toEqual([
      'tokenDescription',
      'tokenScope',
    ]);
    expect(await mustExpire.records()).toEqual([]);
  });

  it('lists the caller’s own tokens', async () => {
    const response = await backend('jdoe').vendor('GET', '/user/token');
    expect(response.status).toBe(200);
    const tokens = TokenSchema.array().parse(await response.json());
    expect(tokens.map((t) => t.id).sort()).toEqual(['tok_ci', 'tok_report']);
  });

  it('changes a description and revokes a token, as the console API does (with their audit records)', async () => {
    const b = backend('jdoe');
    const patched = await b.vendor('PATCH', '/user/token/tok_ci', { tokenDescription: 'CI pipeline (new)' });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ id: 'tok_ci', description: 'CI pipeline (new)' });
    expect((await b.vendor('PATCH', '/user/token/tok_admin', { tokenDescription: 'Mine' })).status).toBe(404);

    expect((await b.vendor('DELETE', '/user/token/tok_ci')).status).toBe(204);
    expect(await b.store.getToken('tok_ci')).toBeUndefined();
    expect(await b.records()).toEqual([
      expect.objectContaining({
        summary: 'API token deleted',
        details: expect.objectContaining({ tokenId: 'tok_ci' }),
      }),
      expect.objectContaining({
        summary: 'API token updated',
        changedValues: [{ field: 'Description', from: 'CI pipeline', to: 'CI pipeline (new)' }],
      }),
    ]);
    expect((await b.vendor('DELETE', '/user/token/tok_admin')).status).toBe(404);
    expect(await b.store.getToken('tok_admin')).toBeDefined();
  });

  it('filters every user’s tokens for a Token Manager, and for nobody else', async () => {
    const b = backend();
    const filter = async (query: string) => {
      const response = await b.vendor('GET', `/tokensByFilter?${query}`);
      expect(response.status).toBe(200);
      return TokenPageSchema.parse(await response.json())
        .tokens.map((t) => t.id)
        .sort();
    };
    expect(await filter('')).toEqual(['tok_admin', 'tok_ci', 'tok_report']);
    expect(await filter('userFilter=jdoe')).toEqual(['tok_ci', 'tok_report']);
    expect(await filter('descriptionFilter=PIPE')).toEqual(['tok_ci']);
    expect(await filter('tokenScope=1')).toEqual(['tok_report']);
    expect(await filter('tokenScope=2&userFilter=admin')).toEqual(['tok_admin']);
    expect(await filter(`createdFrom=${TEST_NOW.toISOString()}`)).toEqual([]);
    expect(await filter('limit=1&page=2')).toHaveLength(1);
    expect((await b.vendor('GET', '/tokensByFilter?tokenScope=3')).status).toBe(400);
    expect((await b.vendor('GET', '/tokensByFilter?page=0')).status).toBe(400);
    expect((await backend('jdoe').vendor('GET', '/tokensByFilter')).status).toBe(403);
  });
});
