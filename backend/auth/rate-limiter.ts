/**
 * A token bucket per key (one per API token): `burst` requests may arrive at once, and the bucket
 * refills at `requestsPerMinute`.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** Takes one request from the key's bucket; false when the bucket is empty (answer 429). */
  take(key: string, limit: { requestsPerMinute: number; burst: number }, nowMs: number): boolean {
    const capacity = Math.max(1, limit.burst);
    const perMs = limit.requestsPerMinute / 60_000;
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: nowMs };
    bucket.tokens = Math.min(capacity, bucket.tokens + (nowMs - bucket.at) * perMs);
    bucket.at = nowMs;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Seconds until the key may send again. */
  retryAfterSeconds(limit: { requestsPerMinute: number }): number {
    return Math.max(1, Math.ceil(60 / limit.requestsPerMinute));
  }
}
