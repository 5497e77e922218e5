import { type AffectedObject, type AuditEvent, type FailureReason } from '../../contract/audit';
import { attemptSource, ipAllowed } from '../../contract/ip';
import { APP_LOGGERS } from '../../contract/logging';
import type { Settings } from '../../contract/settings';
import { READ_ONLY_METHODS } from '../../contract/tokens';
import { mayUseTokens, type User } from '../../contract/users';
import type { LogWriter, NodeLevels } from '../logging/log-writer';
import type { NewAuditRecord, Store, StoredToken } from '../store/port';
import { logLines } from './log-lines';
import { FailedAttempts } from './failed-attempts';
import { RateLimiter, retryAfter, type RateLimit, type TokenRateLimiter } from './rate-limiter';
import { hashesEqual, hashSecret } from './secrets';
import { appendAuditRecords, auditRecord } from '../services/audit';

/** What the engine needs to know of one REST request. */
export interface AuthRequest {
  method: string;
  /** The REST endpoint (path). */
  path: string;
  authorization: string | null;
  clientIp: string;
  /** The load balancer / proxy the request came through, if any. */
  proxyIp: string | null;
  nodeId: string;
  thread: string;
}

/** How fresh "last used" is kept: a write at most once a minute per token (and whenever the IP changes). */
export const LAST_USED_RESOLUTION_MS = 60_000;

export type AuthOutcome =
  /** No Authorization header: not the engine's business. */
  | { kind: 'no-credentials' }
  /** `rateLimit`: while rate limiting is on, the token's limit and the requests left in its bucket. */
  | { kind: 'authenticated'; user: User; token: StoredToken; rateLimit?: RateLimitState }
  /** Not a token, and the gate is open: the default authenticator (passwords, other bearer tokens) decides. */
  | { kind: 'passed-on'; scheme: 'basic' | 'bearer'; username: string | null; secret: string }
  | { kind: 'refused'; status: 401; reason: FailureReason }
  | { kind: 'permission-denied'; status: 403; user: User; token: StoredToken }
  | { kind: 'rate-limited'; status: 429; retryAfterSeconds: number; rateLimit: RateLimitState };

/** What a client is told of its rate limit (see rateLimitHeaders). */
export interface RateLimitState {
  limit: RateLimit;
  remaining: number;
}

interface Credentials {
  scheme: 'basic' | 'bearer';
  /** Basic only; a bearer token carries no username. */
  username: string | null;
  secret: string;
}

const WHITESPACE = /\s/;
const WHITESPACE_RUN = /\s+/;
const UTF8 = new TextDecoder();

