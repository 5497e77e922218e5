import { describe, expect, it, vi } from 'vitest';
import { BASE_PATH } from '../contract/api';
import { DEFAULT_SETTINGS, type AuditLoggingSettings, type SettingsInput } from '../contract/settings';
import { generateSecret, hashSecret } from './auth/secrets';
import { fixtureData, fixtureToken } from './test/fixtures';
import { basic, bearer, createTestBackend, TEST_NOW } from './test/harness';

describe('GET /myself', () => {
  it('answers the signed-in user with role and permissions', async () => {
    const { call } = createTestBackend({ as: 'auditor' });
    const response = await call('/myself');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      key: 'U2',
      username: 'auditor',
      displayName: 'Olga Auditor',
      role: 'auditor',
      permissions: ['settings:read', 'tokens:own', 'tokens:read', 'audit:read', 'logging:read'],
      groups: ['auditors'],
    });
  });

  it('answers 401 problem+json without a session', async () => {
    const { call } = createTestBackend({ as: null });
    const response = await call('/myself');
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 401, title: 'Unauthorized' });
  });
});

describe('the demo endpoints', () => {
  it('switch the account to another demo account', async () => {
    const { json, store } = createTestBackend();
    const response = await json('PUT', '/demo/session', { username: 'jdoe' });
    expect(response.status).toBe(204);
    expect(await store.getDemoSessionUsername()).toBe('jdoe');
  });

  it('refuse an account that is not a demo account, with a field error', async () => {
    const { json, store } = createTestBackend();
    const response = await json('PUT', '/demo/session', { username: 'mallory' });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ errors: { username: 'Choose one of the demo accounts.' } });
    expect(await store.getDemoSessionUsername()).toBe('admin');
  });

  it('refuse malformed JSON and a wrong content type', async () => {
    const { call } = createTestBackend();
    const malformed = await call('/demo/session', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"username":',
    });
    expect(malformed.status).toBe(400);
    const wrongType = await call('/demo/session', { method: 'PUT', body: 'username=jdoe' });
    expect(wrongType.status).toBe(415);
  });

  it('reset the demo data', async () => {
    const { call, resets } = createTestBackend();
    expect((await call('/demo/reset', { method: 'POST' })).status).toBe(204);
    expect(resets()).toBe(1);
  });
});

describe('errors', () => {
  it('answer an unknown endpoint with 404 problem+json', async () => {
    const { call } = createTestBackend();
    const response = await call('/nothing-here');
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('an answer and its audit records', () => {
  const SECRET = generateSecret();
  // Read Only: a read goes through, a write is refused.
  const token = fixtureToken({ id: 'T1', scope: 'READ_ONLY', secretHash: hashSecret(SECRET) });
  const audited = (options: Partial<AuditLoggingSettings>): Partial<SettingsInput> => ({
    auditLogging: { ...DEFAULT_SETTINGS.auditLogging, ...options },
  });
  const AUDITED_REQUESTS: [string, Partial<SettingsInput>, string, RequestInit][] = [
    ['a token created (always audited)', {}, `${BASE_PATH}/tokens`, createTokenRequest()],
    [
      'a token used (successful authentications audited)',
      audited({ successfulAuthentication: true }),
      '/rest/api/2/myself',
      { headers: { authorization: bearer(SECRET) } },
    ],
    [
      'a wrong token refused (failed bearer attempts audited)',
      {
        ...audited({ failedBearerAttempts: true }),
        authentication: { ...DEFAULT_SETTINGS.authentication, disableBearerWithOtherAuthenticators: true },
      },
      '/rest/api/2/myself',
      { headers: { authorization: bearer(generateSecret()) } },
    ],
    [
      'a wrong token passed on, then refused (failed verification audited)',
      audited({ failedVerification: true }),
      '/rest/api/2/myself',
      { headers: { authorization: bearer(generateSecret()) } },
    ],
    [
      'a Read Only refusal (permission denied audited)',
      audited({ permissionDenied: true }),
      '/rest/api/2/issue',
      { method: 'POST', headers: { authorization: basic('jdoe', SECRET) } },
    ],
  ];

  const backendWith = (settings: Partial<SettingsInput>) =>
    createTestBackend({ data: { ...fixtureData(), tokens: [token] }, settings });

  it.each(AUDITED_REQUESTS)(
    'goes out only once the store has stored the records of its request: %s',
    async (_name, settings, path, init) => {
      const backend = backendWith(settings);
      const append = backend.store.appendAuditRecords.bind(backend.store);
      const held: (() => void)[] = [];
      backend.store.appendAuditRecords = async (records) => {
        const stored = await append(records);
        await new Promise<void>((resolve) => held.push(resolve));
        return stored;
      };
      let answered = false;
      const response = Promise.resolve(backend.app.request(path, init)).then((r) => {
        answered = true;
        return r;
      });
      await new Promise((done) => setTimeout(done, 20));
      expect(held).toHaveLength(1);
      expect(answered).toBe(false);
      held[0]!();
      expect((await response).status).toBeLessThan(500);
    },
  );

  it.each(AUDITED_REQUESTS)(
    'is an error when the records could not be stored: %s',
    async (_name, settings, path, init) => {
      const backend = backendWith(settings);
      backend.store.appendAuditRecords = () => Promise.reject(new Error('disk full'));
      const reported = vi.spyOn(console, 'error').mockImplementation(() => {});
      const response = await backend.app.request(path, init);
      expect(response.status).toBe(500);
      expect(await response.text()).not.toContain('disk full');
      // The server's own output says what happened.
      expect(reported).toHaveBeenCalledWith(
        'Unhandled backend error',
        expect.objectContaining({ message: 'disk full' }),
      );
      reported.mockRestore();
    },
  );
});

/** POST /tokens as the signed-in administrator: a Read Only token for jdoe, expiring in a week. */
function createTokenRequest(): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      description: 'Audited',
      scope: 'READ_ONLY',
      expiresAt: new Date(TEST_NOW.getTime() + 7 * 86_400_000).toISOString(),
      ipRestrictions: [],
      ownerKey: 'U3',
    }),
  };
}
