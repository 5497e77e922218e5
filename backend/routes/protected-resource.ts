import { Hono } from 'hono';
import type { User } from '../../contract/users';
import type { AppContext, AppEnv } from '../http/context';
import { HttpProblem } from '../http/problem';

/**
 * A small protected REST resource, as in Jira's `/rest/api/2`: every request goes through the
 * authentication engine, so a client can test a token, and a write shows the Read Only 403.
 */
function authenticatedCaller(c: AppContext): User {
  const { deps } = c.var;
  const client = c.get('client');
  const outcome = c.get('authenticate')({
    method: c.req.method,
    path: c.req.path,
    authorization: c.req.header('authorization') ?? null,
    clientIp: client.clientIp,
    proxyIp: client.proxyIp,
    nodeId: client.nodeId,
    thread: 'http-nio-8080-exec-1',
  });
  switch (outcome.kind) {
    case 'authenticated':
      return outcome.user;
    case 'passed-on': {
      // The default authenticator: a regular password (another app's bearer tokens do not exist here).
      const user = outcome.username ? deps.store.findUserByUsername(outcome.username) : undefined;
      if (outcome.scheme === 'basic' && user && deps.verifyPassword(user.username, outcome.secret))
        return user;
      throw new HttpProblem(401, 'Unauthorized', 'The credentials are not valid.');
    }
    case 'refused':
      throw new HttpProblem(401, 'Unauthorized', 'The credentials are not valid.');
    case 'permission-denied':
      throw new HttpProblem(
        403,
        'Forbidden',
        'This token has Read Only scope: it cannot be used for this request.',
      );
    case 'rate-limited':
      throw new HttpProblem(429, 'Too Many Requests', 'Rate limit exceeded. Try again later.').withHeader(
        'retry-after',
        String(outcome.retryAfterSeconds),
      );
    case 'no-credentials':
      throw new HttpProblem(
        401,
        'Unauthorized',
        'Send an API token: Authorization: Bearer TOKEN, or Basic USER:TOKEN.',
      );
  }
}

export const protectedResourceRoutes = new Hono<AppEnv>()
  .get('/myself', (c) => {
    const user = authenticatedCaller(c);
    return c.json({
      key: user.key,
      name: user.username,
      displayName: user.displayName,
      emailAddress: user.email,
    });
  })
  .post('/issue', async (c) => {
    const user = authenticatedCaller(c);
    return c.json({ id: '10001', key: 'DEMO-1', createdBy: user.username }, 201);
  });
