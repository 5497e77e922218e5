import type { Credential } from '../../contract/audit';
import type { User } from '../../contract/users';
import type { RateLimitState } from '../auth/engine';
import { rateLimitHeaders } from '../auth/rate-limiter';
import type { StoredToken } from '../store/port';
import type { AppContext } from './context';
import { csrfMissing, HttpProblem, passwordChecksBusy, tooManyFailedSignIns, unauthorized } from './problem';

/** Who sends a request, and how they proved it. */
export interface Caller {
  user: User;
  credential: Credential;
  /** The API token that authenticated the request, if one did. */
  token?: StoredToken;
  /** While rate limiting is on: the token's limit and what is left of it (sent in headers). */
  rateLimit?: RateLimitState;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The request threads named in log lines, as on a Tomcat with 200 of them (made once, not per request). */
const THREADS = Array.from({ length: 200 }, (_, i) => `http-nio-8080-exec-${i + 1}`);
let threadCounter = 0;
const SESSION: Credential = Object.freeze({ kind: 'session' });
const PASSWORD: Credential = Object.freeze({ kind: 'password' });

/**
 * Who sends this request. With an Authorization header, the authentication engine decides (API tokens
 * in both schemes; a regular password through the default authenticator while allowed) and refusals
 * end the request here. Without one, the host's session (the demo's account, the server's cookie).
 */
export async function resolveCaller(c: AppContext): Promise<Caller | null> {
  const { deps } = c.var;
  const authorization = c.req.header('authorization') ?? null;
  if (!authorization) {
    const user = await deps.identify(c.req.raw);
    // A cookie-authenticated change must prove it comes from the console (CSRF).
    if (user && !SAFE_METHODS.has(c.req.method) && deps.checkCsrf && !(await deps.checkCsrf(c.req.raw))) {
      throw csrfMissing();
    }
    return user ? { user, credential: SESSION } : null;
  }
  const client = c.get('client');
  const engine = c.get('engine');
  const request = {
    method: c.req.method,
    path: c.req.path,
    authorization,
    clientIp: client.clientIp,
    proxyIp: client.proxyIp,
    nodeId: client.nodeId,
    thread: THREADS[threadCounter++ % THREADS.length]!,
  };
  const outcome = await engine.authenticate(request);
  switch (outcome.kind) {
    case 'authenticated':
      return {
        user: outcome.user,
        credential: { kind: 'token', tokenId: outcome.token.id },
        token: outcome.token,
        rateLimit: outcome.rateLimit,
      };
    case 'passed-on': {
      // The default authenticator: a regular password (no other app's bearer tokens exist here). An
      // unknown username is checked too: it must cost what a wrong password costs.
      if (outcome.scheme === 'basic' && outcome.username) {
        const check = await deps.verifyPassword(outcome.username, outcome.secret, {
          ...client,
          method: c.req.method,
          endpoint: c.req.path,
        });
        if (check.kind === 'locked') throw tooManyFailedSignIns(check.retryAfterSeconds);
        if (check.kind === 'busy') throw passwordChecksBusy();
        const user =
          check.kind === 'valid' ? await deps.store.findUserByUsername(outcome.username) : undefined;
        if (user) return { user, credential: PASSWORD };
      }
      await engine.passedOnRefused(request);
      throw unauthorized('The credentials are not valid.');
    }
    case 'refused':
      throw unauthorized('The credentials are not valid.');
    case 'permission-denied':
      throw new HttpProblem(
        403,
        'Forbidden',
        'This token has Read Only scope: it cannot be used for this request.',
      );
    case 'rate-limited': {
      const { limit, remaining } = outcome.rateLimit;
      throw new HttpProblem(429, 'Too Many Requests', 'Rate limit exceeded. Try again later.').withHeaders({
        'retry-after': String(outcome.retryAfterSeconds),
        ...rateLimitHeaders(limit, remaining),
      });
    }
    case 'no-credentials':
      // A header the engine does not read (another scheme): no caller.
      return null;
  }
}
