import { Hono } from 'hono';
import { requirePermission, type AppEnv } from '../http/context';
import { directoryUsers } from './tokens';

/** The user directory's groups, for the group pickers of the Permissions tab; its users, for the Token Manager. */
export const directoryRoutes = new Hono<AppEnv>()
  .get('/groups', (c) => {
    requirePermission(c, 'settings:read');
    const query = (c.req.query('q') ?? '').trim().toLowerCase();
    const groups = c.get('deps').store.listGroups();
    return c.json(query ? groups.filter((g) => g.toLowerCase().includes(query)) : groups);
  })
  .get('/users', directoryUsers);
