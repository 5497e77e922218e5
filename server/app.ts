import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import { BASE_PATH, REST_PATH } from '../contract/api';
import { SignInRequestSchema } from '../contract/user-schemas';
import { createBackend } from '../backend/app';
import type { TokenRateLimiter } from '../backend/auth/rate-limiter';
import type { ClientInfo } from '../backend/http/context';
import {
  csrfMissing,
  errorResponse,
  parseJsonBody,
  problemResponse,
  passwordChecksBusy,
  tooManyFailedSignIns,
  unauthorized,
} from '../backend/http/problem';
import { appendAuditRecords } from '../backend/services/audit';
import { CachedStore } from '../backend/store/cached-store';
import type { LogEntryListQuery, NewLogEntry, Store } from '../backend/store/port';
import { ipAllowed, isIpAddress } from '../contract/ip';
import { LogShipper } from './cluster/log-shipper';
import { LogFile } from './log-file';
import { signInRecord, SignInGuard, type SignInGuardDeps } from './sign-in-guard';
import { securityHeaders } from './security';
import { setResponseHeaders } from '../backend/http/response-headers';

/** What the server needs of its store beyond the port: passwords and sessions. */
export interface ServerStore extends Store {
  getPasswordHash(username: string): Promise<string | null>;
  createSession(session: {
    idHash: string;
    userKey: string;
    csrfToken: string;
    createdAt: string;
    expiresAt: string;
  }): Promise<void>;
  findSession(idHash: string): Promise<{ userKey: string; csrfToken: string; expiresAt: string } | undefined>;
  deleteSession(idHash: string): Promise<unknown>;
  purgeSessions(now: string): Promise<unknown>;
  /** Runs a duty on one node of the installation at a time (see PostgresStore.exclusively). */
  exclusively(duty: string, work: () => Promise<void>): Promise<void>;
  /** Why the database cannot be written (a full disk), since when; null while it can. */
  readonly writeFailure: { reason: string; since: string } | null;
}

export interface ServerOptions {
  store: ServerStore;
  /** The built console (npm run build); absent: API only. */
  staticDir?: string;
  logFile: string;
  nodeId: string;
  /** Proxies whose X-Forwarded-For is believed (addresses or CIDR ranges). */
  trustedProxies: string[];
  now?: () => Date;
  /**
   * A node of a cluster: log lines are also copied into the database, and Log entries reads them there
   * (every node's). Default: the log file alone.
   */
  logEntriesInDatabase?: boolean;
  /** Where tokens' requests are counted: a cluster's nodes share them (default: this process's memory). */
  tokenLimiter?: TokenRateLimiter;
  /** Where failed sign-ins are counted: a cluster's nodes share them (default: this process's memory). */
  signInFailures?: SignInGuardDeps['failureCounts'];
  /** Where log lines are echoed, as they are written to the file (stdout by default). */
  echoLog?: (lines: string) => void;
}

export const SESSION_COOKIE = 'atc_session';
export const CSRF_COOKIE = 'atc_csrf';
export const CSRF_HEADER = 'x-csrf-token';
/** What @hono/node-server passes beside each request: Node's own request (its socket, its raw headers). */
interface NodeBindings {
  incoming?: { socket?: { remoteAddress?: string }; headers?: Record<string, string | string[] | undefined> };
}

/** The socket address of each API request, recorded by this server (see toBackend). */
const socketByRequest = new WeakMap<Request, string>();
const SESSION_HOURS = 12;
const MAX_BODY_BYTES = 64 * 1024;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * The real server: the same backend as the demo, on SQLite, with sign-in (scrypt passwords, HttpOnly
 * SameSite=Strict session cookie, CSRF token for cookie-authenticated changes), the log file, strict
 * security headers, request size limits, and the built console. Its result's `store` is the cache the
 * backend reads through: write through it, or tell it (`invalidate`) what changed elsewhere.
 */
