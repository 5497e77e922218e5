import { Hono } from 'hono';
import pLimit from 'p-limit';
import { BASE_PATH } from '../contract/api';
import { createAuthEngine } from './auth/engine';
import { JIRA_API_LATEST_PATH, JIRA_API_PATH } from '../contract/jira';
import { VENDOR_TOKEN_API_PATH } from '../contract/vendor-tokens';
import type { User } from '../contract/users';
import { openApiDocument, type OpenApiDocument } from '../contract/openapi';
import { rateLimitHeaders } from './auth/rate-limiter';
import { resolveCaller, type Caller } from './http/authenticate';
import type { AppEnv, BackendDeps } from './http/context';
import { errorResponse, problemResponse } from './http/problem';
import { createLogWriter } from './logging/log-writer';
import { auditRoutes } from './routes/audit';
import { demoRoutes } from './routes/demo';
import { directoryRoutes } from './routes/directory';
import { applyDueLevelReverts, loggingRoutes, revertDue } from './routes/logging';
import { myselfRoutes } from './routes/myself';
import { overviewRoutes } from './routes/overview';
import { protectedResourceRoutes } from './routes/protected-resource';
import { settingsRoutes } from './routes/settings';
import { tokenRoutes } from './routes/tokens';
import { tokenPolicyRoutes } from './routes/token-policy';
import { vendorTokenRoutes } from './routes/vendor-tokens';
import { setResponseHeaders } from './http/response-headers';

const NO_STORE = { 'cache-control': 'no-store' };

/** The OpenAPI document, generated from the contract on first request. */
let openApi: OpenApiDocument | undefined;

/**
 * An authenticated caller's headers without a rate limit, made once per user object (stores hand out
 * the same object until the user changes): a busy token's requests do not build them again.
 */
const callerHeaders = new WeakMap<User, Readonly<Record<string, string>>>();

/** The headers every answer gets: no caching, and Jira's for an authenticated caller. */
function answerHeaders(caller: Caller | null): Readonly<Record<string, string>> {
  if (!caller) return NO_STORE;
  const { user, rateLimit } = caller;
  // Who the request was answered for, as Jira says it.
  if (rateLimit) {
    return {
      ...NO_STORE,
      'x-ausername': user.username,
      ...rateLimitHeaders(rateLimit.limit, rateLimit.remaining),
    };
  }
  let headers = callerHeaders.get(user);
  if (!headers) {
    headers = Object.freeze({ ...NO_STORE, 'x-ausername': user.username });
    callerHeaders.set(user, headers);
  }
  return headers;
}

/**
 * The REST backend as a fetch-style app (Request in, Response out). The demo runs it in the browser
 * behind Mock Service Worker, the tests behind msw/node, the real server on Node.
 */
export function createBackend(deps: BackendDeps) {
  const log = createLogWriter(() => deps.store, deps.now);
  const engine = createAuthEngine({
    store: () => deps.store,
    now: deps.now,
    log,
    tokenLimiter: deps.tokenLimiter,
  });

  // Due level reverts are put back once: one at a time in this process, and (deps.exclusively) in the
  // whole installation.
  const oneAtATime = pLimit(1);
  /** Puts back the due temporary levels, if any (before every request, and on a timer in a cluster). */
  const applyLevelReverts = async (nodeId: string) => {
    const reverts = await deps.store.listLevelReverts();
    if (reverts.length === 0) return;
    const now = deps.now();
    if (!reverts.some((revert) => revertDue(revert, now))) return;
    await oneAtATime(() => {
      const work = () => applyDueLevelReverts(deps, nodeId);
      return deps.exclusively ? deps.exclusively('level reverts', work) : work();
    });
  };

  const api = new Hono<AppEnv>();
  api.get('/health', (c) => c.json({ status: 'ok' }));
  api.get('/openapi.json', (c) => c.json((openApi ??= openApiDocument())));
  api.route('/', myselfRoutes);
  api.route('/', settingsRoutes);
  api.route('/', auditRoutes);
  api.route('/', directoryRoutes);
  api.route('/', tokenRoutes);
  api.route('/', tokenPolicyRoutes);
  api.route('/', loggingRoutes);
  api.route('/', overviewRoutes);
  if (deps.resetDemo) api.route('/', demoRoutes);

  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set('deps', deps);
    const client = deps.client(c.req.raw);
    c.set('client', client);
    c.set('engine', engine);
    // (The common case, nothing pending, costs one read of the cache.)
    const reverts = await deps.store.listLevelReverts();
    if (reverts.length > 0) await applyLevelReverts(client.nodeId);
    const due = engine.writeFurtherAttempts(client.nodeId);
    if (due) await due;
    const caller = await resolveCaller(c);
    c.set('user', caller?.user ?? null);
    c.set('credential', caller?.credential ?? null);
    c.set('token', caller?.token ?? null);
    // (The engine and every handler await the audit records they append, refusals included: no
    // answer goes out before they are stored, and one whose records cannot be stored is an error.)
    await next();
    setResponseHeaders(c, answerHeaders(caller));
  });
  app.route(BASE_PATH, api);
  app.route(JIRA_API_PATH, protectedResourceRoutes);
  app.route(JIRA_API_LATEST_PATH, protectedResourceRoutes);
  app.route(VENDOR_TOKEN_API_PATH, vendorTokenRoutes);

  // Any other path under /rest/ (the hosts hand the backend all of them): a JSON 404, never a page.
  app.notFound(() =>
    problemResponse({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'No such endpoint.' }),
  );
  app.onError((error, c) => errorResponse(error, 'backend', c.req.raw));
  return { app, applyLevelReverts };
}

export type Backend = ReturnType<typeof createBackend>;
