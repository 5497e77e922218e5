import type { Pool } from 'pg';
import {
  ADDRESS_LOCKOUT,
  lockoutMs,
  USERNAME_LOCKOUT,
  type FailureCounts,
  type LockoutPolicy,
} from '../sign-in-guard';

/**
 * Counts one failure in one statement: a key whose last failure is older than the policy's reset
 * starts from one again. The row's lock orders the nodes' failures of one key.
 */
const FAIL = `
  INSERT INTO sign_in_failures AS f (counter, key, count, last_at_ms, locked_until_ms)
  VALUES ($1, $2, 1, $3::bigint, 0)
  ON CONFLICT (counter, key) DO UPDATE
    SET count = CASE WHEN $3::bigint - f.last_at_ms <= $4::bigint THEN f.count + 1 ELSE 1 END,
        last_at_ms = GREATEST(f.last_at_ms, $3::bigint)
  RETURNING count`;

/**
 * Failed sign-ins of one key (a username, or a source address) under one lockout policy, counted for
 * the whole installation (docs/decisions/0014-a-cluster-node.md): the same rule as one server's
 * FailureCounter (`lockoutMs`), kept in a PostgreSQL row per key that every node updates, so five
 * wrong passwords lock a username however a balancer spreads the guesses. It costs a round trip or two
 * per password check, which is slow anyway (scrypt). Rows of keys that neither failed recently nor are
 * locked are deleted by the cluster's trim (`purge`).
 */
export class SharedFailureCounter implements FailureCounts {
  constructor(
    private readonly pool: Pool,
    /** Which counter: 'username' or 'address'. */
    private readonly counter: string,
    private readonly policy: LockoutPolicy,
  ) {}

  async lockedFor(key: string, nowMs: number): Promise<number> {
    const { rows } = await this.pool.query<{ locked_until_ms: string }>(
      'SELECT locked_until_ms FROM sign_in_failures WHERE counter = $1 AND key = $2',
      [this.counter, key],
    );
    return rows[0] ? Math.max(0, Number(rows[0].locked_until_ms) - nowMs) : 0;
  }

  async fail(key: string, nowMs: number): Promise<number> {
    const { rows } = await this.pool.query<{ count: number }>(FAIL, [
      this.counter,
      key,
      nowMs,
      this.policy.failureResetMs,
    ]);
    const lockMs = lockoutMs(this.policy, rows[0]!.count);
    if (lockMs > 0) {
      await this.pool.query(
        'UPDATE sign_in_failures SET locked_until_ms = GREATEST(locked_until_ms, $3::bigint) WHERE counter = $1 AND key = $2',
        [this.counter, key, nowMs + lockMs],
      );
    }
    return lockMs;
  }

  async succeed(key: string): Promise<void> {
    await this.pool.query('DELETE FROM sign_in_failures WHERE counter = $1 AND key = $2', [
      this.counter,
      key,
    ]);
  }

  /** Deletes the keys whose failures are forgotten (none within the reset) and that are not locked. */
  static async purge(pool: Pool, nowMs: number): Promise<void> {
    const resetMs = Math.max(USERNAME_LOCKOUT.failureResetMs, ADDRESS_LOCKOUT.failureResetMs);
    await pool.query(
      'DELETE FROM sign_in_failures WHERE last_at_ms < $1::bigint AND locked_until_ms <= $2::bigint',
      [nowMs - resetMs, nowMs],
    );
  }
}

/** A cluster's failed sign-ins, per username and per address, under the server's lockout policies. */
export const sharedFailureCounts = (pool: Pool) => ({
  byUsername: new SharedFailureCounter(pool, 'username', USERNAME_LOCKOUT),
  byAddress: new SharedFailureCounter(pool, 'address', ADDRESS_LOCKOUT),
});
