// @vitest-environment node
/**
 * The real server end to end, through real HTTP on loopback (see test/harness.ts), on SQLite and on
 * PostgreSQL. Brute-force detection, which keeps its counters in memory, runs on SQLite only.
 */
import { readFileSync, appendFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEntry } from '../contract/logging';
import type { Settings } from '../contract/settings';
import { ensureFirstStart } from './accounts';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from './app';
import { verifyPassword } from './passwords';
import { openServerStore } from './store/open';
import {
  api,
  AUTH_SERVICE_LOGGER,
  auditRecords,
  basic,
  bearer,
  call,
  changeSettings,
  CookieJar,
  createToken,
  csrfCookieLine,
  DATABASES,
  ifMatchOf,
  myTokens,
  NODE_ID,
  PASSWORDS,
  sessionCookieLine,
  signIn,
  startServer,
  storedBytes,
  withoutMsw,
  type RunningServer,
} from './test/harness';
import { createTestDatabase } from './test/postgres';

// ---------------------------------------------------------------------------------------------
// Two servers: one that trusts no proxy (clients connect directly), one behind a trusted proxy on
// loopback (every request of this file comes from 127.0.0.1).

let direct: RunningServer;
let proxied: RunningServer;

withoutMsw();

describe.each(DATABASES)('on %s', (database) => {
  beforeAll(async () => {
    [direct, proxied] = await Promise.all([
      startServer([], undefined, { database }),
      startServer(['127.0.0.1'], undefined, { database }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([direct?.close(), proxied?.close()]);
  });

  // ---------------------------------------------------------------------------------------------

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

  describe('log file', () => {
    /** The seed's ConversionPattern: %d{yyyy-MM-dd HH:mm:ss,SSSZ} %t %p user ip url [%c] %m */
    const LINE =
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}\+0000 (\S+) (INFO|WARN|ERROR|DEBUG|TRACE|FATAL) (\S+) (\S+) (\S+) \[([^\]]+)\] (.*)$/;

    it('gets the successful-authentication lines in the seed format, and GET /logging/entries reads them back from the file', async () => {
      const jar = await signIn(direct);
      const description = `Log line check ${Date.now()}`;
      const { token, secret } = await createToken(direct, jar, { description });
      expect((await call(direct, '/rest/api/2/myself', { headers: bearer(secret) })).status).toBe(200);

      const lines = readFileSync(direct.logPath, 'utf8').trimEnd().split('\n');
      const ours = lines.filter(
        (line) =>
          line.includes(`"${description}"`) || line.includes(`created on ${Date.parse(token.createdAt)}.`),
      );
      expect(ours).toHaveLength(2);
      for (const line of ours) {
        const m = LINE.exec(line);
        expect(m, line).not.toBeNull();
        const [, thread, level, username, clientIp, url, logger] = m!;
        expect(thread).toMatch(/^http-nio-8080-exec-\d+$/);
        expect({ level, username, clientIp, url, logger }).toEqual({
          level: 'INFO',
          username: 'admin',
          clientIp: '127.0.0.1',
          url: '/rest/api/2/myself',
          logger: AUTH_SERVICE_LOGGER,
        });
      }
      expect(ours[0]).toMatch(
        new RegExp(
          `\\] Found a matching token for authenticating user admin, created on ${Date.parse(token.createdAt)}\\. REST endpoint: /rest/api/2/myself$`,
        ),
      );
      expect(ours[1]).toMatch(
        /\] Found a matching token "Log line check \d+" with Read & Write scope and authenticated user admin\. Token was created on [A-Z][a-z]{2} \d{1,2}, \d{4} \d{1,2}:\d{2}:\d{2} [AP]M\. REST endpoint: \/rest\/api\/2\/myself$/,
      );

      const response = await call(
        direct,
        api(`/logging/entries?${new URLSearchParams({ q: description })}`),
        {
          jar,
        },
      );
      expect(response.status).toBe(200);
      const { entries } = (await response.json()) as { entries: LogEntry[] };
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        level: 'INFO',
        logger: AUTH_SERVICE_LOGGER,
        node: NODE_ID,
        username: 'admin',
        clientIp: '127.0.0.1',
        url: '/rest/api/2/myself',
        message: ours[1]!.slice(ours[1]!.indexOf('] ') + 2),
      });

      // What the tab shows is the file: a line written to it by someone else is listed too.
      const foreign =
        '2026-01-02 03:04:05,678+0000 main WARN - - - [de.resolution.apitokenauth] Written straight into the file';
      appendFileSync(direct.logPath, `${foreign}\n`);
      const reread = await call(direct, api('/logging/entries?q=straight%20into%20the%20file'), { jar });
      const { entries: foreignEntries } = (await reread.json()) as { entries: LogEntry[] };
      expect(foreignEntries).toEqual([
        expect.objectContaining({
          timestamp: '2026-01-02T03:04:05.678Z',
          level: 'WARN',
          logger: 'de.resolution.apitokenauth',
          thread: 'main',
          message: 'Written straight into the file',
        }),
      ]);
    });

    it('keeps a level set on the Logging page until the restart, which starts with the configured levels again', async () => {
      const first = await startServer([], undefined, { database });
      let second: RunningServer | undefined;
      try {
        const jar = await signIn(first);
        const loggerPath = api(`/logging/loggers/${AUTH_SERVICE_LOGGER}`);
        const set = await call(first, loggerPath, {
          method: 'PUT',
          jar,
          csrf: true,
          json: { level: 'OFF', revertAfter: '4h' },
        });
        expect(set.status).toBe(200);
        const { secret } = await createToken(first, jar, { description: 'Restart check' });
        expect((await call(first, '/rest/api/2/myself', { headers: bearer(secret) })).status).toBe(200);
        const silenced = await call(first, api('/logging/entries?q=Restart%20check'), { jar });
        expect(((await silenced.json()) as { entries: LogEntry[] }).entries).toEqual([]);
        await first.close({ keepData: true });

        second = await startServer([], first);
        const jarAgain = await signIn(second);
        const loggers = (await (await call(second, api('/logging/loggers'), { jar: jarAgain })).json()) as {
          loggers: { name: string; revertAt: string | null; nodes: { configuredLevel: string | null }[] }[];
        };
        expect(loggers.loggers.find((l) => l.name === AUTH_SERVICE_LOGGER)).toMatchObject({
          revertAt: null,
          nodes: [{ configuredLevel: null }],
        });
        // The configuration's INFO is back: the token's next use is logged.
        expect((await call(second, '/rest/api/2/myself', { headers: bearer(secret) })).status).toBe(200);
        const logged = await call(second, api('/logging/entries?q=Restart%20check'), { jar: jarAgain });
        expect(((await logged.json()) as { entries: LogEntry[] }).entries).toHaveLength(1);
        // The auditor sees why: the start changed the level back.
        const [record] = await auditRecords(second, jarAgain, { category: 'Logging', limit: '1' });
        expect(record).toMatchObject({
          author: { username: null, displayName: 'Server start (logging configuration)' },
          summary: 'Log level changed',
          affectedObjects: [{ id: AUTH_SERVICE_LOGGER }],
          changedValues: [{ field: 'Level', from: 'OFF', to: 'inherited' }],
        });
      } finally {
        await (second ?? first).close();
      }
    });

    it('answers /health again and again while Log entries reads a 48 MiB run without newlines, and pages past it', async () => {
      const server = await startServer([], undefined, { database });
      try {
        const jar = await signIn(server);
        appendFileSync(server.logPath, Buffer.alloc(48 * 1024 * 1024, 'x'));
        appendFileSync(server.logPath, '\n');
        let reading = true;
        const firstPage = call(server, api('/logging/entries?limit=10'), { jar }).finally(
          () => (reading = false),
        );
        let healthAnswers = 0;
        while (reading) {
          expect((await call(server, '/health')).status).toBe(200);
          healthAnswers++;
        }
        const page = (await (await firstPage).json()) as { entries: LogEntry[]; nextCursor: string | null };
        // The page ended at its byte budget, inside the run; the next one reads the rest.
        expect(page.nextCursor).not.toBeNull();
        const rest = await call(server, api(`/logging/entries?limit=10&cursor=${page.nextCursor}`), { jar });
        expect(rest.status).toBe(200);
        // Each /health waited for at most one chunk's read, never for the whole request.
        expect(healthAnswers).toBeGreaterThanOrEqual(3);
      } finally {
        await server.close();
      }
    });
  });

  describe('security', () => {
    function expectSecurityHeaders(response: Response) {
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBeTruthy();
    }

    it('sends the security headers on every kind of response', async () => {
      const jar = await signIn(direct);
      const responses = await Promise.all([
        call(direct, '/health'),
        call(direct, api('/health')),
        call(direct, api('/myself'), { jar }),
        call(direct, api('/myself')),
        call(direct, '/rest/api/2/myself'),
        call(direct, api('/no-such-endpoint')),
        call(direct, '/not-an-api-path'),
        call(direct, api('/session'), { method: 'POST', json: { username: 'admin', password: 'wrong' } }),
        call(direct, api('/session'), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: 'x'.repeat(70 * 1024),
        }),
      ]);
      expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 401, 401, 404, 404, 401, 413]);
      for (const response of responses) expectSecurityHeaders(response);
    });

    it('refuses a body over 64 KiB with 413, with a Content-Length and chunked', async () => {
      const big = JSON.stringify({ username: 'admin', password: 'p'.repeat(65 * 1024) });
      const withLength = await call(direct, api('/session'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: big,
      });
      expect(withLength.status).toBe(413);
      expect(withLength.headers.get('content-type')).toMatch(/^application\/problem\+json/);

      const bytes = new TextEncoder().encode(big);
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.length; i += 8192) controller.enqueue(bytes.slice(i, i + 8192));
          controller.close();
        },
      });
      const chunked = await fetch(`${direct.base}${api('/session')}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      expect(chunked.status).toBe(413);
      // A body just under the limit is read (and here refused for its content, not its size).
      const fits = await call(direct, api('/session'), {
        method: 'POST',
        json: { username: 'admin', password: 'p'.repeat(60 * 1024) },
      });
      expect(fits.status).not.toBe(413);
    });

    it('answers malformed JSON with 400 problem+json and no stack trace', async () => {
      for (const path of [api('/session'), api('/tokens')]) {
        const jar = path.endsWith('/tokens') ? await signIn(direct) : undefined;
        const response = await call(direct, path, {
          method: 'POST',
          jar,
          csrf: true,
          headers: { 'content-type': 'application/json' },
          body: '{"username": "admin", "password": ',
        });
        expect(response.status).toBe(400);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        const text = await response.text();
        expect(JSON.parse(text)).toMatchObject({ status: 400, title: 'Bad Request' });
        expect(text).not.toMatch(/SyntaxError|\bat .+:\d+:\d+|node_modules|\.ts\b/);
      }
    });

    it('answers an unknown API path with 404 problem+json', async () => {
      for (const path of [api('/no-such-endpoint'), '/rest/api/2/no-such-resource']) {
        const response = await call(direct, path);
        expect(response.status).toBe(404);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(await response.json()).toMatchObject({ status: 404, title: 'Not Found' });
      }
    });
  });

  describe('trusted proxies', () => {
    it('ignores X-Forwarded-For when no proxy is trusted (the client IP is the socket address)', async () => {
      const jar = await signIn(direct);
      await changeSettings(direct, jar, (s) => {
        s.auditLogging.successfulAuthentication = true;
      });
      try {
        const { token, secret } = await createToken(direct, jar, { description: 'Direct client' });
        const response = await call(direct, '/rest/api/2/myself', {
          headers: { ...bearer(secret), 'x-forwarded-for': '198.51.100.7, 203.0.113.9' },
        });
        expect(response.status).toBe(200);

        const listed = (await myTokens(direct, jar)).find((t) => t.id === token.id);
        expect(listed?.lastUsedIp).toBe('127.0.0.1');
        const [record] = await auditRecords(direct, jar, {
          summary: 'Successful authentication',
          object: token.id,
        });
        expect(record?.source).toMatchObject({ clientIp: '127.0.0.1', proxyIp: null });
      } finally {
        await changeSettings(direct, jar, (s) => {
          s.auditLogging.successfulAuthentication = false;
        });
      }
    });

    it('uses the last X-Forwarded-For entry behind a trusted proxy (and records the proxy address)', async () => {
      const jar = await signIn(proxied);
      await changeSettings(proxied, jar, (s) => {
        s.auditLogging.successfulAuthentication = true;
      });
      const { token, secret } = await createToken(proxied, jar, { description: 'Behind the proxy' });
      const response = await call(proxied, '/rest/api/2/myself', {
        headers: { ...bearer(secret), 'x-forwarded-for': '198.51.100.7, 203.0.113.9' },
      });
      expect(response.status).toBe(200);

      const listed = (await myTokens(proxied, jar)).find((t) => t.id === token.id);
      expect(listed?.lastUsedIp).toBe('203.0.113.9');
      const [record] = await auditRecords(proxied, jar, {
        summary: 'Successful authentication',
        object: token.id,
      });
      expect(record?.source).toMatchObject({
        clientIp: '203.0.113.9',
        proxyIp: '127.0.0.1',
        nodeId: NODE_ID,
      });
      // The audit filter finds it by the client address and by the proxy address.
      expect(await auditRecords(proxied, jar, { ip: '203.0.113.0/24', object: token.id })).toHaveLength(1);
      expect(
        await auditRecords(proxied, jar, {
          ip: '127.0.0.1',
          summary: 'Successful authentication',
          object: token.id,
        }),
      ).toHaveLength(1);
      // The log line names both, as the seed's ipaddr column does ("client,proxy").
      const log = readFileSync(proxied.logPath, 'utf8');
      expect(log).toMatch(/ INFO admin 203\.0\.113\.9,127\.0\.0\.1 \/rest\/api\/2\/myself \[/);

      // Without the header the proxy's own address is the client.
      await call(proxied, '/rest/api/2/myself', { headers: bearer(secret) });
      expect((await myTokens(proxied, jar)).find((t) => t.id === token.id)?.lastUsedIp).toBe('127.0.0.1');
    });

    it('does not let a client name its own socket address (x-atc-socket-address is replaced)', async () => {
      const jar = await signIn(direct);
      const { token, secret } = await createToken(direct, jar, { description: 'Spoofing client' });
      await call(direct, '/rest/api/2/myself', {
        headers: { ...bearer(secret), 'x-atc-socket-address': '10.1.2.3', 'x-forwarded-for': '10.9.9.9' },
      });
      expect((await myTokens(direct, jar)).find((t) => t.id === token.id)?.lastUsedIp).toBe('127.0.0.1');
    });
  });

  describe('token secrets', () => {
    it('appear only in the creation response: not in the log file, the database or any later API response', async () => {
      const jar = await signIn(direct);
      await changeSettings(direct, jar, (s) => {
        s.auditLogging.successfulAuthentication = true;
        s.auditLogging.failedVerification = true;
      });
      const { token, secret } = await createToken(direct, jar, { description: 'Secret keeper' });
      const body = secret.slice('atc_'.length);

      // Use it every way there is, successful and not.
      await call(direct, '/rest/api/2/myself', { headers: bearer(secret) });
      await call(direct, '/rest/api/2/myself', { headers: basic('admin', secret) });
      await call(direct, '/rest/api/2/myself', { headers: basic('auditor', secret) });
      await call(direct, '/rest/api/2/myself', { headers: bearer(`${secret}x`) });
      await call(direct, api('/myself'), { headers: bearer(secret) });

      const texts: [string, string][] = [];
      for (const path of [
        api('/tokens'),
        api(`/tokens?all=true`),
        api('/audit/records?limit=1000'),
        api('/audit/export?format=csv'),
        api('/audit/export?format=jsonl'),
        api('/logging/entries?limit=500'),
        api('/logging/loggers'),
        api('/settings'),
        api('/myself'),
      ]) {
        const response = await call(direct, path, { jar });
        expect(response.status, path).toBe(200);
        texts.push([path, await response.text()]);
      }
      // The audit log knows the token (by id), not its secret.
      expect(texts.find(([path]) => path.includes('/audit/records'))?.[1]).toContain(token.id);
      texts.push(['log file', readFileSync(direct.logPath, 'utf8')]);
      for (const [where, text] of texts) {
        expect(text.includes(body), `the secret is in ${where}`).toBe(false);
      }

      const stored = await storedBytes(direct);
      expect(stored.length).toBeGreaterThan(0);
      for (const [where, bytes] of stored) {
        expect(bytes.includes(Buffer.from(body, 'utf8')), `the secret is in ${where}`).toBe(false);
        expect(bytes.includes(Buffer.from(body, 'utf16le')), `the secret is in ${where} (UTF-16)`).toBe(
          false,
        );
      }
    });
  });

  describe('first start', () => {
    it('creates three accounts with scrypt hashes, returns generated passwords, and does nothing the second time', async () => {
      const store = await openServerStore(database === 'SQLite' ? ':memory:' : await createTestDatabase(), [
        NODE_ID,
      ]);
      try {
        const created = await ensureFirstStart(store, {});
        expect(created.map((a) => a.username)).toEqual(['admin', 'auditor', 'user']);
        expect((await store.listUsers()).map((u) => [u.username, u.role])).toEqual([
          ['admin', 'admin'],
          ['auditor', 'auditor'],
          ['user', 'user'],
        ]);
        const hashes = new Map<string, string | null>();
        for (const account of created) {
          expect(account.generated).toBe(true);
          expect(account.password).toMatch(/^[A-Za-z0-9]{20}$/);
          const hash = await store.getPasswordHash(account.username);
          expect(hash?.startsWith('scrypt$')).toBe(true);
          expect(hash).not.toContain(account.password);
          expect(await verifyPassword(account.password, hash!)).toBe(true);
          expect(await verifyPassword(`${account.password}x`, hash!)).toBe(false);
          hashes.set(account.username, hash);
        }
        expect(new Set(created.map((a) => a.password)).size).toBe(3);
        expect(await ensureFirstStart(store, PASSWORDS)).toEqual([]);
        expect(await store.listUsers()).toHaveLength(3);
        for (const [username, hash] of hashes) expect(await store.getPasswordHash(username)).toBe(hash);
      } finally {
        await store.close();
      }
    });

    it('takes the passwords from the environment when they are given', async () => {
      const store = await openServerStore(database === 'SQLite' ? ':memory:' : await createTestDatabase(), [
        NODE_ID,
      ]);
      try {
        const created = await ensureFirstStart(store, { ATC_ADMIN_PASSWORD: 'admin-pw' });
        expect(created.map((a) => [a.username, a.generated])).toEqual([
          ['admin', false],
          ['auditor', true],
          ['user', true],
        ]);
        expect(await verifyPassword('admin-pw', (await store.getPasswordHash('admin'))!)).toBe(true);
      } finally {
        await store.close();
      }
    });
  });
});

describe('brute-force detection of passwords (console sign-in and Basic with a password)', () => {
  /** A server of its own (its lockouts stay in it), with a clock the test moves on. */
  async function serverWithClock() {
    let offset = 0;
    const server = await startServer([], undefined, { now: () => new Date(Date.now() + offset) });
    return { server, advance: (ms: number) => (offset += ms) };
  }
  const signInAs = (server: RunningServer, username: string, password: string) =>
    call(server, api('/session'), { method: 'POST', json: { username, password } });

  it('locks a username after 5 wrong sign-ins: 429 with Retry-After even for the right password, then lets it in; every step audited', async () => {
    const { server, advance } = await serverWithClock();
    try {
      for (let i = 0; i < 5; i++) expect((await signInAs(server, 'user', `wrong-${i}`)).status).toBe(401);
      const locked = await signInAs(server, 'user', 'user-pw');
      expect(locked.status).toBe(429);
      expect(locked.headers.get('content-type')).toBe('application/problem+json');
      // A minute from the fifth failure (a slow machine may have used a second or two of it).
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(50);
      expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      expect(await locked.json()).toMatchObject({
        status: 429,
        detail: expect.stringMatching(/^Too many failed sign-ins\. Try again in (1 minute|5\d seconds)\.$/),
      });
      expect(locked.headers.getSetCookie()).toEqual([]);

      advance(60_000);
      expect((await signInAs(server, 'user', 'user-pw')).status).toBe(204);

      const jar = await signIn(server, 'auditor', 'auditor-pw');
      const records = await auditRecords(server, jar, { category: 'Sign-in', limit: '100' });
      expect(records.map((r) => [r.summary, r.author.displayName, r.details.username])).toEqual([
        ['User signed in', 'Auditor', 'auditor'],
        ['User signed in', 'Regular User', 'user'],
        ['Sign-in temporarily locked', 'Brute-force detection', 'user'],
        ...Array.from({ length: 5 }, () => ['Sign-in failed', 'Anonymous', 'user']),
      ]);
      expect(records[2]).toMatchObject({
        category: 'Sign-in',
        affectedObjects: [{ type: 'user', name: 'user' }],
        changedValues: [{ field: 'Sign-ins of this user locked until', from: null }],
        source: { clientIp: '127.0.0.1', method: 'POST' },
        details: { reason: 'TOO_MANY_FAILURES', endpoint: api('/session') },
      });
      expect(records.at(-1)!.details.reason).toBe('WRONG_PASSWORD');
      // The events can be filtered by, like every other.
      const failed = await auditRecords(server, jar, { summary: 'Sign-in failed', limit: '100' });
      expect(failed).toHaveLength(5);
    } finally {
      await server.close();
    }
  });

  it('locks Basic authentication with a password the same way, for a username that does not exist too', async () => {
    const { server } = await serverWithClock();
    try {
      for (const username of ['user', 'nobody-by-this-name']) {
        for (let i = 0; i < 5; i++) {
          const wrong = await call(server, '/rest/api/2/myself', { headers: basic(username, `wrong-${i}`) });
          expect(wrong.status).toBe(401);
        }
        const locked = await call(server, '/rest/api/2/myself', { headers: basic(username, 'user-pw') });
        expect(locked.status).toBe(429);
        expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(50);
      }
      // Another user from the same address is not locked (10 failures: under the address's 20).
      expect((await call(server, '/rest/api/2/myself', { headers: basic('admin', 'admin-pw') })).status).toBe(
        200,
      );
    } finally {
      await server.close();
    }
  });
});