export function parseAuthorization(header: string | null): Credentials | null {
  if (!header) return null;
  // "<scheme> <value>": the scheme is the first word; runs of whitespace in the value count as one space.
  const text = header.trim();
  const gap = text.search(WHITESPACE);
  if (gap < 0) return null;
  const scheme = text.slice(0, gap).toLowerCase();
  const rest = text.slice(gap + 1).trimStart();
  const value = WHITESPACE.test(rest) ? rest.split(WHITESPACE_RUN).join(' ') : rest;
  if (scheme === 'bearer') return { scheme: 'bearer', username: null, secret: value };
  if (scheme !== 'basic') return null;
  let decoded: string;
  try {
    decoded = UTF8.decode(Uint8Array.from(atob(value), (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { scheme: 'basic', username: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

export interface AuthEngineDeps {
  store: () => Store;
  now: () => Date;
  log: LogWriter;
  /** Where tokens' requests are counted (default: this process's memory; a cluster shares them). */
  tokenLimiter?: TokenRateLimiter;
}

/**
 * The authentication engine: decides one request as the seed describes, and writes the audit records
 * (per the Audit Logging options) and log lines (per the loggers' levels) of its outcome. Failed
 * attempts are throttled by source (they count against its rate limit) and their records aggregated
 * (see FailedAttempts).
 */
export function createAuthEngine(deps: AuthEngineDeps) {
  const limits: Limits = {
    tokens: deps.tokenLimiter ?? new RateLimiter(),
    sources: new RateLimiter(),
    failedAttempts: new FailedAttempts(),
  };
  // This runs for every token request: its helpers are module functions that take the request's
  // event, not closures made per request (see AuthEvent); only a log line's text is a closure.
  // Every outcome waits for its log lines and audit records: no answer goes out before they are stored.
  async function authenticate(request: AuthRequest): Promise<AuthOutcome> {
    const credentials = parseAuthorization(request.authorization);
    if (!credentials) return NO_CREDENTIALS;
    const store = deps.store();
    // The hot reads (settings, levels, token, owner) come from memory while nothing changed: the
    // memory adapter holds everything, the server's CachedStore what it has found.
    const settings = await store.getSettings();
    const levels = deps.log.levelsOf(await store.listLoggers(request.nodeId));
    const now = deps.now();
    const event: AuthEvent = { log: deps.log, levels, store, settings, request, credentials, now, limits };

    // A source whose failed attempts used up its rate limit is answered before anything is checked.
    const { rateLimit } = settings.authentication;
    if (rateLimit.enabled && !limits.sources.available(sourceKey(request), rateLimit, now.getTime())) {
      return rateLimited(event, credentials.username, () =>
        logLines.sourceRateLimited(
          attemptSource(request.clientIp),
          rateLimit.requestsPerMinute,
          rateLimit.burst,
          request.path,
        ),
      );
    }

    const hash = hashSecret(credentials.secret);
    const found = await store.findTokenByHash(hash);
    const owner = found ? await store.findUserByKey(found.ownerKey) : undefined;
    // A Basic username must name the token's owner; otherwise the secret is not this user's token.
    const token =
      found &&
      owner &&
      secretWorks(found, hash, now) &&
      (credentials.scheme === 'bearer' || credentials.username === owner.username)
        ? found
        : undefined;

    if (!token || !owner) {
      const user = credentials.username ? await store.findUserByUsername(credentials.username) : undefined;
      if (credentials.scheme === 'basic') {
        const username = credentials.username ?? '';
        if (settings.authentication.disableBasicAuthWithPasswords) {
          return fail(event, 'WRONG_TOKEN', user, undefined, () =>
            logLines.basicFailed(username, request.path),
          );
        }
        await logInfo(event, APP_LOGGERS.authService, username, () =>
          logLines.passedOn(username, request.path),
        );
      } else {
        if (settings.authentication.disableBearerWithOtherAuthenticators) {
          return fail(event, 'WRONG_TOKEN', undefined, undefined, () => logLines.bearerFailed(request.path));
        }
        await logInfo(event, APP_LOGGERS.authService, null, () => logLines.bearerPassedOn(request.path));
      }
      // Passed on: it may be a password or another authenticator's token, so only 2c records it.
      if (settings.auditLogging.failedVerification) {
        await auditFailedAttempt(event, 'Failed API token verification', {
          reason: 'NO_VALID_TOKEN',
          user,
          username: credentials.username,
        });
      }
      return {
        kind: 'passed-on',
        scheme: credentials.scheme,
        username: credentials.username,
        secret: credentials.secret,
      };
    }

    const times = timesOf(token);
    const { expiresAt } = token;
    if (expiresAt !== null && times.expiresAt <= now.getTime()) {
      return fail(event, 'EXPIRED_TOKEN', owner, token, () =>
        logLines.expired(token, owner.username, expiresAt, request.path),
      );
    }
    // "Use API tokens" (Settings → Permissions) decides on every request, not only in the console.
    if (!mayUseTokens(owner, settings.permissions)) {
      return fail(event, 'TOKENS_NOT_ALLOWED', owner, token, () =>
        logLines.notAllowed(token, owner.username, request.path),
      );
    }
    if (
      !ipAllowed(request.clientIp, settings.authentication.ipRestrictions) ||
      !ipAllowed(request.clientIp, token.ipRestrictions)
    ) {
      return fail(event, 'IP_RESTRICTED', owner, token, () =>
        logLines.ipRestricted(token, owner.username, request.clientIp, request.path),
      );
    }

    const taken = rateLimit.enabled ? limits.tokens.take(token.id, rateLimit, now.getTime()) : 0;
    // Awaited only when shared by a cluster: one server's count stays synchronous (the hot path).
    const remaining = typeof taken === 'object' && taken !== null ? await taken : taken;
    if (remaining === null) {
      return rateLimited(event, owner.username, () =>
        logLines.rateLimited(
          token,
          owner.username,
          rateLimit.requestsPerMinute,
          rateLimit.burst,
          request.path,
        ),
      );
    }

    // "Last used" is kept to the minute: a busy token does not write on every request.
    if (
      token.lastUsedIp !== request.clientIp ||
      now.getTime() - times.lastUsedAt >= LAST_USED_RESOLUTION_MS
    ) {
      await store.recordTokenUse(token.id, now.toISOString(), request.clientIp);
    }

    if (token.scope === 'READ_ONLY' && !READ_ONLY.has(request.method.toUpperCase())) {
      await logInfo(event, APP_LOGGERS.authService, owner.username, () =>
        logLines.permissionDenied(token, owner.username, request.method, request.path),
      );
      if (settings.auditLogging.permissionDenied) {
        await audit(event, 'Permission denied', {
          reason: 'READ_ONLY_SCOPE',
          user: owner,
          username: owner.username,
          token,
        });
      }
      return { kind: 'permission-denied', status: 403, user: owner, token };
    }

    await logInfo(event, APP_LOGGERS.authService, owner.username, () =>
      logLines.authenticated(token, owner.username, request.path),
    );
    if (settings.auditLogging.successfulAuthentication) {
      await audit(event, 'Successful authentication', { user: owner, username: owner.username, token });
    }
    return rateLimit.enabled
      ? { kind: 'authenticated', user: owner, token, rateLimit: { limit: rateLimit, remaining } }
      : { kind: 'authenticated', user: owner, token };
  }

  return {
    authenticate,
    /**
     * A request the engine passed on, which the default authenticator then refused (a wrong
     * password): a failed attempt of its source too.
     */
    async passedOnRefused(request: AuthRequest): Promise<void> {
      const { rateLimit } = (await deps.store().getSettings()).authentication;
      if (rateLimit.enabled) limits.sources.take(sourceKey(request), rateLimit, deps.now().getTime());
    },
    /**
     * Writes a "Further failed attempts" record for every source whose interval has ended with
     * attempts beyond the ones recorded one by one; null when there is none (no promise to await on
     * the way of every request, which calls it).
     */
    writeFurtherAttempts(nodeId: string): Promise<unknown> | null {
      const now = deps.now();
      const ended = limits.failedAttempts.takeEnded(now.getTime());
      if (ended.length === 0) return null;
      return appendAuditRecords(
        deps.store(),
        ended.map(({ furtherAttempts, lastIp }) =>
          auditRecord({
            summary: 'Further failed attempts',
            at: now,
            client: { clientIp: lastIp, proxyIp: null, nodeId },
            method: null,
            details: { furtherAttempts },
          }),
        ),
      );
    },
  };
}

/** The engine's rate limits and the aggregation of failed attempts (each bounded in memory). */
interface Limits {
  /** Requests per token (in a cluster, counted for the whole installation). */
  tokens: TokenRateLimiter;
  /** Failed attempts per source. */
  sources: RateLimiter;
  failedAttempts: FailedAttempts;
}

/** The rate limiter's key of a request's source (an IPv4 address or an IPv6 /64). */
const sourceKey = (request: AuthRequest) => `source:${attemptSource(request.clientIp)}`;

const NO_CREDENTIALS: AuthOutcome = Object.freeze({ kind: 'no-credentials' });
const READ_ONLY = new Set<string>(READ_ONLY_METHODS);

/**
 * What the engine knows of the request it is deciding: passed to the helpers that write its log
 * lines and audit records. (One object instead of helper closures made for every request: the
 * server runs under tsx, whose keepNames gives each named closure a defineProperty call.)
 */
interface AuthEvent {
  log: LogWriter;
  levels: NodeLevels;
  store: Store;
  settings: Settings;
  request: AuthRequest;
  credentials: Credentials;
  now: Date;
  limits: Limits;
}

/**
 * Whether `hash` is the token's secret, or its previous secret within the grace period of a rotation
 * (after that, the previous secret is a wrong token like any other).
 */
function secretWorks(token: StoredToken, hash: string, now: Date): boolean {
  if (hashesEqual(token.secretHash, hash)) return true;
  return (
    token.previousSecretHash !== null &&
    token.previousSecretExpiresAt !== null &&
    hashesEqual(token.previousSecretHash, hash) &&
    Date.parse(token.previousSecretExpiresAt) > now.getTime()
  );
}

/** A token's times as numbers, parsed once per token object (stores hand out the same object until it changes). */
const parsedTimes = new WeakMap<StoredToken, { expiresAt: number; lastUsedAt: number }>();
function timesOf(token: StoredToken) {
  let times = parsedTimes.get(token);
  if (!times) {
    times = {
      expiresAt: token.expiresAt === null ? Infinity : Date.parse(token.expiresAt),
      lastUsedAt: token.lastUsedAt === null ? 0 : Date.parse(token.lastUsedAt),
    };
    parsedTimes.set(token, times);
  }
  return times;
}

/** A refused request: its log line, its audit record (per the options), and the 401 outcome. */
async function fail(
  event: AuthEvent,
  reason: FailureReason,
  user: User | undefined,
  token: StoredToken | undefined,
  message: () => string,
): Promise<AuthOutcome> {
  await logInfo(event, APP_LOGGERS.authService, event.credentials.username, message);
  await recordFailure(event, reason, user, token);
  const { rateLimit } = event.settings.authentication;
  if (rateLimit.enabled) event.limits.sources.take(sourceKey(event.request), rateLimit, event.now.getTime());
  return { kind: 'refused', status: 401, reason };
}

/**
 * A 429 (a token's or a source's rate limit, both set by the same setting): the rate limiter's log
 * line, when to try again, and an empty bucket.
 */
async function rateLimited(
  event: AuthEvent,
  username: string | null,
  message: () => string,
): Promise<AuthOutcome> {
  await logInfo(event, APP_LOGGERS.rateLimiter, username, message);
  const limit = event.settings.authentication.rateLimit;
  return {
    kind: 'rate-limited',
    status: 429,
    retryAfterSeconds: retryAfter(limit),
    rateLimit: { limit, remaining: 0 },
  };
}

async function audit(event: AuthEvent, summary: AuditEvent, fields: AuditFields): Promise<void> {
  await appendAuditRecords(event.store, [authRecord(summary, fields, event.request, event.now)]);
}

/** A failed attempt's record: written for the first ones of its source, counted after them. */
async function auditFailedAttempt(event: AuthEvent, summary: AuditEvent, fields: AuditFields): Promise<void> {
  if (event.limits.failedAttempts.admit(event.request.clientIp, event.now.getTime())) {
    await audit(event, summary, fields);
  }
}

export type AuthEngine = ReturnType<typeof createAuthEngine>;

/** Writes INFO lines, formatted only when the logger's level lets them through (many servers run at WARN). */
async function logInfo(
  { log, levels, request }: AuthEvent,
  logger: string,
  username: string | null,
  lines: () => string | readonly string[],
): Promise<void> {
  if (!levels.allows(logger, 'INFO')) return;
  const context = {
    username: username ?? 'anonymous',
    clientIp: request.proxyIp ? `${request.clientIp},${request.proxyIp}` : request.clientIp,
    url: request.path,
    node: request.nodeId,
    thread: request.thread,
  };
  const produced = lines();
  await log.write(levels, logger, 'INFO', context, typeof produced === 'string' ? [produced] : produced);
}

interface AuditFields {
  reason?: FailureReason;
  user?: User;
  username?: string | null;
  token?: StoredToken;
}

/**
 * A failed attempt is recorded once: under 2a (basic) or 2b (bearer) when that option is on, else under
 * 2c (failed token verification) when that one is.
 */
async function recordFailure(
  event: AuthEvent,
  reason: FailureReason,
  user: User | undefined,
  token: StoredToken | undefined,
): Promise<void> {
  const options = event.settings.auditLogging;
  const { credentials } = event;
  // A bearer attempt names a user only through a token it matched; a wrong one has no username.
  const fields: AuditFields = { reason, user, username: credentials.username ?? user?.username, token };
  if (credentials.scheme === 'basic' && options.failedBasicAttempts) {
    await auditFailedAttempt(event, 'Failed API token basic authentication attempt', fields);
  } else if (credentials.scheme === 'bearer' && options.failedBearerAttempts) {
    await auditFailedAttempt(event, 'Failed API token bearer authentication attempt', fields);
  } else if (options.failedVerification) {
    await auditFailedAttempt(event, 'Failed API token verification', fields);
  }
}

function authRecord(
  summary: AuditEvent,
  fields: AuditFields,
  request: AuthRequest,
  now: Date,
): NewAuditRecord {
  const affectedObjects: AffectedObject[] = [];
  if (fields.user) affectedObjects.push({ type: 'user', id: fields.user.key, name: fields.user.username });
  if (fields.token)
    affectedObjects.push({ type: 'token', id: fields.token.id, name: fields.token.description });
  return auditRecord({
    summary,
    at: now,
    client: request,
    method: request.method,
    affectedObjects,
    details: {
      ...(fields.token && {
        tokenId: fields.token.id,
        tokenDescription: fields.token.description,
        scope: fields.token.scope,
      }),
      endpoint: request.path,
      ...(fields.reason && { reason: fields.reason }),
      ...(fields.username && { username: fields.username }),
    },
  });
}
