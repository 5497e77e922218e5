import { Hono } from 'hono';
import { BASE_PATH } from '../contract/api';
import { createAuthEngine } from './auth/engine';
import { resolveCaller } from './http/authenticate';
import type { AppEnv, BackendDeps } from './http/context';
import { errorResponse, problemResponse } from './http/problem';
import { createLogWriter } from './logging/log-writer';
import { auditRoutes } from './routes/audit';
import { demoRoutes } from './routes/demo';
import { directoryRoutes } from './routes/directory';
import { applyDueLevelReverts, loggingRoutes } from './routes/logging';
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
  const engine = createAuthEngine({ store: () => deps.store, now: deps.now, log });

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
    const client = deps.client(c.req.raw);
    c.set('client', client);
    c.set('engine', engine);
    const reverts = await deps.store.listLevelReverts();
    if (reverts.length > 0) await applyDueLevelReverts(deps, reverts);
    const due = engine.writeFurtherAttempts(client.nodeId);
    if (due) await due;
    const caller = await resolveCaller(c);
    c.set('user', caller?.user ?? null);
    c.set('credential', caller?.credential ?? null);
    // (The engine and every handler await the audit records they append, refusals included: no
    // answer goes out before they are stored, and one whose records cannot be stored is an error.)
    await next();
    setResponseHeaders(c, NO_STORE);
  });
  app.route(BASE_PATH, api);
  app.route(PROTECTED_RESOURCE_PATH, protectedResourceRoutes);

  app.notFound(() =>
    problemResponse({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'No such endpoint.' }),
  );
  app.onError((error, c) => errorResponse(error, 'backend', c.req.raw));
  return { app };
}

export type Backend = ReturnType<typeof createBackend>;