export function createServerApp(options: ServerOptions) {
  const { store, nodeId } = options;
  const now = options.now ?? (() => new Date());
  const logFile = new LogFile(options.logFile, nodeId, options.echoLog);

  // Log entries live in the node's log file; a node of a cluster also copies them into the database,
  // where the Log entries tab reads every node's lines (docs/decisions/0015-log-entries-of-every-node.md).
  const shipper = options.logEntriesInDatabase
    ? new LogShipper((entries) => store.appendLogEntries(entries))
    : null;
  const logOverrides: Pick<Store, 'appendLogEntries' | 'listLogEntries'> = {
    appendLogEntries: async (entries: NewLogEntry[]) => {
      logFile.append(entries);
      shipper?.ship(entries);
    },
    listLogEntries: async (query: LogEntryListQuery) =>
      shipper ? store.listLogEntries(query) : logFile.list(query),
  };
  // The backend's store: the server's store with log entries in the log file (a plain object with the
  // store's methods bound once, not a Proxy), read through the cache that keeps the token path in
  // memory while nothing changes.
  const backendStore = new CachedStore({ ...bindMethods<Store>(store), ...logOverrides });

  /** Whether the peer of the socket is a trusted proxy (whose forwarded headers are believed). */
  const trusted = (socket: string) =>
    options.trustedProxies.length > 0 && ipAllowed(socket, options.trustedProxies);

  /** Whether the browser talks HTTPS: directly, or to a trusted proxy that says so. */
  // (request.url is absolute and its scheme lower-case: no URL is parsed for it on every request.)
  const https = (request: Request, socket: string) =>
    request.url.startsWith('https:') ||
    (trusted(socket) && request.headers.get('x-forwarded-proto') === 'https');

  function client(request: Request): ClientInfo {
    // Recorded by this server from the socket before the request reaches the backend (see toBackend).
    const socket = socketByRequest.get(request) ?? '127.0.0.1';
    if (trusted(socket)) {
      // The client is the address the trusted proxy saw (the last one it appended).
      const forwarded = (request.headers.get('x-forwarded-for') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const clientIp = forwarded.at(-1);
      // Only an address: anything else in the header is not believed (it reaches logs and records).
      if (clientIp && isIpAddress(clientIp)) return { clientIp, proxyIp: socket, nodeId };
    }
    return { clientIp: socket, proxyIp: null, nodeId };
  }

  async function sessionOf(request: Request) {
    const id = cookieValue(request, SESSION_COOKIE);
    if (!id) return undefined;
    const session = await store.findSession(sha256(id));
    if (!session || Date.parse(session.expiresAt) <= now().getTime()) return undefined;
    return session;
  }

  /** Whether a cookie-authenticated change carries the session's CSRF token, in its header and cookie. */
  function csrfMatches(request: Request, session: { csrfToken: string }): boolean {
    const header = request.headers.get(CSRF_HEADER);
    return !!header && header === session.csrfToken && header === cookieValue(request, CSRF_COOKIE);
  }

  const signInGuard = new SignInGuard({
    getPasswordHash: (username) => store.getPasswordHash(username),
    findUserByUsername: (username) => backendStore.findUserByUsername(username),
    appendAuditRecords: (records) => appendAuditRecords(backendStore, records),
    now,
    failureCounts: options.signInFailures,
  });

  const backend = createBackend({
    store: backendStore,
    now,
    identify: async (request) => {
      const session = await sessionOf(request);
      return session ? ((await backendStore.findUserByKey(session.userKey)) ?? null) : null;
    },
    checkCsrf: async (request) => {
      const session = await sessionOf(request);
      return !!session && csrfMatches(request, session);
    },
    client,
    tokenLimiter: options.tokenLimiter,
    verifyPassword: (username, password, source) => signInGuard.check(username, password, source),
    // What another node did is read afresh: the cache is dropped once the duty is this node's.
    exclusively: (duty, work) =>
      store.exclusively(duty, async () => {
        backendStore.invalidate({ kind: 'everything' });
        await work();
      }),
  });

  const app = new Hono<{ Bindings: NodeBindings }>();
  app.use(securityHeaders({ https: (c) => https(c.req.raw, socketOf(c)) }));
  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () =>
      problemResponse({
        type: 'about:blank',
        title: 'Content Too Large',
        status: 413,
        detail: 'The request body is too large.',
      }),
  });
  // Only a request that has a body is checked: asking for the body of one that has none makes
  // @hono/node-server build a full Request for it, a cost every GET would pay.
  app.use((c, next) => {
    const headers = c.env?.incoming?.headers;
    const hasBody =
      !headers || headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined;
    return hasBody ? limitBody(c, next) : next();
  });

  // Sign in and out (server only; the demo has its account switcher instead).
  // Both end in an audit record of the sign-in category (as Keycloak's LOGIN and LOGIN_ERROR).
  app.post(`${BASE_PATH}/session`, async (c) => {
    const { username, password } = await parseJsonBody(c.req.raw, SignInRequestSchema);
    socketByRequest.set(c.req.raw, socketOf(c));
    const source = { ...client(c.req.raw), method: 'POST', endpoint: c.req.path };
    const check = await signInGuard.check(username, password, source, { auditFailure: true });
    if (check.kind === 'locked') throw tooManyFailedSignIns(check.retryAfterSeconds);
    if (check.kind === 'busy') throw passwordChecksBusy();
    const user = check.kind === 'valid' ? await backendStore.findUserByUsername(username) : undefined;
    // The same answer whether the user exists or not (and the same time: see SignInGuard).
    if (!user) throw unauthorized('Wrong username or password.');
    const at = now();
    const id = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    await store.purgeSessions(at.toISOString());
    await store.createSession({
      idHash: sha256(id),
      userKey: user.key,
      csrfToken,
      createdAt: at.toISOString(),
      expiresAt: new Date(at.getTime() + SESSION_HOURS * 3_600_000).toISOString(),
    });
    await appendAuditRecords(backendStore, [signInRecord('User signed in', { username, user }, source, at)]);
    const secure = https(c.req.raw, socketOf(c)) ? '; Secure' : '';
    const maxAge = SESSION_HOURS * 3600;
    c.header(
      'set-cookie',
      `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure}`,
      { append: true },
    );
    // Readable by the console, which echoes it in a header: a cross-site page can do neither.
    c.header(
      'set-cookie',
      `${CSRF_COOKIE}=${csrfToken}; Path=/; SameSite=Strict; Max-Age=${maxAge}${secure}`,
      { append: true },
    );
    return c.body(null, 204);
  });
  app.delete(`${BASE_PATH}/session`, async (c) => {
    const id = cookieValue(c.req.raw, SESSION_COOKIE);
    const session = await sessionOf(c.req.raw);
    // Signing out is a change like any other: only the console, which can read the CSRF cookie, may.
    if (session && !csrfMatches(c.req.raw, session)) throw csrfMissing();
    if (id) await store.deleteSession(sha256(id));
    c.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`, {
      append: true,
    });
    c.header('set-cookie', `${CSRF_COOKIE}=; Path=/; SameSite=Strict; Max-Age=0`, { append: true });
    return c.body(null, 204);
  });

  // The API: the backend gets the same Request; its socket address travels beside it, never in a
  // header (a client cannot name its own address, and nothing is copied on the hot path).
  const toBackend = (c: {
    req: { raw: Request };
    env: { incoming?: { socket?: { remoteAddress?: string } } };
  }) => {
    socketByRequest.set(c.req.raw, socketOf(c));
    return backend.app.fetch(c.req.raw);
  };
  // Every path under /rest/: an unknown one is the backend's JSON 404, never the console's page.
  app.all(`${REST_PATH}/*`, (c) => toBackend(c));
  // For load balancers and monitoring: 503 while the database or the log file cannot be written.
  app.get('/health', (c) => {
    const problems = [
      store.writeFailure && { part: 'database', ...store.writeFailure },
      logFile.writeFailure && { part: 'log file', ...logFile.writeFailure },
    ].filter(Boolean);
    return problems.length === 0
      ? c.json({ status: 'ok' })
      : c.json({ status: 'unavailable', problems }, 503);
  });

  if (options.staticDir && existsSync(options.staticDir)) {
    const root = options.staticDir;
    const index = readFileSync(join(root, 'index.html'), 'utf8');
    // Built assets have content hashes in their names: cache them for good, and send them compressed:
    // the build's Brotli or gzip copy where there is one (precompressed), else compressed on the fly.
    // (Only them: compressing the API would weaken its ETags and hold back the streamed export.)
    app.use('/assets/*', compress());
    app.use('/assets/*', async (c, next) => {
      await next();
      if (c.res.ok) setResponseHeaders(c, { 'cache-control': 'public, max-age=31536000, immutable' });
    });
    app.use('/*', serveStatic({ root, precompressed: true }));
    // The console's routes (/settings, /audit, …) are the single page.
    app.get('*', (c) => c.html(index));
  }

  app.onError((error, c) => errorResponse(error, 'server', c.req.raw));
  return { app, backend, logFile, shipper, store: backendStore };
}

function cookieValue(request: Request, name: string): string | undefined {
  const header = request.headers.get('cookie') ?? '';
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/** An object with every method of `instance` (its own, its class's and their parents'), bound to it. */
function bindMethods<T extends object>(instance: T): T {
  const bound: Record<string, unknown> = {};
  for (
    let holder: object | null = instance;
    holder && holder !== Object.prototype;
    holder = Object.getPrototypeOf(holder) as object | null
  ) {
    for (const name of Object.getOwnPropertyNames(holder)) {
      const value = (instance as Record<string, unknown>)[name];
      if (name !== 'constructor' && !(name in bound) && typeof value === 'function')
        bound[name] = value.bind(instance);
    }
  }
  return bound as T;
}

/** The peer address of the request's socket ("::ffff:127.0.0.1" → "127.0.0.1"). */
function socketOf(c: { env: NodeBindings }): string {
  return normaliseAddress(c.env?.incoming?.socket?.remoteAddress ?? '127.0.0.1');
}

/** "::ffff:127.0.0.1" → "127.0.0.1". */
function normaliseAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
