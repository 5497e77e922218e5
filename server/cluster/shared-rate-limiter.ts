import type { Pool } from 'pg';
import { capacityOf, type RateLimit, type TokenRateLimiter } from '../../backend/auth/rate-limiter';

/**
 * Takes one request from the key's bucket in one statement: a bucket that is not there is full (it
 * starts with `capacity - 1`); one that is has refilled by the time passed since it was last used
 * (never beyond `capacity`) and gives a request only if it has one. No row back: the bucket is empty.
 * The row's lock orders the nodes' requests for one token; other tokens' requests never wait.
 */
const TAKE = `
  INSERT INTO rate_limit_buckets AS b (key, tokens, at_ms) VALUES ($1, $2::float8 - 1, $3::bigint)
  ON CONFLICT (key) DO UPDATE
    SET tokens = LEAST($2::float8, b.tokens + GREATEST(0, $3::bigint - b.at_ms) * $4::float8) - 1,
        at_ms = GREATEST(b.at_ms, $3::bigint)
    WHERE LEAST($2::float8, b.tokens + GREATEST(0, $3::bigint - b.at_ms) * $4::float8) >= 1
  RETURNING tokens`;

/** Buckets that have refilled (the same as no bucket). */
const PURGE_FULL = `
  DELETE FROM rate_limit_buckets
  WHERE tokens + GREATEST(0, $2::bigint - at_ms) * $3::float8 >= $1::float8`;

/**
 * A token's rate limit for the whole installation (docs/decisions/0014-a-cluster-node.md): the same
 * token bucket as one server's RateLimiter, kept in a PostgreSQL row per token that every node updates
 * with one UPSERT, so a token limited to 60 requests a minute gets 60 however a balancer spreads them.
 * It costs one database round trip per token request while rate limiting is on (one server on SQLite
 * keeps counting in memory). Nodes' clocks are assumed to agree to within a few milliseconds (NTP).
 */
export class SharedRateLimiter implements TokenRateLimiter {
  constructor(private readonly pool: Pool) {}

  async take(key: string, limit: RateLimit, nowMs: number): Promise<number | null> {
    const { rows } = await this.pool.query<{ tokens: number }>(TAKE, [
      key,
      capacityOf(limit),
      nowMs,
      limit.requestsPerMinute / 60_000,
    ]);
    return rows[0] ? Math.floor(rows[0].tokens) : null;
  }

  /** Deletes the buckets that are full again (under `limit`): the table holds only tokens in use. */
  async purgeFull(limit: RateLimit, nowMs: number): Promise<void> {
    await this.pool.query(PURGE_FULL, [capacityOf(limit), nowMs, limit.requestsPerMinute / 60_000]);
  }
}
