// @vitest-environment node
/**
 * The real server end to end, through real HTTP on loopback (see test/harness.ts), on SQLite and on
 * PostgreSQL: the log file, security headers and attacks, trusted proxies, token secrets.
 */
import { readFileSync, appendFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LogEntry } from '../contract/logging';
import {
  api,
  AUTH_SERVICE_LOGGER,
  auditRecords,
  basic,
  bearer,
  call,
  changeSettings,
  createToken,
  myTokens,
  NODE_ID,
  signIn,
  startServer,
  storedBytes,
  withoutMsw,
  type RunningServer,
} from './test/harness';
import { describeOnEachDatabase, direct, proxied } from './test/servers-on-each-database';

withoutMsw();

describeOnEachDatabase((database) => {
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
});
