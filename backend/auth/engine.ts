import {
  ANONYMOUS_AUTHOR,
  AUDIT_CATEGORY,
  type AffectedObject,
  type AuditEvent,
  type FailureReason,
} from '../../contract/audit';
import { ipAllowed } from '../../contract/ip';
import { APP_LOGGERS } from '../../contract/logging';
import type { Settings } from '../../contract/settings';
import { READ_ONLY_METHODS } from '../../contract/tokens';
import type { User } from '../../contract/users';
import type { LogWriter } from '../logging/log-writer';
import type { NewAuditRecord, Store, StoredToken } from '../store/port';
import { logLines } from './log-lines';
import type { RateLimiter } from './rate-limiter';
import { hashesEqual, hashSecret } from './secrets';

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
  | { kind: 'authenticated'; user: User; token: StoredToken }
  /** Not a token, and the gate is open: the default authenticator (passwords, other bearer tokens) decides. */
  | { kind: 'passed-on'; scheme: 'basic' | 'bearer'; username: string | null; secret: string }
  | { kind: 'refused'; status: 401; reason: FailureReason }
  | { kind: 'permission-denied'; status: 403; user: User; token: StoredToken }
  | { kind: 'rate-limited'; status: 429; retryAfterSeconds: number };

interface Credentials {
  scheme: 'basic' | 'bearer';
  /** Basic only; a bearer token carries no username. */
  username: string | null;
  secret: string;
}

