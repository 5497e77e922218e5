// @vitest-environment node
/**
 * The real server end to end, through real HTTP on loopback (see test/harness.ts), on SQLite and on
 * PostgreSQL: signing in, CSRF, settings and API tokens.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Settings } from '../contract/settings';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from './app';
import {
  api,
  auditRecords,
  basic,
  bearer,
  call,
  changeSettings,
  CookieJar,
  createToken,
  csrfCookieLine,
  ifMatchOf,
  myTokens,
  NODE_ID,
  sessionCookieLine,
  signIn,
  startServer,
  withoutMsw,
} from './test/harness';
import { describeOnEachDatabase, direct, proxied } from './test/servers-on-each-database';

withoutMsw();

describeOnEachDatabase((database) => {
  describe('sign-in', () => {
    it('refuses a wrong password with 401 problem+json "Wrong username or password." and sets no cookie', async () => {
      const response = await call(direct, api('/session'), {
        method: 'POST',
        json: { username: 'admin', password: 'not-the-password' },
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toMatchObject({ status: 401, detail: 'Wrong username or password.' });
      expect(response.headers.getSetCookie()).toEqual([]);

      // An unknown user gets the same answer.
      const unknown = await call(direct, api('/session'), {
        method: 'POST',
        json: { username: 'nobody', password: 'admin-pw' },
      });
      expect(unknown.status).toBe(401);
      expect(await unknown.json()).toMatchObject({ detail: 'Wrong username or password.' });
    });

    it('signs in with the right password (HttpOnly SameSite=Strict session cookie, no Secure on http), /myself works, sign-out ends it', async () => {
      const jar = await signIn(direct);
      expect(jar.cookies.has(SESSION_COOKIE)).toBe(true);
      expect(jar.cookies.has(CSRF_COOKIE)).toBe(true);
      const session = sessionCookieLine(jar);
      expect(session).toMatch(/;\s*HttpOnly/i);
      expect(session).toMatch(/;\s*SameSite=Strict/i);
      expect(session).not.toMatch(/;\s*Secure/i);
      // The CSRF cookie is readable by the console's script (not HttpOnly), and also SameSite=Strict.
      expect(csrfCookieLine(jar)).not.toMatch(/HttpOnly/i);
      expect(csrfCookieLine(jar)).toMatch(/;\s*SameSite=Strict/i);

      const myself = await call(direct, api('/myself'), { jar });
      expect(myself.status).toBe(200);
      expect(await myself.json()).toMatchObject({ username: 'admin', role: 'admin' });

      const copy = new CookieJar();
      for (const [name, value] of jar.cookies) copy.cookies.set(name, value);
      // Without the CSRF token (what a forged cross-site request would lack), the session stays.
      const forged = await call(direct, api('/session'), { method: 'DELETE', jar });
      expect(forged.status).toBe(403);
      expect((await call(direct, api('/myself'), { jar })).status).toBe(200);

      const signOut = await call(direct, api('/session'), { method: 'DELETE', jar, csrf: true });
      expect(signOut.status).toBe(204);
      expect(jar.cookies.size).toBe(0);
      // Even a client that kept the old cookie is signed out: the session is gone on the server.
      const after = await call(direct, api('/myself'), { jar: copy });
      expect(after.status).toBe(401);
      expect(after.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });

    it('does not make cookies Secure for an X-Forwarded-Proto: https from a client that is not a trusted proxy', async () => {
      const jar = new CookieJar();
      const response = await call(direct, api('/session'), {
        method: 'POST',
        jar,
        json: { username: 'admin', password: 'admin-pw' },
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(response.status).toBe(204);
      expect(sessionCookieLine(jar)).not.toMatch(/;\s*Secure/i);
    });

    it('makes both cookies Secure for an https request through a trusted proxy (X-Forwarded-Proto: https)', async () => {
      const jar = new CookieJar();
      const response = await call(proxied, api('/session'), {
        method: 'POST',
        jar,
        json: { username: 'admin', password: 'admin-pw' },
        headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' },
      });
      expect(response.status).toBe(204);
      expect(sessionCookieLine(jar)).toMatch(/;\s*Secure/i);
      expect(csrfCookieLine(jar)).toMatch(/;\s*Secure/i);
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    });

    it('makes both cookies Secure, and sends HSTS, for a request that came in over HTTPS', async () => {
      const response = await direct.app.request(`https://tokens.example.com${api('/session')}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: 'admin-pw' }),
      });
      expect(response.status).toBe(204);
      const cookies = response.headers.getSetCookie();
      expect(cookies).toHaveLength(2);
      for (const cookie of cookies) expect(cookie).toMatch(/;\s*Secure/i);
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    });

    it('does not believe a client-sent x-atc-socket-address on sign-in', async () => {
      const other = await startServer(['10.0.0.1'], undefined, { database });
      try {
        const jar = new CookieJar();
        const response = await call(other, api('/session'), {
          method: 'POST',
          jar,
          json: { username: 'admin', password: 'admin-pw' },
          headers: { 'x-forwarded-proto': 'https', 'x-atc-socket-address': '10.0.0.1' },
        });
        expect(response.status).toBe(204);
        expect(sessionCookieLine(jar)).not.toMatch(/;\s*Secure/i);
        expect(response.headers.get('strict-transport-security')).toBeNull();
      } finally {
        await other.close();
      }
    });
  });

  describe('CSRF', () => {
    it('refuses a cookie-authenticated PUT /settings without the CSRF header or with a wrong one (403), accepts the right one', async () => {
      const jar = await signIn(direct);
      const current = await call(direct, api('/settings'), { jar });
      const etag = ifMatchOf(current);
      const { version, updatedAt: _a, updatedBy: _b, ...input } = (await current.json()) as Settings;
      input.authentication.rateLimit.requestsPerMinute = 601;

      const put = (headers: Record<string, string>) =>
        call(direct, api('/settings'), {
          method: 'PUT',
          jar,
          json: input,
          headers: { 'if-match': etag, ...headers },
        });

      const without = await put({});
      expect(without.status).toBe(403);
      expect(without.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const wrong = await put({ [CSRF_HEADER]: 'not-the-token' });
      expect(wrong.status).toBe(403);
      // Nothing was saved by the refused requests.
      const unchanged = (await (await call(direct, api('/settings'), { jar })).json()) as Settings;
      expect(unchanged.version).toBe(version);

      const right = await put({ [CSRF_HEADER]: jar.cookies.get(CSRF_COOKIE) ?? '' });
      expect(right.status).toBe(200);
      const saved = (await right.json()) as Settings;
      expect(saved.version).toBe(version + 1);
      expect(saved.authentication.rateLimit.requestsPerMinute).toBe(601);
    });

    it('refuses a cookie-authenticated token creation without the CSRF header', async () => {
      const jar = await signIn(direct);
      const response = await call(direct, api('/tokens'), {
        method: 'POST',
        jar,
        json: { description: 'no csrf', scope: 'READ_ONLY', expiresAt: null, ipRestrictions: [] },
      });
      expect(response.status).toBe(403);
    });
  });

  describe('settings over HTTP', () => {
    it('saves the settings with the ETag its GET answered (a browser accepts gzip)', async () => {
      const jar = await signIn(direct);
      const browser = { 'accept-encoding': 'gzip, deflate, br, zstd' };
      const current = await call(direct, api('/settings'), { jar, headers: browser });
      const etag = current.headers.get('etag') ?? '';
      const { version: _v, updatedAt: _a, updatedBy: _b, ...input } = (await current.json()) as Settings;
      const saved = await call(direct, api('/settings'), {
        method: 'PUT',
        jar,
        csrf: true,
        json: input,
        headers: { ...browser, 'if-match': etag },
      });
      expect(saved.status).toBe(200);
    });
  });

  describe('API tokens', () => {
    let jar: CookieJar;
    beforeAll(async () => {
      jar = await signIn(direct);
    });

    it('authenticates a new token in both schemes (Bearer, Basic admin:secret) on the protected resource and the console API', async () => {
      const { token, secret } = await createToken(direct, jar, { description: 'CI both schemes' });
      expect(secret).toMatch(/^atc_[0-9A-Za-z]{40}$/);
      expect(token).toMatchObject({ ownerUsername: 'admin', scope: 'READ_WRITE', lastUsedAt: null });

      for (const headers of [bearer(secret), basic('admin', secret)]) {
        const response = await call(direct, '/rest/api/2/myself', { headers });
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ key: 'admin', name: 'admin' });
      }
      // The console API accepts the token as well, with no cookie at all.
      const consoleApi = await call(direct, api('/myself'), { headers: bearer(secret) });
      expect(consoleApi.status).toBe(200);
      expect(await consoleApi.json()).toMatchObject({ username: 'admin' });
      // A token write to the console API needs no CSRF token (it is not a cookie session).
      const settings = await call(direct, api('/settings'), { headers: bearer(secret) });
      expect(settings.status).toBe(200);

      // The protected resource wants credentials: a session cookie alone is not enough.
      expect((await call(direct, '/rest/api/2/myself', { jar })).status).toBe(401);
      // Basic with another user's name is not this token.
      expect((await call(direct, '/rest/api/2/myself', { headers: basic('auditor', secret) })).status).toBe(
        401,
      );
    });

    it('answers a write with a Read Only token 403 and records "Permission denied" when that option is on', async () => {
      await changeSettings(direct, jar, (s) => {
        s.auditLogging.permissionDenied = true;
      });
      const { token, secret } = await createToken(direct, jar, {
        description: 'Read only reporter',
        scope: 'READ_ONLY',
      });

      const read = await call(direct, '/rest/api/2/myself', { headers: bearer(secret) });
      expect(read.status).toBe(200);
      const write = await call(direct, '/rest/api/2/issue', {
        method: 'POST',
        headers: bearer(secret),
        json: { fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: 'x' } },
      });
      expect(write.status).toBe(403);
      expect(write.headers.get('content-type')).toMatch(/^application\/problem\+json/);

      const records = await auditRecords(direct, jar, { summary: 'Permission denied', object: token.id });
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        summary: 'Permission denied',
        author: { username: null, displayName: 'Anonymous' },
        source: { clientIp: '127.0.0.1', proxyIp: null, nodeId: NODE_ID, method: 'POST' },
        details: {
          tokenId: token.id,
          scope: 'READ_ONLY',
          endpoint: '/rest/api/2/issue',
          reason: 'READ_ONLY_SCOPE',
          username: 'admin',
        },
      });

      // A Read & Write token may write.
      const { secret: writer } = await createToken(direct, jar, { description: 'Writer' });
      const created = await call(direct, '/rest/api/2/issue', {
        method: 'POST',
        headers: bearer(writer),
        json: { fields: { project: { key: 'DEMO' }, issuetype: { name: 'Task' }, summary: 'x' } },
      });
      expect(created.status).toBe(201);
    });

    it('refuses a wrong token with passwords disabled (401) and records a failed basic authentication attempt', async () => {
      await changeSettings(direct, jar, (s) => {
        s.authentication.disableBasicAuthWithPasswords = true;
        s.auditLogging.failedBasicAttempts = true;
      });
      try {
        const wrongSecret = 'atc_' + 'x'.repeat(40);
        const response = await call(direct, '/rest/api/2/myself', { headers: basic('admin', wrongSecret) });
        expect(response.status).toBe(401);
        // With passwords disabled even the right password is refused.
        const password = await call(direct, '/rest/api/2/myself', { headers: basic('admin', 'admin-pw') });
        expect(password.status).toBe(401);

        const records = await auditRecords(direct, jar, {
          summary: 'Failed API token basic authentication attempt',
        });
        expect(records.length).toBeGreaterThanOrEqual(2);
        expect(records.at(-1)).toMatchObject({
          summary: 'Failed API token basic authentication attempt',
          source: { clientIp: '127.0.0.1', method: 'GET' },
          details: { endpoint: '/rest/api/2/myself', reason: 'WRONG_TOKEN', username: 'admin' },
        });
      } finally {
        await changeSettings(direct, jar, (s) => {
          s.authentication.disableBasicAuthWithPasswords = false;
        });
      }
      // The gate is open again: its dependent audit option was turned off in the same save.
      const settings = (await (await call(direct, api('/settings'), { jar })).json()) as Settings;
      expect(settings.auditLogging.failedBasicAttempts).toBe(false);
    });

    it('refuses a revoked token (DELETE /tokens/{id}) with 401 and records the deletion with the token id', async () => {
      const { token, secret } = await createToken(direct, jar, { description: 'Soon revoked' });
      expect((await call(direct, '/rest/api/2/myself', { headers: bearer(secret) })).status).toBe(200);

      const revoke = await call(direct, api(`/tokens/${token.id}`), { method: 'DELETE', jar, csrf: true });
      expect(revoke.status).toBe(204);

      for (const headers of [bearer(secret), basic('admin', secret)]) {
        expect((await call(direct, '/rest/api/2/myself', { headers })).status).toBe(401);
      }
      expect((await myTokens(direct, jar)).some((t) => t.id === token.id)).toBe(false);
      const deleted = await auditRecords(direct, jar, { summary: 'API token deleted', object: token.id });
      expect(deleted).toHaveLength(1);
      expect(deleted[0]?.details.tokenId).toBe(token.id);
      const createdRecords = await auditRecords(direct, jar, {
        summary: 'API token created',
        object: token.id,
      });
      expect(createdRecords).toHaveLength(1);
    });
  });
});
