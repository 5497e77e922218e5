import { Hono } from 'hono';
import {
  CreateTokenRequestSchema,
  RotateTokenRequestSchema,
  TokenListQuerySchema,
  UpdateTokenRequestSchema,
  type CreatedToken,
  type CreateTokenRequest,
  type DeletedTokens,
  type Token,
  type TokenListQuery,
  type TokenPage,
  type UpdateTokenRequest,
} from '../../contract/tokens';
import type { User } from '../../contract/users';
import {
  currentUser,
  requirePermission,
  userPermissions,
  type AppContext,
  type AppEnv,
} from '../http/context';
import { forbidden, notFound, parseJsonBody, parseQuery, unprocessable } from '../http/problem';
import { appendAuditRecords } from '../services/audit';
import {
  allTokensDeletedRecord,
  tokenAuditRecord,
  tokenRotatedRecord,
  tokenUpdatedRecord,
  type AuditSource,
} from '../services/token-records';
import { createRequestErrors, tokenChanges } from '../services/token-request';
import { createToken, publicToken, rotateToken } from '../services/tokens';
import type { StoredToken } from '../store/port';

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

/**
 * The token `id` if the caller may edit, rotate or revoke it: their own with tokens:write (or
 * tokens:manage), anyone's with tokens:manage. Someone else's token is "not found" to a caller who may
 * not manage tokens, so that its existence does not leak.
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
 * A change that gives a token more life (a new secret, a new expiry) is like creating one: for one's
 * own token it also takes tokens:create (or tokens:manage).
 */
async function requireIssuing(c: AppContext, caller: User, token: StoredToken): Promise<void> {
  const permissions = await userPermissions(c, caller);
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
async function ownerOf(c: AppContext, token: StoredToken): Promise<Pick<User, 'key' | 'username'>> {
  return (
    (await c.get('deps').store.findUserByKey(token.ownerKey)) ?? {
      key: token.ownerKey,
      username: token.ownerUsername,
    }
  );
}

/*
 * The token operations of the console API, also used by the vendor's token API (vendor-tokens.ts), so
 * that both check the same permissions, credential and policy and write the same audit records.
 */

/** The page of tokens a parsed query asks for: the caller's own, or (Token Manager) everyone's. */
export async function tokenPage(
  c: AppContext,
  caller: User,
  { all, ...query }: TokenListQuery,
): Promise<TokenPage> {
  const { store, now } = c.get('deps');
  const { expiryWarningDays } = (await store.getSettings()).authentication.tokenPolicy;
  const { items, total } = await store.listTokens({
    ...query,
    ...(all ? {} : { ownerKey: caller.key }),
    now: now(),
    expiryWarningDays,
  });
  return {
    tokens: items.map(publicToken),
    total,
    page: query.page,
    pageSize: query.pageSize,
    expiryWarningDays,
  };
}

/** The caller, if they may create tokens at all (403 otherwise: before the request is read). */
export async function tokenCreator(c: AppContext): Promise<User> {
  const caller = currentUser(c);
  refuseTokenCredential(c);
  const permissions = await userPermissions(c, caller);
  if (!permissions.includes('tokens:create') && !permissions.includes('tokens:manage')) {
    throw forbidden("You don't have permission to create tokens.");
  }
  return caller;
}

/** Creates the token a valid request asks for, if the caller may create it for its owner and the policy allows it. */
export async function createTokenFor(
  c: AppContext,
  caller: User,
  input: CreateTokenRequest,
): Promise<CreatedToken> {
  const permissions = await userPermissions(c, caller);
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
  return { token, secret };
}

/** The token `id` if the caller may edit or rotate it (see changeableToken; never with a token). */
export async function editableToken(c: AppContext, caller: User, id: string): Promise<StoredToken> {
  refuseTokenCredential(c);
  return changeableToken(c, caller, id);
}

/**
 * Edits a token the caller may change (see editableToken): its description, expiry (within the policy,
 * and like a new token only for whoever may create tokens) and IP restrictions, audited as "API token
 * updated" with old and new values. An edit that changes nothing stores and audits nothing.
 */
export async function updateToken(
  c: AppContext,
  caller: User,
  token: StoredToken,
  input: UpdateTokenRequest,
): Promise<Token> {
  const { store, now } = c.get('deps');
  const { changes, errors } = tokenChanges(input, token, await store.getSettings(), now());
  if (changes.expiresAt !== undefined) await requireIssuing(c, caller, token);
  if (Object.keys(errors).length > 0) throw unprocessable(errors);
  if (Object.keys(changes).length === 0) return publicToken(token);
  const updated = await store.updateToken(token.id, changes);
  if (!updated) throw notFound('No such token.');
  await appendAuditRecords(store, [
    tokenUpdatedRecord(
      publicToken(token),
      publicToken(updated),
      await ownerOf(c, token),
      auditSource(c, caller),
    ),
  ]);
  return publicToken(updated);
}

/** Revokes a token, if the caller may (see changeableToken), with its audit record. */
export async function revokeToken(c: AppContext, caller: User, id: string): Promise<void> {
  const token = await changeableToken(c, caller, id);
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
}

export const tokenRoutes = new Hono<AppEnv>()
  .get('/tokens', async (c) => {
    const params = new URL(c.req.url).searchParams;
    // Every user's tokens: Token Managers, and auditors (read-only).
    const user = await requirePermission(
      c,
      params.get('all') === 'true' ? ['tokens:manage', 'tokens:read'] : 'tokens:own',
    );
    return c.json(await tokenPage(c, user, parseQuery(c.req.url, TokenListQuerySchema)));
  })
  .post('/tokens', async (c) => {
    const caller = await tokenCreator(c);
    const input = await parseJsonBody(c.req.raw, CreateTokenRequestSchema);
    return c.json(await createTokenFor(c, caller, input), 201);
  })
  .patch('/tokens/:id', async (c) => {
    const caller = currentUser(c);
    const token = await editableToken(c, caller, c.req.param('id'));
    const input = await parseJsonBody(c.req.raw, UpdateTokenRequestSchema);
    return c.json(await updateToken(c, caller, token, input));
  })
  .post('/tokens/:id/rotate', async (c) => {
    const caller = currentUser(c);
    const token = await editableToken(c, caller, c.req.param('id'));
    await requireIssuing(c, caller, token);
    const input = await parseJsonBody(c.req.raw, RotateTokenRequestSchema);
    const { store, now } = c.get('deps');
    const { stored, secret } = await rotateToken(store, token, input.gracePeriodMinutes, now());
    const rotated = publicToken(stored);
    await appendAuditRecords(store, [
      tokenRotatedRecord(rotated, await ownerOf(c, token), auditSource(c, caller)),
    ]);
    const body: CreatedToken = { token: rotated, secret };
    return c.json(body);
  })
  .delete('/tokens/:id', async (c) => {
    await revokeToken(c, currentUser(c), c.req.param('id'));
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
    const body: DeletedTokens = { deleted: deleted.length };
    return c.json(body);
  });
