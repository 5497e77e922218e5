import { Hono } from 'hono';
import type { TokenPolicy } from '../../contract/token-policy';
import { latestExpiry } from '../../contract/tokens';
import { currentUser, userPermissions, type AppEnv } from '../http/context';
import { forbidden } from '../http/problem';

/** The token policy as it applies to the caller, for the create dialog. */
export const tokenPolicyRoutes = new Hono<AppEnv>().get('/token-policy', async (c) => {
  const user = currentUser(c);
  const permissions = await userPermissions(c, user);
  if (!permissions.includes('tokens:own') && !permissions.includes('tokens:manage')) throw forbidden();
  const { tokenPolicy } = (await c.get('deps').store.getSettings()).authentication;
  const latest = latestExpiry(tokenPolicy.maxValidity, c.get('deps').now());
  const body: TokenPolicy = {
    maxValidity: tokenPolicy.maxValidity,
    readOnlyForced: tokenPolicy.forceReadOnlyForRegularUsers && user.role !== 'admin',
    expiryWarningDays: tokenPolicy.expiryWarningDays,
    latestExpiresAt: latest?.toISOString() ?? null,
  };
  return c.json(body);
});
