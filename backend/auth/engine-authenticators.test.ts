import { describe, expect, it } from 'vitest';
import type { PasswordCheck, PasswordSource } from '../http/context';
import { basic, bearer, createTestBackend, TEST_NOW, TEST_PASSWORD } from '../test/harness';
import { SECRETS, TOKENS, dataSet, backendWith, DEFAULT_IP, send, logEntries } from './engine-test-kit';

describe('a successful authentication', () => {
  it("writes both of the seed's log lines, the original one with the creation time in milliseconds", async () => {
    const backend = backendWith();
    await send(backend, { authorization: bearer(SECRETS.readWrite) });
    expect((await logEntries(backend)).map((e) => e.message)).toEqual([
      // newest first
      'Found a matching token "CI pipeline" with Read & Write scope and authenticated user jdoe. Token was created on Jan 6, 2026 2:14:46 PM. REST endpoint: /rest/api/2/myself',
      `Found a matching token for authenticating user jdoe, created on ${Date.parse('2026-01-06T14:14:46.000Z')}. REST endpoint: /rest/api/2/myself`,
    ]);
  });

  it.each([
    { scheme: 'Bearer', authorization: bearer(SECRETS.readWrite), token: TOKENS.readWrite },
    { scheme: 'Basic', authorization: basic('jdoe', SECRETS.readOnly), token: TOKENS.readOnly },
  ])('as $scheme updates the last used time and IP of the token', async ({ authorization, token }) => {
    const backend = backendWith();
    const response = await send(backend, { authorization, ip: '198.51.100.4' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      self: 'http://localhost/rest/api/2/user?username=jdoe',
      key: 'U3',
      name: 'jdoe',
      displayName: 'John Doe',
      emailAddress: 'jdoe@example.com',
      active: true,
    });
    expect(await backend.store.findTokenByHash(token.secretHash)).toMatchObject({
      id: token.id,
      lastUsedAt: TEST_NOW.toISOString(),
      lastUsedIp: '198.51.100.4',
    });
  });

  it('is not a use of the token when it is refused', async () => {
    const backend = backendWith();
    await send(backend, { authorization: bearer(SECRETS.officeOnly), ip: '203.0.113.10' });
    await send(backend, { authorization: bearer(SECRETS.expired) });
    expect(await backend.store.findTokenByHash(TOKENS.officeOnly.secretHash)).toMatchObject({
      lastUsedAt: null,
      lastUsedIp: null,
    });
    expect(await backend.store.findTokenByHash(TOKENS.expired.secretHash)).toMatchObject({
      lastUsedAt: null,
    });
  });
});

describe('the default authenticator (a regular password in Basic)', () => {
  /** A backend whose host check of passwords is recorded, and answers `answer`. */
  function withPasswordCheck(answer: PasswordCheck) {
    const checked: { username: string; password: string; source: PasswordSource }[] = [];
    const backend = createTestBackend({
      data: dataSet(),
      verifyPassword: (username, password, source) => {
        checked.push({ username, password, source });
        return Promise.resolve(answer);
      },
    });
    return { backend, checked };
  }

  it('asks the host to check the password of an unknown username too (it must cost what a wrong password costs)', async () => {
    const { backend, checked } = withPasswordCheck({ kind: 'invalid' });
    const response = await send(backend, { authorization: basic('nobody-by-this-name', 'guess') });
    expect(response.status).toBe(401);
    expect(checked).toEqual([
      {
        username: 'nobody-by-this-name',
        password: 'guess',
        source: expect.objectContaining({
          clientIp: DEFAULT_IP,
          method: 'GET',
          endpoint: '/rest/api/2/myself',
        }),
      },
    ]);
  });

  it('refuses a valid password of a username that does not exist', async () => {
    const { backend } = withPasswordCheck({ kind: 'valid' });
    expect((await send(backend, { authorization: basic('nobody-by-this-name', 'x') })).status).toBe(401);
  });

  it('answers 429 with Retry-After, unchecked, while the host locks the username or address', async () => {
    const { backend } = withPasswordCheck({ kind: 'locked', retryAfterSeconds: 75 });
    const response = await send(backend, { authorization: basic('jdoe', TEST_PASSWORD) });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('75');
    expect(await response.json()).toMatchObject({
      status: 429,
      detail: 'Too many failed sign-ins. Try again in 2 minutes.',
    });
  });
});
