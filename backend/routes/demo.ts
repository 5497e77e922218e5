import { Hono } from 'hono';
import { DEMO_ACCOUNTS, type DemoAccount } from '../../contract/demo';
import { DemoSessionRequestSchema } from '../../contract/demo-schemas';
import { requirePermission, type AppEnv } from '../http/context';
import { HttpProblem, notFound, parseJsonBody } from '../http/problem';

/** Demo-only endpoints: the account switcher and "Reset demo data". Mounted only by the demo host. */
export const demoRoutes = new Hono<AppEnv>()
  .get('/demo/accounts', async (c) => {
    const { store } = c.get('deps');
    const accounts: DemoAccount[] = [];
    for (const { username } of DEMO_ACCOUNTS) {
      const user = await store.findUserByUsername(username);
      if (user) accounts.push({ username, displayName: user.displayName, role: user.role });
    }
    return c.json(accounts);
  })
  .put('/demo/session', async (c) => {
    const { store } = c.get('deps');
    const { username } = await parseJsonBody(c.req.raw, DemoSessionRequestSchema);
    if (!DEMO_ACCOUNTS.some((a) => a.username === username) || !(await store.findUserByUsername(username))) {
      throw new HttpProblem(422, 'Unprocessable Content', 'Not a demo account.', {
        username: 'Choose one of the demo accounts.',
      });
    }
    await store.setDemoSessionUsername(username);
    return c.body(null, 204);
  })
  .delete('/demo/session', async (c) => {
    await c.get('deps').store.setDemoSessionUsername(null);
    return c.body(null, 204);
  })
  .post('/demo/traffic', async (c) => {
    await requirePermission(c, 'settings:write');
    const { sendDemoTraffic } = c.get('deps');
    if (!sendDemoTraffic) throw notFound();
    return c.json(await sendDemoTraffic());
  })
  .post('/demo/reset', (c) => {
    const { resetDemo } = c.get('deps');
    if (!resetDemo) throw notFound();
    resetDemo();
    return c.body(null, 204);
  });
