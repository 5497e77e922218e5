import type { Context } from 'hono';
import type { Credential } from '../../contract/audit';
import type { DemoTrafficSummary } from '../../contract/demo-schemas';
import { permissionsFor, type Permission, type User } from '../../contract/users';
import type { AuthEngine } from '../auth/engine';
import type { TokenRateLimiter } from '../auth/rate-limiter';
import type { Store, StoredToken } from '../store/port';
import { forbidden, unauthorized } from './problem';

/** Where a request came from, as the host knows it (socket address, trusted proxy, cluster node). */
export interface ClientInfo {
  clientIp: string;
  proxyIp: string | null;
  nodeId: string;
}

/** Where a password attempt came from (for brute-force detection and its audit records). */
export interface PasswordSource extends ClientInfo {
  method: string;
  endpoint: string;
}

/**
 * The answer of a password check: right, wrong, refused unchecked for a while (brute-force
 * detection), or refused unchecked because too many checks wait already (busy).
 */
export type PasswordCheck =
  { kind: 'valid' } | { kind: 'invalid' } | { kind: 'locked'; retryAfterSeconds: number } | { kind: 'busy' };

/** What a backend runs on; each host (demo worker, tests, Node server) provides its own. */
export interface BackendDeps {
  store: Store;
  now: () => Date;
  /** Resolves the signed-in console user of a request (demo: the switcher's account; server: the session). */
  identify: (request: Request) => Promise<User | null>;
  client: (request: Request) => ClientInfo;
  /**
   * The default authenticator behind the engine: checks a regular password (the real server off the
   * event loop, with brute-force detection, and as long for an unknown user as for a known one).
   */
  verifyPassword: (username: string, password: string, source: PasswordSource) => Promise<PasswordCheck>;
  /** Cookie sessions only: whether a state-changing request carries the session's CSRF token. */
  checkCsrf?: (request: Request) => Promise<boolean>;
  /**
   * Runs a duty that must happen once in the whole installation (putting back a temporary level) on
   * one node at a time: in a cluster under a PostgreSQL advisory lock, the node's cache dropped first
   * so that the duty sees what another node did. Absent (one process): it just runs.
   */
  exclusively?: (duty: string, work: () => Promise<void>) => Promise<void>;
  /** Where tokens' requests are counted; absent: in this process's memory (one server, the demo). */
  tokenLimiter?: TokenRateLimiter;
  /** Present only in the demo host: restores the seeded state. */
  resetDemo?: () => void;
  /** Present only in the demo host: pushes a burst of realistic REST requests through the engine. */
  sendDemoTraffic?: () => Promise<DemoTrafficSummary>;
}

export interface AppEnv {
  Variables: {
    deps: BackendDeps;
    user: User | null;
    /** How the caller proved who they are (null: no caller). */
    credential: Credential | null;
    /** The API token that authenticated the request, if one did. */
    token: StoredToken | null;
    client: ClientInfo;
    engine: AuthEngine;
  };
}

export type AppContext = Context<AppEnv>;

export function currentUser(c: AppContext): User {
  const user = c.get('user');
  if (!user) throw unauthorized();
  return user;
}

export async function userPermissions(c: AppContext, user: User): Promise<Permission[]> {
  return permissionsFor(user, (await c.get('deps').store.getSettings()).permissions);
}

/** The signed-in user, if they have `permission` (or one of a list); 401 or 403 otherwise. */
export async function requirePermission(
  c: AppContext,
  permission: Permission | readonly Permission[],
): Promise<User> {
  const user = currentUser(c);
  const granted = await userPermissions(c, user);
  const anyOf = typeof permission === 'string' ? [permission] : permission;
  if (!anyOf.some((p) => granted.includes(p))) throw forbidden();
  return user;
}
