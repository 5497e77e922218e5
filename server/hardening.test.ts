// @vitest-environment node
/**
 * The hardening of issue 15, attacked over real HTTP as an outside client would (see test/harness.ts).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FAILED_ATTEMPTS_INTERVAL_MS, FAILED_ATTEMPTS_RECORDED_PER_SOURCE } from '../contract/audit';
import type { LogEntry } from '../contract/logging';
import {
  api,
  auditRecords,
  basic,
  bearer,
  call,
  changeSettings,
  createToken,
  myTokens,
  signIn,
  startServer,
  withoutMsw,
  type RunningServer,
} from './test/harness';
import type { SqliteStore } from './store/sqlite-store';

let server: RunningServer;

withoutMsw();
beforeAll(async () => {
  server = await startServer([]);
});
afterAll(async () => {
  await server?.close();
});

describe('every 401 carries WWW-Authenticate (RFC 9110 §11.6.1)', () => {
  const BOTH = 'Basic realm="API Token Console", charset="UTF-8", Bearer realm="API Token Console"';

  it.each([
    { case: 'the protected resource without credentials', path: '/rest/api/2/myself', headers: {} },
    { case: 'a wrong Bearer token', path: '/rest/api/2/myself', headers: bearer('atc_wrong') },
    { case: 'a wrong Basic password', path: '/rest/api/2/myself', headers: basic('admin', 'nope') },
    { case: 'the console API without a session', path: api('/myself'), headers: {} },
    { case: 'the console API with a wrong token', path: api('/tokens'), headers: bearer('nope') },
  ])('$case: Basic and Bearer', async ({ path, headers }) => {
    const response = await call(server, path, { headers });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(BOTH);
  });

  it('a wrong password on the sign-in form', async () => {
    const response = await call(server, api('/session'), {
      method: 'POST',
      json: { username: 'admin', password: 'wrong' },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(BOTH);
  });

  it("only Bearer to a browser's script request (the console's fetches), so that no Basic dialog covers the console", async () => {
    const response = await call(server, api('/myself'), { headers: { 'sec-fetch-dest': 'empty' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="API Token Console"');
  });

  it('no challenge on answers that are not 401', async () => {
    const jar = await signIn(server);
    const response = await call(server, api('/myself'), { jar });
    expect(response.status).toBe(200);
    expect(response.headers.get('www-authenticate')).toBeNull();
  });
});

describe('"Use API tokens" is enforced when a token is used (item 1)', () => {
  let own: RunningServer;
  beforeAll(async () => {
    own = await startServer([]);
  });
  afterAll(async () => {
    await own?.close();
  });

  it('refuses the token of a user who may no longer use tokens (401), with the reason in the log line and the audit record', async () => {
    const user = await signIn(own, 'user', 'user-pw');
    const { token, secret } = await createToken(own, user, { description: 'Nightly sync' });
    expect((await call(own, '/rest/api/2/myself', { headers: bearer(secret) })).status).toBe(200);

    const admin = await signIn(own);
    await changeSettings(own, admin, (s) => {
      s.permissions.useTokens = { everyone: false, groups: ['jira-administrators'] };
      s.auditLogging.failedVerification = true;
    });

    const read = await call(own, '/rest/api/2/myself', { headers: bearer(secret) });
    expect(read.status).toBe(401);
    const write = await call(own, '/rest/api/2/issue', { method: 'POST', headers: basic('user', secret) });
    expect(write.status).toBe(401);

    const lines = readFileSync(own.logPath, 'utf8').trimEnd().split('\n');
    expect(lines.filter((line) => line.includes('not allowed to use API tokens'))).toEqual([
      expect.stringContaining(
        'Authentication of user user with token "Nightly sync" (Read & Write scope) was refused: the user is not allowed to use API tokens. REST endpoint: /rest/api/2/myself',
      ),
      expect.stringContaining('REST endpoint: /rest/api/2/issue'),
    ]);
    const records = await auditRecords(own, admin, { summary: 'Failed API token verification' });
    expect(records.map((r) => [r.details.reason, r.details.tokenId, r.source.method])).toEqual([
      ['TOKENS_NOT_ALLOWED', token.id, 'POST'],
      ['TOKENS_NOT_ALLOWED', token.id, 'GET'],
    ]);
  });
});

describe('a refusal is answered only once its audit record is stored (item 5)', () => {
  let own: RunningServer;
  beforeAll(async () => {
    own = await startServer([]);
  });
  afterAll(async () => {
    await own?.close();
  });

  it('answers 503 instead of 401 while the database is full, and 401 again once there is room', async () => {
    const admin = await signIn(own);
    await changeSettings(own, admin, (s) => void (s.auditLogging.failedVerification = true));
    // (A long path: its record needs pages of its own, not a gap in a page that is there already.)
    const refuse = () => call(own, `/rest/api/2/${'x'.repeat(4000)}`, { headers: bearer('atc_wrong') });
    expect((await refuse()).status).toBe(401);

    // A full disk, as SQLite sees it: the file may not grow, and its free pages are taken.
    const reported = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { db } = own.store as SqliteStore; // (startServer's default)
    db.exec('CREATE TABLE filler (x BLOB)');
    db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
    const fill = db.prepare('INSERT INTO filler VALUES (zeroblob(1024))');
    expect(() => {
      for (;;) fill.run();
    }).toThrow(expect.objectContaining({ code: 'SQLITE_FULL' }));

    // The refusal's record cannot be stored: an error, not a 401 whose record is missing.
    expect((await refuse()).status).toBe(503);
    expect((await refuse()).status).toBe(503);
    expect(reported).toHaveBeenCalledWith(
      expect.stringMatching(/^Cannot write the database .*the disk is full/),
    );

    db.pragma('max_page_count = 1073741823');
    expect((await refuse()).status).toBe(401);
    reported.mockRestore();
  });
});

describe('log forging over HTTP (item 3)', () => {
  let own: RunningServer;
  let proxied: RunningServer;
  beforeAll(async () => {
    [own, proxied] = await Promise.all([startServer([]), startServer(['127.0.0.1'])]);
  });
  afterAll(async () => {
    await Promise.all([own?.close(), proxied?.close()]);
  });

  const FAKE =
    '2026-01-01 00:00:00,000+0000 http-nio-8080-exec-9 INFO admin 10.9.9.9 /rest/api/2/myself [de.resolution.apitokenauth.ApiTokenAuthenticationService] Found a matching token for authenticating user admin';
  const fileLines = (server: RunningServer) => readFileSync(server.logPath, 'utf8').split('\n').slice(0, -1);

  it.each([
    { attack: 'CR/LF in a Basic username', path: '/rest/api/2/myself', headers: basic(`x\r\n${FAKE}`, 'x') },
    { attack: '%0A in the path', path: `/rest/api/2/myself%0A${encodeURI(FAKE)}`, headers: bearer('wrong') },
    {
      attack: 'spaces in the username',
      path: '/rest/api/2/myself',
      headers: basic('a 10.9.9.9 /x [y]', 'x'),
    },
    {
      attack: 'a complete fake line in the username',
      path: '/rest/api/2/myself',
      headers: basic(`\n${FAKE.replaceAll(':', '.')}\n`, 'x'),
    },
  ])(
    '$attack: one line, and Log entries shows no other logger, address or line',
    async ({ path, headers }) => {
      const before = fileLines(own).length;
      expect((await call(own, path, { headers })).status).toBe(401);
      const lines = fileLines(own);
      expect(lines).toHaveLength(before + 1);

      const admin = await signIn(own);
      const page = (await (await call(own, api('/logging/entries?limit=500'), { jar: admin })).json()) as {
        entries: LogEntry[];
      };
      expect(page.entries).toHaveLength(lines.length);
      for (const entry of page.entries) {
        expect(entry.logger).toBe('de.resolution.apitokenauth.ApiTokenAuthenticationService');
        expect(entry.clientIp).toBe('127.0.0.1');
        expect(entry.username).not.toBe('admin');
      }
    },
  );

  it('an X-Forwarded-For that is not an address is not believed, even from a trusted proxy', async () => {
    const response = await call(proxied, '/rest/api/2/myself', {
      headers: { ...bearer('wrong'), 'x-forwarded-for': '10.9.9.9 admin /x [y] forged' },
    });
    expect(response.status).toBe(401);
    const [line] = fileLines(proxied).slice(-1);
    expect(line).toMatch(/ INFO anonymous 127\.0\.0\.1 \/rest\/api\/2\/myself \[/);
  });
});

describe('a token secret sent as the Basic username (curl -u "$TOKEN:") is redacted everywhere (item 4)', () => {
  let own: RunningServer;
  beforeAll(async () => {
    own = await startServer([]);
  });
  afterAll(async () => {
    await own?.close();
  });

  it('in the log file, its stdout echo, the audit records and both exports', async () => {
    const admin = await signIn(own);
    const { secret } = await createToken(own, admin, { description: 'Deploy' });
    await changeSettings(own, admin, (s) => void (s.auditLogging.failedVerification = true));

    const response = await call(own, '/rest/api/2/myself', { headers: basic(secret, '') });
    expect(response.status).toBe(401);

    const file = readFileSync(own.logPath, 'utf8');
    expect(file).toContain('INFO atc_[redacted] 127.0.0.1 /rest/api/2/myself');
    const records = await auditRecords(own, admin, { summary: 'Failed API token verification' });
    expect(records).toHaveLength(1);
    expect(records[0]?.details.username).toBe('atc_[redacted]');
    const csv = await (await call(own, api('/audit/export?format=csv'), { jar: admin })).text();
    const jsonl = await (await call(own, api('/audit/export?format=jsonl'), { jar: admin })).text();
    expect(csv).toContain('atc_[redacted]');
    expect(jsonl).toContain('atc_[redacted]');

    for (const where of [file, own.echoed.join(''), JSON.stringify(records), csv, jsonl]) {
      expect(where).not.toContain(secret);
    }
  });
});

describe('a token cannot mint a broader token (item 2)', () => {
  let own: RunningServer;
  beforeAll(async () => {
    own = await startServer([]);
  });
  afterAll(async () => {
    await own?.close();
  });

  it('a 1-hour token restricted to 127.0.0.1 gets 403 for a 1-year token without IP restrictions', async () => {
    const user = await signIn(own, 'user', 'user-pw');
    const created = await call(own, api('/tokens'), {
      method: 'POST',
      jar: user,
      csrf: true,
      json: {
        description: 'One hour, local only',
        scope: 'READ_WRITE',
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        ipRestrictions: ['127.0.0.1'],
      },
    });
    expect(created.status).toBe(201);
    const { secret } = (await created.json()) as { secret: string };

    const minted = await call(own, api('/tokens'), {
      method: 'POST',
      headers: bearer(secret),
      json: {
        description: 'One year, anywhere',
        scope: 'READ_WRITE',
        expiresAt: new Date(Date.now() + 365 * 86_400_000).toISOString(),
        ipRestrictions: [],
      },
    });
    expect(minted.status).toBe(403);
    expect(await myTokens(own, user)).toHaveLength(1);

    const admin = await signIn(own);
    const [record] = await auditRecords(own, admin, { summary: 'API token created' });
    expect(record?.details.credential).toEqual({ kind: 'session' });
  });
});

describe('an anonymous flood of wrong tokens (item 8)', () => {
  let own: RunningServer;
  let now = Date.now();
  beforeAll(async () => {
    own = await startServer([], undefined, { now: () => new Date(now) });
  });
  afterAll(async () => {
    await own?.close();
  });

  it('is recorded one by one only at first, then summed up in one record per source and minute', async () => {
    const admin = await signIn(own);
    await changeSettings(own, admin, (s) => {
      s.authentication.disableBearerWithOtherAuthenticators = true;
      s.auditLogging.failedBearerAttempts = true;
    });
    const FLOOD = 300;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let i = 0; i < FLOOD / 4; i++)
          await call(own, '/rest/api/2/myself', { headers: bearer('atc_wrong') });
      }),
    );
    const failed = await auditRecords(own, admin, {
      summary: 'Failed API token bearer authentication attempt',
    });
    expect(failed).toHaveLength(FAILED_ATTEMPTS_RECORDED_PER_SOURCE);

    now += FAILED_ATTEMPTS_INTERVAL_MS;
    const [summary, ...more] = await auditRecords(own, admin, { summary: 'Further failed attempts' });
    expect(more).toEqual([]);
    expect(summary?.details.furtherAttempts).toMatchObject({
      count: FLOOD - FAILED_ATTEMPTS_RECORDED_PER_SOURCE,
      source: '127.0.0.1',
    });
  });

  it('gets 429 once its failures used up the rate limit of its source', async () => {
    const admin = await signIn(own);
    const { secret } = await createToken(own, admin, { description: 'Valid' });
    await changeSettings(own, admin, (s) => {
      s.authentication.rateLimit = { enabled: true, requestsPerMinute: 60, burst: 5 };
    });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await call(own, '/rest/api/2/myself', { headers: bearer('atc_wrong') })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const limited = await call(own, '/rest/api/2/myself', { headers: bearer(secret) });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    now += 1_000;
    expect((await call(own, '/rest/api/2/myself', { headers: bearer(secret) })).status).toBe(200);
  });
});
