import { Hono } from 'hono';
import { addMonths, TokenListQuerySchema, type Token } from '../../contract/tokens';
import {
  VENDOR_SCOPES,
  VendorCreateTokenRequestSchema,
  VendorTokenFilterSchema,
  VendorUpdateTokenRequestSchema,
  type VendorCreatedToken,
} from '../../contract/vendor-tokens';
import { currentUser, requirePermission, type AppContext, type AppEnv } from '../http/context';
import { HttpProblem, parseJsonBody, parseQuery } from '../http/problem';
import { createTokenFor, editableToken, revokeToken, tokenCreator, tokenPage, updateToken } from './tokens';

/** Our field names → the vendor's, for the field errors of the token services. */
const VENDOR_FIELDS: Record<string, string> = {
  description: 'tokenDescription',
  expiresAt: 'tokenExpirationDateTime',
  ownerKey: 'tokenForUserKey',
  scope: 'tokenScope',
};

/** Runs a token service, naming the fields of its field errors as the vendor's request does. */
async function inVendorTerms<T>(service: () => Promise<T>): Promise<T> {
  try {
    return await service();
  } catch (error) {
    if (!(error instanceof HttpProblem) || !error.problem.errors) throw error;
    const errors = Object.fromEntries(
      Object.entries(error.problem.errors).map(([field, message]) => [
        VENDOR_FIELDS[field] ?? field,
        message,
      ]),
    );
    const { status, title, detail } = error.problem;
    throw new HttpProblem(status, title, detail, errors).withHeaders(error.headers);
  }
}

/** Every token of the caller, oldest first, page by page. */
async function ownTokens(c: AppContext): Promise<Token[]> {
  const caller = await requirePermission(c, 'tokens:own');
  const tokens: Token[] = [];
  for (let page = 1; ; page++) {
    const query = TokenListQuerySchema.parse({ page, pageSize: 200, sort: 'createdAt', order: 'asc' });
    const result = await tokenPage(c, caller, query);
    tokens.push(...result.tokens);
    if (tokens.length >= result.total || result.tokens.length === 0) return tokens;
  }
}

/**
 * The vendor's token REST API, as a thin adapter over the console API's token operations: the same
 * permissions, token policy and audit records; only the names differ.
 */
export const vendorTokenRoutes = new Hono<AppEnv>()
  .get('/user/token', async (c) => c.json(await ownTokens(c)))
  .post('/user/token', async (c) => {
    const caller = await tokenCreator(c);
    const input = await parseJsonBody(c.req.raw, VendorCreateTokenRequestSchema);
    const now = c.get('deps').now();
    const expiresAt =
      input.tokenValidityTimeInMonths !== undefined
        ? addMonths(now, input.tokenValidityTimeInMonths).toISOString()
        : (input.tokenExpirationDateTime ?? null);
    const { token, secret } = await inVendorTerms(() =>
      createTokenFor(c, caller, {
        description: input.tokenDescription,
        scope: VENDOR_SCOPES[input.tokenScope],
        expiresAt,
        ipRestrictions: [],
        ownerKey: input.tokenForUserKey,
      }),
    );
    const body: VendorCreatedToken = { ...token, plainTextToken: secret };
    return c.json(body, 201);
  })
  .patch('/user/token/:id', async (c) => {
    const caller = currentUser(c);
    const token = await editableToken(c, caller, c.req.param('id'));
    const { tokenDescription } = await parseJsonBody(c.req.raw, VendorUpdateTokenRequestSchema);
    return c.json(await updateToken(c, caller, token, { description: tokenDescription }));
  })
  .delete('/user/token/:id', async (c) => {
    await revokeToken(c, currentUser(c), c.req.param('id'));
    return c.body(null, 204);
  })
  .get('/tokensByFilter', async (c) => {
    const caller = await requirePermission(c, 'tokens:manage');
    const { userFilter, descriptionFilter, tokenScope, page, limit, ...ranges } = parseQuery(
      c.req.url,
      VendorTokenFilterSchema,
    );
    const query = TokenListQuerySchema.parse({
      ...ranges,
      all: true,
      owner: userFilter === undefined ? [] : [userFilter],
      q: descriptionFilter || undefined,
      scope: tokenScope === undefined ? undefined : VENDOR_SCOPES[tokenScope],
      page,
      pageSize: limit,
    });
    return c.json(await tokenPage(c, caller, query));
  });
