// @vitest-environment node
/**
 * The hardening of issue 15, attacked over real HTTP as an outside client would (see test/harness.ts).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  api,
  auditRecords,
  basic,
  bearer,
  call,
  changeSettings,
  createToken,
  signIn,
  startServer,
  withoutMsw,
  type RunningServer,
} from './test/harness';

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

  it('answers an error instead of 401 while the database is full, and 401 again once there is room', async () => {
    const admin = await signIn(own);
    await changeSettings(own, admin, (s) => void (s.auditLogging.failedVerification = true));
    const refuse = () => call(own, '/rest/api/2/myself', { headers: bearer('atc_wrong') });
    expect((await refuse()).status).toBe(401);

    // A full disk, as SQLite sees it: no page beyond those the database has now.
    const pages = own.store.db.pragma('page_count', { simple: true }) as number;
    const reported = vi.spyOn(console, 'error').mockImplementation(() => {});
    own.store.db.pragma(`max_page_count = ${pages}`);
    const statuses: number[] = [];
    for (let i = 0; i < 300 && !statuses.includes(500); i++) statuses.push((await refuse()).status);
    // Records fit into the pages' free space for a while; then the refusal is an error, not a 401
    // whose record is missing.
    expect(statuses.at(-1)).toBe(500);
    expect((await refuse()).status).toBe(500);

    own.store.db.pragma(`max_page_count = ${pages * 100}`);
    expect((await refuse()).status).toBe(401);
    // The server's output says why.
    expect(reported).toHaveBeenCalledWith(
      'Unhandled backend error',
      expect.objectContaining({ code: 'SQLITE_FULL' }),
    );
    reported.mockRestore();
  });
});
