/** The rate-limit settings a bucket follows: `burst` requests at once, refilled at `requestsPerMinute`. */
export interface RateLimit {
  requestsPerMinute: number;
  burst: number;
}

/** The interval Jira's fill rate is counted over (our setting is per minute). */
const INTERVAL_SECONDS = 60;

/** Seconds until an empty bucket has a request again. */
export const retryAfter = (limit: { requestsPerMinute: number }) =>
  Math.max(1, Math.ceil(60 / limit.requestsPerMinute));

/**
 * Where a token's requests are counted: `take` one request from the key's bucket, answering the whole
 * requests left in it, or null when it is empty. In this process's memory (RateLimiter: one server, the
 * demo), or shared by the nodes of a cluster (server/cluster/shared-rate-limiter.ts), which answers
 * after a database round trip.
 */
export interface TokenRateLimiter {
  take(key: string, limit: RateLimit, nowMs: number): number | null | Promise<number | null>;
}

/** How many buckets a limiter keeps; the one used longest ago goes first. */
export const MAX_BUCKETS = 10_000;

/**
 * A token bucket per key (an API token, or the source address of failed attempts): `burst` requests
 * may arrive at once, and the bucket refills at `requestsPerMinute`. At most `maxBuckets` buckets are
 * kept (a bucket dropped is a full one again), so no client can make it grow without bound.
 */
export class RateLimiter implements TokenRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly maxBuckets = MAX_BUCKETS) {}

  /**
   * Takes one request from the key's bucket: the whole requests left in it afterwards, or null when
   * the bucket is empty (answer 429).
   */
  take(key: string, limit: RateLimit, nowMs: number): number | null {
    const bucket = this.refilled(key, limit, nowMs);
    if (bucket.tokens < 1) return null;
    bucket.tokens -= 1;
    return Math.floor(bucket.tokens);
  }

  /** Whether the key's bucket has a request left, without taking it (a key without one has). */
  available(key: string, limit: RateLimit, nowMs: number): boolean {
    return !this.buckets.has(key) || this.refilled(key, limit, nowMs).tokens >= 1;
  }

  private refilled(key: string, limit: RateLimit, nowMs: number) {
    const capacity = capacityOf(limit);
    const perMs = limit.requestsPerMinute / 60_000;
    let bucket = this.buckets.get(key);
    if (bucket) {
      // Moved to the end: the map is in the order the buckets were last used.
      this.buckets.delete(key);
    } else {
      bucket = { tokens: capacity, at: nowMs };
      if (this.buckets.size >= this.maxBuckets) this.buckets.delete(this.buckets.keys().next().value!);
    }
    bucket.tokens = Math.min(capacity, bucket.tokens + (nowMs - bucket.at) * perMs);
    bucket.at = nowMs;
    this.buckets.set(key, bucket);
    return bucket;
  }
}

export const capacityOf = (limit: RateLimit) => Math.max(1, limit.burst);

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
