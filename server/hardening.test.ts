// @vitest-environment node
/**
 * The hardening of issue 15, attacked over real HTTP as an outside client would (see test/harness.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  basic,
  bearer,
  call,
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
