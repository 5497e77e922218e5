import { availableParallelism } from 'node:os';
import pLimit from 'p-limit';
import { ANONYMOUS_AUTHOR, SIGN_IN_CATEGORY, type FailureReason } from '../contract/audit';
import { attemptSource } from '../contract/ip';
import type { User } from '../contract/users';
import type { PasswordCheck, PasswordSource } from '../backend/http/context';
import { auditRecord, authorOf } from '../backend/services/audit';
import type { NewAuditRecord } from '../backend/store/port';
import { DUMMY_HASH, verifyPassword } from './passwords';

/**
 * When repeated wrong passwords lock a key (a username, or a source address), as Keycloak's
 * brute-force detection does it (its "by multiples" strategy): every `maxFailures` failures in a row
 * lock the key for `waitIncrementMs` times the number of such groups (1 minute, then 2, 3, …), at
 * most `maxWaitMs`; a key whose last failure is older than `failureResetMs` starts from zero again.
 */
export interface LockoutPolicy {
  maxFailures: number;
  waitIncrementMs: number;
  maxWaitMs: number;
  failureResetMs: number;
}

const MINUTE = 60_000;
/** A username: 5 wrong passwords in a row lock it for a minute, 10 for two, … at most 15 minutes. */
export const USERNAME_LOCKOUT: LockoutPolicy = {
  maxFailures: 5,
  waitIncrementMs: MINUTE,
  maxWaitMs: 15 * MINUTE,
  failureResetMs: 12 * 60 * MINUTE,
};
/** A source address: more room (people behind one NAT share it), the same waits. */
export const ADDRESS_LOCKOUT: LockoutPolicy = { ...USERNAME_LOCKOUT, maxFailures: 20 };
/** How many usernames and addresses each counter remembers (the least recently failed go first). */
export const LOCKOUT_CAPACITY = 10_000;
/** Longer usernames are counted by their start (no account has one: this bounds the memory per key). */
const MAX_KEY_LENGTH = 256;
/**
 * Password checks that run at once: scrypt is CPU work in libuv's thread pool, and several at once
 * would take every core from the event loop (and the token clients it serves). Half the cores, at
 * least one; the others wait their turn.
 */
export const CHECKS_AT_ONCE = Math.max(1, Math.floor(availableParallelism() / 2));
/** How long a wrong or locked password attempt waits before its answer. */
export const FAILURE_DELAY_MS = 500;
/** Checks that may wait their turn; beyond, a password is answered "busy" unchecked. */
export const MAX_WAITING_CHECKS = 32;

/** The lockout (ms) that a key's `count`th failure in a row starts under `policy`, or 0. */
export function lockoutMs(policy: LockoutPolicy, count: number): number {
  return count % policy.maxFailures === 0
    ? Math.min(policy.maxWaitMs, policy.waitIncrementMs * (count / policy.maxFailures))
    : 0;
}

/**
 * Where the failures of each key are counted: this process's memory (FailureCounter), or, for the
 * nodes of a cluster, their database (SharedFailureCounter): a guess sent to any node counts.
 */
export interface FailureCounts {
  /** How long the key is still locked, in ms (0: it may try now). */
  lockedFor(key: string, nowMs: number): number | Promise<number>;
  /** Counts a failure; the lockout (ms) it starts, or 0. */
  fail(key: string, nowMs: number): number | Promise<number>;
  /** The right password: the key starts from zero. */
  succeed(key: string): void | Promise<void>;
}

interface Failures {
  count: number;
  lastAt: number;
  lockedUntil: number;
}

/** The failures of each key under one policy, in bounded memory. */
export class FailureCounter implements FailureCounts {
  /** In the order of their last failure (a failure moves its key to the end). */
  private readonly entries = new Map<string, Failures>();

  constructor(
    private readonly policy: LockoutPolicy,
    private readonly capacity = LOCKOUT_CAPACITY,
  ) {}

  /** How long the key is still locked, in ms (0: it may try now). */
  lockedFor(key: string, nowMs: number): number {
    const entry = this.entries.get(key);
    return entry ? Math.max(0, entry.lockedUntil - nowMs) : 0;
  }

  /** Counts a failure; the lockout (ms) it starts, or 0. */
  fail(key: string, nowMs: number): number {
    const { policy } = this;
    const known = this.entries.get(key);
    const entry =
      known && nowMs - known.lastAt <= policy.failureResetMs
        ? known
        : { count: 0, lastAt: nowMs, lockedUntil: 0 };
    this.entries.delete(key);
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value!);
    entry.count++;
    entry.lastAt = nowMs;
    const lockMs = lockoutMs(policy, entry.count);
    if (lockMs > 0) entry.lockedUntil = nowMs + lockMs;
    this.entries.set(key, entry);
    return lockMs;
  }

  /** The right password: the key starts from zero. */
  succeed(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}

export type SignInEvent = 'User signed in' | 'Sign-in failed' | 'Sign-in temporarily locked';
/** Who locks sign-ins in the audit log. */
export const BRUTE_FORCE_AUTHOR = 'Brute-force detection';

