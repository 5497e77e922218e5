import { Hono } from 'hono';
import { DirectoryQuerySchema } from '../../contract/user-schemas';
import { requirePermission, type AppContext, type AppEnv } from '../http/context';
import { parseQuery } from '../http/problem';
import { searchUsers } from '../services/directory';

/** The search text of a directory query, checked like every other list filter. */
function directoryQuery(c: AppContext): string {
  return parseQuery(c.req.url, DirectoryQuerySchema, 'The search text is not valid.').q ?? '';
}

/** The user directory's groups, for the group pickers of the Permissions tab; its users, for the Token Manager. */
export const directoryRoutes = new Hono<AppEnv>()
  .get('/groups', async (c) => {
    await requirePermission(c, 'settings:read');
    const query = directoryQuery(c).toLowerCase();
    const groups = await c.get('deps').store.listGroups();
    return c.json(query ? groups.filter((g) => g.toLowerCase().includes(query)) : groups);
  })
  .get('/users', async (c) => {
    await requirePermission(c, 'tokens:manage');
    return c.json(searchUsers(await c.get('deps').store.listUsers(), directoryQuery(c)));
  });
