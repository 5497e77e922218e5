import { Hono } from 'hono';
import { permissionsForRole, type Myself } from '../../contract/users';
import { currentUser, type AppEnv } from '../http/context';

export const myselfRoutes = new Hono<AppEnv>().get('/myself', (c) => {
  const user = currentUser(c);
  const body: Myself = {
    key: user.key,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    permissions: permissionsForRole(user.role),
  };
  return c.json(body);
});
