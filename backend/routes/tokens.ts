import { Hono } from 'hono';
import {
  CreateTokenRequestSchema,
  TokenListQuerySchema,
  UpdateTokenRequestSchema,
  type CreatedToken,
  type TokenPage,
} from '../../contract/tokens';
import { parseUrlParams } from '../../contract/url-params';
import type { User } from '../../contract/users';
import {
  currentUser,
  requirePermission,
  userPermissions,
  type AppContext,
  type AppEnv,
} from '../http/context';
import { fieldErrors, forbidden, HttpProblem, notFound, parseJsonBody } from '../http/problem';
import {
  allTokensDeletedRecord,
  createRequestErrors,
  createToken,
  publicToken,
  tokenAuditRecord,
  unprocessable,
  type AuditSource,
} from '../services/tokens';
import type { StoredToken } from '../store/port';
import { appendAuditRecords } from '../services/audit';

function auditSource(c: AppContext, actor: User): AuditSource {
  return {
    actor,
    credential: c.get('credential'),
    client: c.get('client'),
    method: c.req.method,
    endpoint: c.req.path,
    at: c.get('deps').now(),
  };
}

/**
 * The token `id` if the caller may edit or revoke it: their own with tokens:write (or tokens:manage),
 * anyone's with tokens:manage. Someone else's token is "not found" to a caller who may not manage
 * tokens, so that its existence does not leak.
 */
async function changeableToken(c: AppContext, caller: User, id: string): Promise<StoredToken> {
  const permissions = await userPermissions(c, caller);
  const manage = permissions.includes('tokens:manage');
  const token = await c.get('deps').store.getToken(id);
  if (!token || (token.ownerKey !== caller.key && !manage)) throw notFound('No such token.');
  if (token.ownerKey === caller.key && !manage && !permissions.includes('tokens:write')) {
    throw forbidden("You don't have permission to change or revoke tokens.");
  }
  return token;
}

/**
 * Tokens are created and changed by a person, signed in or with their password, never by a token: a
 * token could otherwise make one that outlives it or drops its IP restrictions (GitHub and GitLab do
 * not let a token widen itself either; docs/decisions/0010-token-management-credentials.md).
 */
function refuseTokenCredential(c: AppContext): void {
  if (c.get('credential')?.kind === 'token') {
    throw forbidden(
      'An API token cannot create or change tokens: sign in to the console, or use your password.',
    );
  }
}

/** The token's owner for the audit log (the directory's entry, or what the token remembers of a removed user). */
async function ownerOf(c: AppContext, token: StoredToken): Promise<Pick<User, 'key' | 'username'>> {
  return (
    (await c.get('deps').store.findUserByKey(token.ownerKey)) ?? {
      key: token.ownerKey,
      username: token.ownerUsername,
    }
  );
}

export const tokenRoutes = new Hono<AppEnv>()
  .get('/tokens', async (c) => {
    const params = new URL(c.req.url).searchParams;
    const user = await requirePermission(c, params.get('all') === 'true' ? 'tokens:manage' : 'tokens:own');
    const parsed = parseUrlParams(TokenListQuerySchema, params);
    if (!parsed.success) {
      throw new HttpProblem(
        400,
        'Bad Request',
        'Some filter values are not valid.',
        fieldErrors(parsed.error),
      );
    }
    const { all, ...query } = parsed.data;
    const { store, now } = c.get('deps');
    const { expiryWarningDays } = (await store.getSettings()).authentication.tokenPolicy;
    const { items, total } = await store.listTokens({
      ...query,
      ...(all ? {} : { ownerKey: user.key }),
      now: now(),
      expiryWarningDays,
    });
    const body: TokenPage = {
      tokens: items.map(publicToken),
      total,
      page: query.page,
      pageSize: query.pageSize,
      expiryWarningDays,
    };
    return c.json(body);
  })
  .post('/tokens', async (c) => {
    const caller = currentUser(c);
    refuseTokenCredential(c);
    const permissions = await userPermissions(c, caller);
    if (!permissions.includes('tokens:create') && !permissions.includes('tokens:manage')) {
      throw forbidden("You don't have permission to create tokens.");
    }
    const input = await parseJsonBody(c.req.raw, CreateTokenRequestSchema);
    const { store, now } = c.get('deps');
    const at = now();

    let owner: User | undefined = caller;
    if (input.ownerKey !== undefined && input.ownerKey !== caller.key) {
      if (!permissions.includes('tokens:manage')) {
        throw forbidden('Only Token Managers may create tokens for other users.');
      }
      owner = await store.findUserByKey(input.ownerKey);
    } else if (!permissions.includes('tokens:create')) {
      throw forbidden("You don't have permission to create tokens for yourself.");
    }
    const errors = {
      ...(owner ? {} : { ownerKey: 'No such user.' }),
      ...createRequestErrors(input, caller, await store.getSettings(), at),
    };
    if (!owner || Object.keys(errors).length > 0) throw unprocessable(errors);

    const { stored, secret } = await createToken(store, input, owner, caller, at);
    const token = publicToken(stored);
    await appendAuditRecords(store, [
      tokenAuditRecord('API token created', token, owner, auditSource(c, caller)),
    ]);
    const body: CreatedToken = { token, secret };
    return c.json(body, 201);
  })
  .patch('/tokens/:id', async (c) => {
    const caller = currentUser(c);
    refuseTokenCredential(c);
    const token = await changeableToken(c, caller, c.req.param('id'));
    const input = await parseJsonBody(c.req.raw, UpdateTokenRequestSchema);
    const updated = await c.get('deps').store.updateTokenDescription(token.id, input.description);
    if (!updated) throw notFound('No such token.');
    // No audit record: the audit events are a fixed list (AUDIT_EVENTS) that has none for an edited
    // description, and the description changes neither what the token can do nor who holds it.
    return c.json(publicToken(updated));
  })
  .delete('/tokens/:id', async (c) => {
    const caller = currentUser(c);
    const token = await changeableToken(c, caller, c.req.param('id'));
    const { store } = c.get('deps');
    await store.deleteToken(token.id);
    await appendAuditRecords(store, [
      tokenAuditRecord(
        'API token deleted',
        publicToken(token),
        await ownerOf(c, token),
        auditSource(c, caller),
      ),
    ]);
    return c.body(null, 204);
  })
  .delete('/users/:key/tokens', async (c) => {
    const caller = await requirePermission(c, 'tokens:manage');
    const { store } = c.get('deps');
    const owner = await store.findUserByKey(c.req.param('key'));
    if (!owner) throw notFound('No such user.');
    const deleted = await store.deleteTokensOfUser(owner.key);
    // Nothing deleted, nothing changed: no record (like a settings save without changes).
    if (deleted.length > 0) {
      await appendAuditRecords(store, [
        allTokensDeletedRecord(owner, deleted.map(publicToken), auditSource(c, caller)),
      ]);
    }
    return c.json({ deleted: deleted.length });
  });
