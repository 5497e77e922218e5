/** The rate-limit settings a bucket follows: `burst` requests at once, refilled at `requestsPerMinute`. */
export interface RateLimit {
  requestsPerMinute: number;
  burst: number;
}

/** The interval Jira's fill rate is counted over (our setting is per minute). */
const INTERVAL_SECONDS = 60;

/**
 * A token bucket per key (one per API token): `burst` requests may arrive at once, and the bucket
 * refills at `requestsPerMinute`.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /**
   * Takes one request from the key's bucket: the whole requests left in it afterwards, or null when
   * the bucket is empty (answer 429).
   */
  take(key: string, limit: RateLimit, nowMs: number): number | null {
    const capacity = capacityOf(limit);
    const perMs = limit.requestsPerMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: nowMs };
    bucket.tokens = Math.min(capacity, bucket.tokens + (nowMs - bucket.at) * perMs);
    bucket.at = nowMs;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return null;
    bucket.tokens -= 1;
    return Math.floor(bucket.tokens);
  }

  /** Seconds until the key may send again. */
  retryAfterSeconds(limit: { requestsPerMinute: number }): number {
    return Math.max(1, Math.ceil(60 / limit.requestsPerMinute));
  }
}

const capacityOf = (limit: RateLimit) => Math.max(1, limit.burst);

/**
 * The rate-limit headers of Jira Data Center, which clients read (python-jira's retry of a 429 needs
 * every one of them): the bucket's size, what is left in it, and how many requests it regains per
 * interval.
 */
export function rateLimitHeaders(limit: RateLimit, remaining: number): Record<string, string> {
  return {
    'x-ratelimit-limit': String(capacityOf(limit)),
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-fillrate': String(limit.requestsPerMinute),
    'x-ratelimit-interval-seconds': String(INTERVAL_SECONDS),
  };
}
