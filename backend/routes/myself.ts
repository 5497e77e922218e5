import { Hono } from 'hono';
import type { Myself } from '../../contract/users';
import { currentUser, userPermissions, type AppEnv } from '../http/context';

export const myselfRoutes = new Hono<AppEnv>().get('/myself', async (c) => {
  const user = currentUser(c);
  const body: Myself = {
    key: user.key,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    permissions: await userPermissions(c, user),
    groups: user.groups,
  };
  return c.json(body);
});
