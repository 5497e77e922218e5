import { Hono } from 'hono';
import {
  CreateTokenRequestSchema,
  RotateTokenRequestSchema,
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
  rotateToken,
  tokenAuditRecord,
  tokenChanges,
  tokenRotatedRecord,
  tokenUpdatedRecord,
  unprocessable,
  type AuditSource,
} from '../services/tokens';
import type { StoredToken } from '../store/port';

function auditSource(c: AppContext, actor: User): AuditSource {
  return {
    actor,
    client: c.get('client'),
    method: c.req.method,
    endpoint: c.req.path,
    at: c.get('deps').now(),
  };
}

/**
 * The token `id` if the caller may edit, rotate or revoke it: their own with tokens:write (or
 * tokens:manage), anyone's with tokens:manage. Someone else's token is "not found" to a caller who may
 * not manage tokens, so that its existence does not leak.
 */
function changeableToken(c: AppContext, caller: User, id: string): StoredToken {
  const permissions = userPermissions(c, caller);
  const manage = permissions.includes('tokens:manage');
  const token = c.get('deps').store.getToken(id);
  if (!token || (token.ownerKey !== caller.key && !manage)) throw notFound('No such token.');
  if (token.ownerKey === caller.key && !manage && !permissions.includes('tokens:write')) {
    throw forbidden("You don't have permission to change or revoke tokens.");
  }
  return token;
}

/**
 * A change that gives a token more life (a new secret, a new expiry) is like creating one: for one's
 * own token it also takes tokens:create (or tokens:manage).
 */
function requireIssuing(c: AppContext, caller: User, token: StoredToken): void {
  const permissions = userPermissions(c, caller);
  if (
    token.ownerKey === caller.key &&
    !permissions.some((p) => p === 'tokens:create' || p === 'tokens:manage')
  ) {
    throw forbidden(
      "You don't have permission to create tokens, so you cannot rotate one or change its expiry.",
    );
  }
}

/** The token's owner for the audit log (the directory's entry, or what the token remembers of a removed user). */
function ownerOf(c: AppContext, token: StoredToken): Pick<User, 'key' | 'username'> {
  return (
    c.get('deps').store.findUserByKey(token.ownerKey) ?? {
      key: token.ownerKey,
      username: token.ownerUsername,
    }
  );
}

export const tokenRoutes = new Hono<AppEnv>()
  .get('/tokens', (c) => {
    const params = new URL(c.req.url).searchParams;
    const user =
      params.get('all') === 'true'
        ? requirePermission(c, ['tokens:manage', 'tokens:read'])
        : requirePermission(c, 'tokens:own');
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
    const { expiryWarningDays } = store.getSettings().authentication.tokenPolicy;
    const { items, total } = store.listTokens({
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
    const permissions = userPermissions(c, caller);
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
      owner = store.findUserByKey(input.ownerKey);
    } else if (!permissions.includes('tokens:create')) {
      throw forbidden("You don't have permission to create tokens for yourself.");
    }
    const errors = {
      ...(owner ? {} : { ownerKey: 'No such user.' }),
      ...createRequestErrors(input, caller, store.getSettings(), at),
    };
    if (!owner || Object.keys(errors).length > 0) throw unprocessable(errors);

    const { stored, secret } = createToken(store, input, owner, caller, at);
    const token = publicToken(stored);
    store.appendAuditRecords([tokenAuditRecord('API token created', token, owner, auditSource(c, caller))]);
    const body: CreatedToken = { token, secret };
    return c.json(body, 201);
  })
  .patch('/tokens/:id', async (c) => {
    const caller = currentUser(c);
    const token = changeableToken(c, caller, c.req.param('id'));
    const input = await parseJsonBody(c.req.raw, UpdateTokenRequestSchema);
    const { store, now } = c.get('deps');
    const { changes, errors } = tokenChanges(input, token, store.getSettings(), now());
    if (changes.expiresAt !== undefined) requireIssuing(c, caller, token);
    if (Object.keys(errors).length > 0) throw unprocessable(errors);
    // Nothing changed, nothing to store or audit (like a settings save without changes).
    if (Object.keys(changes).length === 0) return c.json(publicToken(token));
    const updated = store.updateToken(token.id, changes);
    if (!updated) throw notFound('No such token.');
    store.appendAuditRecords([
      tokenUpdatedRecord(publicToken(token), publicToken(updated), ownerOf(c, token), auditSource(c, caller)),
    ]);
    return c.json(publicToken(updated));
  })
  .post('/tokens/:id/rotate', async (c) => {
    const caller = currentUser(c);
    const token = changeableToken(c, caller, c.req.param('id'));
    requireIssuing(c, caller, token);
    const input = await parseJsonBody(c.req.raw, RotateTokenRequestSchema);
    const { store, now } = c.get('deps');
    const { stored, secret } = rotateToken(store, token, input.gracePeriodMinutes, now());
    const rotated = publicToken(stored);
    store.appendAuditRecords([tokenRotatedRecord(rotated, ownerOf(c, token), auditSource(c, caller))]);
    const body: CreatedToken = { token: rotated, secret };
    return c.json(body);
  })
  .delete('/tokens/:id', (c) => {
    const caller = currentUser(c);
    const token = changeableToken(c, caller, c.req.param('id'));
    const { store } = c.get('deps');
    store.deleteToken(token.id);
    store.appendAuditRecords([
      tokenAuditRecord('API token deleted', publicToken(token), ownerOf(c, token), auditSource(c, caller)),
    ]);
    return c.body(null, 204);
  })
  .delete('/users/:key/tokens', (c) => {
    const caller = requirePermission(c, 'tokens:manage');
    const { store } = c.get('deps');
    const owner = store.findUserByKey(c.req.param('key'));
    if (!owner) throw notFound('No such user.');
    const deleted = store.deleteTokensOfUser(owner.key);
    // Nothing deleted, nothing changed: no record (like a settings save without changes).
    if (deleted.length > 0) {
      store.appendAuditRecords([
        allTokensDeletedRecord(owner, deleted.map(publicToken), auditSource(c, caller)),
      ]);
    }
    return c.json({ deleted: deleted.length });
  });