export function parseAuthorization(header: string | null): Credentials | null {
  if (!header) return null;
  const [scheme = '', ...rest] = header.trim().split(/\s+/);
  const value = rest.join(' ');
  if (scheme.toLowerCase() === 'bearer' && value) return { scheme: 'bearer', username: null, secret: value };
  if (scheme.toLowerCase() !== 'basic' || !value) return null;
  let decoded: string;
  try {
    decoded = new TextDecoder().decode(Uint8Array.from(atob(value), (c) => c.charCodeAt(0)));
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
  rateLimiter: RateLimiter;
}

/**
 * The authentication engine: decides one request as the seed describes, and writes the audit records
 * (per the Audit Logging options) and log lines (per the loggers' levels) of its outcome.
 */
export function createAuthEngine(deps: AuthEngineDeps) {
  return function authenticate(request: AuthRequest): AuthOutcome {
    const credentials = parseAuthorization(request.authorization);
    if (!credentials) return { kind: 'no-credentials' };
    const store = deps.store();
    const settings = store.getSettings();
    const now = deps.now();
    // Helpers of this request: they write the log lines and audit records of its outcome.
    const info = (logger: string, username: string | null, lines: () => string | readonly string[]) =>
      logInfo(deps.log, request, logger, username, lines);
    const audit = (summary: AuditEvent, fields: AuditFields) =>
      store.appendAuditRecords([auditRecord(summary, fields, request, now)]);

    const hash = hashSecret(credentials.secret);
    const found = store.findTokenByHash(hash);
    const owner = found ? store.findUserByKey(found.ownerKey) : undefined;
    // A Basic username must name the token's owner; otherwise the secret is not this user's token.
    const token =
      found &&
      owner &&
      hashesEqual(found.secretHash, hash) &&
      (credentials.scheme === 'bearer' || credentials.username === owner.username)
        ? found
        : undefined;

    const fail = (reason: FailureReason, user: User | undefined, message: () => string): AuthOutcome => {
      info(APP_LOGGERS.authService, credentials.username, message);
      recordFailure(settings, credentials, reason, user, token, audit);
      return { kind: 'refused', status: 401, reason };
    };

    if (!token || !owner) {
      const user = credentials.username ? store.findUserByUsername(credentials.username) : undefined;
      if (credentials.scheme === 'basic') {
        const username = credentials.username ?? '';
        if (settings.authentication.disableBasicAuthWithPasswords) {
          return fail('WRONG_TOKEN', user, () => logLines.basicFailed(username, request.path));
        }
        info(APP_LOGGERS.authService, username, () => logLines.passedOn(username, request.path));
      } else {
        if (settings.authentication.disableBearerWithOtherAuthenticators) {
          return fail('WRONG_TOKEN', undefined, () => logLines.bearerFailed(request.path));
        }
        info(APP_LOGGERS.authService, null, () => logLines.bearerPassedOn(request.path));
      }
      // Passed on: it may be a password or another authenticator's token, so only 2c records it.
      if (settings.auditLogging.failedVerification) {
        audit('Failed API token verification', {
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

    const { expiresAt } = token;
    if (expiresAt !== null && Date.parse(expiresAt) <= now.getTime()) {
      return fail('EXPIRED_TOKEN', owner, () =>
        logLines.expired(token, owner.username, expiresAt, request.path),
      );
    }
    if (
      !ipAllowed(request.clientIp, settings.authentication.ipRestrictions) ||
      !ipAllowed(request.clientIp, token.ipRestrictions)
    ) {
      return fail('IP_RESTRICTED', owner, () =>
        logLines.ipRestricted(token, owner.username, request.clientIp, request.path),
      );
    }

    const { rateLimit } = settings.authentication;
    if (rateLimit.enabled && !deps.rateLimiter.take(token.id, rateLimit, now.getTime())) {
      info(APP_LOGGERS.rateLimiter, owner.username, () =>
        logLines.rateLimited(
          token,
          owner.username,
          rateLimit.requestsPerMinute,
          rateLimit.burst,
          request.path,
        ),
      );
      return {
        kind: 'rate-limited',
        status: 429,
        retryAfterSeconds: deps.rateLimiter.retryAfterSeconds(rateLimit),
      };
    }

    // "Last used" is kept to the minute: a busy token does not write on every request.
    const lastUsed = token.lastUsedAt === null ? 0 : Date.parse(token.lastUsedAt);
    if (token.lastUsedIp !== request.clientIp || now.getTime() - lastUsed >= LAST_USED_RESOLUTION_MS) {
      store.recordTokenUse(token.id, now.toISOString(), request.clientIp);
    }

    if (
      token.scope === 'READ_ONLY' &&
      !(READ_ONLY_METHODS as readonly string[]).includes(request.method.toUpperCase())
    ) {
      info(APP_LOGGERS.authService, owner.username, () =>
        logLines.permissionDenied(token, owner.username, request.method, request.path),
      );
      if (settings.auditLogging.permissionDenied) {
        audit('Permission denied', {
          reason: 'READ_ONLY_SCOPE',
          user: owner,
          username: owner.username,
          token,
        });
      }
      return { kind: 'permission-denied', status: 403, user: owner, token };
    }

    info(APP_LOGGERS.authService, owner.username, () =>
      logLines.authenticated(token, owner.username, request.path),
    );
    if (settings.auditLogging.successfulAuthentication) {
      audit('Successful authentication', { user: owner, username: owner.username, token });
    }
    return { kind: 'authenticated', user: owner, token };
  };
}

export type AuthEngine = ReturnType<typeof createAuthEngine>;

/** Writes INFO lines, formatted only when the logger's level lets them through (many servers run at WARN). */
function logInfo(
  log: LogWriter,
  request: AuthRequest,
  logger: string,
  username: string | null,
  lines: () => string | readonly string[],
) {
  if (!log.enabled(logger, 'INFO', request.nodeId)) return;
  const context = {
    username: username ?? 'anonymous',
    clientIp: request.proxyIp ? `${request.clientIp},${request.proxyIp}` : request.clientIp,
    url: request.path,
    node: request.nodeId,
    thread: request.thread,
  };
  const produced = lines();
  // (write checks the level again: cheap, and it keeps the writer safe for any caller.)
  log.write(logger, 'INFO', context, typeof produced === 'string' ? [produced] : produced);
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
function recordFailure(
  settings: Settings,
  credentials: Credentials,
  reason: FailureReason,
  user: User | undefined,
  token: StoredToken | undefined,
  audit: (summary: AuditEvent, fields: AuditFields) => void,
) {
  const options = settings.auditLogging;
  // A bearer attempt names a user only through a token it matched; a wrong one has no username.
  const fields: AuditFields = { reason, user, username: credentials.username ?? user?.username, token };
  if (credentials.scheme === 'basic' && options.failedBasicAttempts) {
    audit('Failed API token basic authentication attempt', fields);
  } else if (credentials.scheme === 'bearer' && options.failedBearerAttempts) {
    audit('Failed API token bearer authentication attempt', fields);
  } else if (options.failedVerification) {
    audit('Failed API token verification', fields);
  }
}

function auditRecord(
  summary: AuditEvent,
  fields: AuditFields,
  request: AuthRequest,
  now: Date,
): NewAuditRecord {
  const affectedObjects: AffectedObject[] = [];
  if (fields.user) affectedObjects.push({ type: 'user', id: fields.user.key, name: fields.user.username });
  if (fields.token)
    affectedObjects.push({ type: 'token', id: fields.token.id, name: fields.token.description });
  return {
    timestamp: now.toISOString(),
    author: { username: null, displayName: ANONYMOUS_AUTHOR },
    category: AUDIT_CATEGORY,
    summary,
    affectedObjects,
    changedValues: [],
    source: {
      clientIp: request.clientIp,
      proxyIp: request.proxyIp,
      nodeId: request.nodeId,
      method: request.method,
    },
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
  };
}
