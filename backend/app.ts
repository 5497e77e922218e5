import { Hono } from 'hono';
import pLimit from 'p-limit';
import { BASE_PATH } from '../contract/api';
import { createAuthEngine } from './auth/engine';
import { RateLimiter } from './auth/rate-limiter';
import { resolveCaller } from './http/authenticate';
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
import { setResponseHeaders } from './http/response-headers';

/** The REST path of the small protected resource that clients test their tokens against. */
export const PROTECTED_RESOURCE_PATH = '/rest/api/2';

const NO_STORE = { 'cache-control': 'no-store' };

/**
 * The REST backend as a fetch-style app (Request in, Response out). The demo runs it in the browser
 * behind Mock Service Worker, the tests behind msw/node, the real server on Node.
 */
export function createBackend(deps: BackendDeps) {
  const log = createLogWriter(() => deps.store, deps.now);
  const authenticate = createAuthEngine({
    store: () => deps.store,
    now: deps.now,
    log,
    rateLimiter: new RateLimiter(),
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
    c.set('client', deps.client(c.req.raw));
    c.set('authenticate', authenticate);
    // (The common case, nothing pending, costs one read of the cache.)
    const reverts = await deps.store.listLevelReverts();
    if (reverts.length > 0) await applyLevelReverts(c.get('client').nodeId);
    const { user, via } = await resolveCaller(c);
    c.set('user', user);
    c.set('via', via);
    // (Every handler awaits the audit records it appends: no answer goes out before they are stored.)
    await next();
    setResponseHeaders(c, NO_STORE);
  });
  app.route(BASE_PATH, api);
  app.route(PROTECTED_RESOURCE_PATH, protectedResourceRoutes);

  app.notFound(() =>
    problemResponse({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'No such endpoint.' }),
  );
  app.onError((error) => errorResponse(error, 'backend'));
  return { app, authenticate, applyLevelReverts };
}

export type Backend = ReturnType<typeof createBackend>;