/** An audit record of the sign-in category. */
export function signInRecord(
  summary: SignInEvent,
  fields: {
    username: string;
    user?: User;
    reason?: FailureReason;
    /** A lockout: what it locks, and until when. */
    locked?: { what: 'user' | 'address'; until: Date };
  },
  source: PasswordSource,
  at: Date,
): NewAuditRecord {
  const { user, locked } = fields;
  return auditRecord({
    summary,
    category: SIGN_IN_CATEGORY,
    at,
    author:
      summary === 'User signed in' && user
        ? authorOf(user)
        : { username: null, displayName: locked ? BRUTE_FORCE_AUTHOR : ANONYMOUS_AUTHOR },
    client: source,
    method: source.method,
    affectedObjects: user ? [{ type: 'user', id: user.key, name: user.username }] : [],
    changedValues: locked
      ? [
          {
            field:
              locked.what === 'user'
                ? 'Sign-ins of this user locked until'
                : 'Sign-ins from this address locked until',
            from: null,
            to: locked.until.toISOString(),
          },
        ]
      : [],
    details: {
      endpoint: source.endpoint,
      ...(fields.reason && { reason: fields.reason }),
      ...(locked?.what !== 'address' && { username: fields.username }),
    },
  });
}

export interface SignInGuardDeps {
  getPasswordHash(username: string): Promise<string | null>;
  findUserByUsername(username: string): Promise<User | undefined>;
  /** Resolves once the records are stored: a refusal is answered only then. */
  appendAuditRecords(records: NewAuditRecord[]): Promise<unknown>;
  now(): Date;
  /** How long a refusal waits before it is answered (default FAILURE_DELAY_MS; unit tests: 0). */
  failureDelayMs?: number;
  /** Where failures are counted (default: this process's memory; a cluster's nodes share them). */
  failureCounts?: { byUsername: FailureCounts; byAddress: FailureCounts };
}

/**
 * Checks regular passwords (console sign-in, and Basic authentication with a password) with
 * brute-force detection per username and per source address: a locked key is answered at once,
 * without hashing, and each lockout is an audit record. A username without a password (or that does
 * not exist) is checked against a dummy hash: it costs the same as a wrong password.
 */
export class SignInGuard {
  readonly byUsername: FailureCounts;
  readonly byAddress: FailureCounts;
  private readonly hashing = pLimit(CHECKS_AT_ONCE);
  private readonly failureDelayMs: number;

  constructor(private readonly deps: SignInGuardDeps) {
    this.failureDelayMs = deps.failureDelayMs ?? FAILURE_DELAY_MS;
    this.byUsername = deps.failureCounts?.byUsername ?? new FailureCounter(USERNAME_LOCKOUT);
    this.byAddress = deps.failureCounts?.byAddress ?? new FailureCounter(ADDRESS_LOCKOUT);
  }

  /**
   * Checks a password. `auditFailure`: a wrong one is recorded as "Sign-in failed" (the console's
   * sign-in; Basic authentication has the engine's records), before the lockout it may cause.
   */
  async check(
    username: string,
    password: string,
    source: PasswordSource,
    options: { auditFailure?: boolean } = {},
  ): Promise<PasswordCheck> {
    const answer = await this.decide(username, password, source, options.auditFailure ?? false);
    // A refusal is answered after a delay (as login's pam_faildelay does): a client that sends
    // guesses on a few connections sends a few a second, not as many as the server can refuse.
    if (answer.kind === 'invalid' || answer.kind === 'locked') {
      await new Promise((done) => setTimeout(done, this.failureDelayMs));
    }
    return answer;
  }

  private async decide(
    username: string,
    password: string,
    source: PasswordSource,
    auditFailure: boolean,
  ): Promise<PasswordCheck> {
    const userKey = username.slice(0, MAX_KEY_LENGTH);
    // An IPv6 client is counted by its /64 (a host gets a whole one to pick addresses from).
    const address = attemptSource(source.clientIp);
    const before = this.deps.now().getTime();
    const lockedMs = Math.max(
      ...(await Promise.all([
        this.byUsername.lockedFor(userKey, before),
        this.byAddress.lockedFor(address, before),
      ])),
    );
    if (lockedMs > 0) return { kind: 'locked', retryAfterSeconds: Math.ceil(lockedMs / 1000) };

    const hash = await this.deps.getPasswordHash(username);
    // (Right before the check is queued: nothing else may queue one in between.)
    if (this.hashing.pendingCount >= MAX_WAITING_CHECKS) return { kind: 'busy' };
    const matches = await this.hashing(() => verifyPassword(password, hash ?? DUMMY_HASH));
    if (matches && hash !== null) {
      await this.byUsername.succeed(userKey);
      return { kind: 'valid' };
    }

    const at = this.deps.now();
    const [userMs, addressMs] = await Promise.all([
      this.byUsername.fail(userKey, at.getTime()),
      this.byAddress.fail(address, at.getTime()),
    ]);
    const lockouts = [
      { what: 'user' as const, ms: userMs },
      { what: 'address' as const, ms: addressMs },
    ].filter((lockout) => lockout.ms > 0);
    if (auditFailure || lockouts.length > 0) {
      const user = await this.deps.findUserByUsername(username);
      await this.deps.appendAuditRecords([
        ...(auditFailure
          ? [signInRecord('Sign-in failed', { username, user, reason: 'WRONG_PASSWORD' }, source, at)]
          : []),
        ...lockouts.map(({ what, ms }) =>
          signInRecord(
            'Sign-in temporarily locked',
            {
              username,
              user: what === 'user' ? user : undefined,
              reason: 'TOO_MANY_FAILURES',
              locked: { what, until: new Date(at.getTime() + ms) },
            },
            source,
            at,
          ),
        ),
      ]);
    }
    return { kind: 'invalid' };
  }
}
