import { Hono } from 'hono';
import type { User } from '../../contract/users';
import type { AppContext, AppEnv } from '../http/context';
import { unauthorized } from '../http/problem';

/**
 * A small protected REST resource, as in Jira's `/rest/api/2`, for clients to test their tokens: it
 * answers only requests with credentials (which the authentication engine decided), so a write with a
 * Read Only token shows the 403.
 */
function tokenCaller(c: AppContext): User {
  const user = c.get('user');
  if (!user || c.get('credential')?.kind === 'session') {
    throw unauthorized('Send an API token: Authorization: Bearer TOKEN, or Basic USER:TOKEN.');
  }
  return user;
}

export const protectedResourceRoutes = new Hono<AppEnv>()
  .get('/myself', (c) => {
    const user = tokenCaller(c);
    return c.json({
      key: user.key,
      name: user.username,
      displayName: user.displayName,
      emailAddress: user.email,
    });
  })
  .post('/issue', (c) => {
    const user = tokenCaller(c);
    return c.json({ id: '10001', key: 'DEMO-1', createdBy: user.username }, 201);
  });
