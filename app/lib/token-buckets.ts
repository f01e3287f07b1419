/**
 * Rate limits in the process's memory: a token bucket per key (a shop, a browser), `burst`
 * tokens deep, refilled at `perSecond`. A caller spends one token per unit of work (an event);
 * when the bucket is short it learns how long until it would not be.
 *
 * The map is bounded: past `maxKeys` the longest-untouched tenth goes (the map keeps its keys
 * least recently used first, so those are the idle ones, mostly refilled anyway: a new bucket
 * starts full). A flood of made-up keys therefore costs memory up to `maxKeys`, never more.
 */
export interface TokenBucketLimits {
  burst: number;
  perSecond: number;
  maxKeys: number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly limits: TokenBucketLimits,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Whole seconds until `key`'s bucket holds `cost` tokens, 0 when it holds them now. A cost
   * above `burst` needs a full bucket (and empties it).
   */
  secondsUntil(key: string, cost: number): number {
    const missing = Math.min(cost, this.limits.burst) - this.refilled(key).tokens;
    return missing <= 0 ? 0 : Math.max(1, Math.ceil(missing / this.limits.perSecond));
  }

  /** Takes `cost` tokens from `key`'s bucket (callers check `secondsUntil` first). */
  spend(key: string, cost: number): void {
    const bucket = this.refilled(key);
    bucket.tokens = Math.max(0, bucket.tokens - cost);
  }

  get size(): number {
    return this.buckets.size;
  }

  private refilled(key: string): Bucket {
    const now = this.clock();
    let bucket = this.buckets.get(key);
    if (bucket) {
      this.buckets.delete(key);
      const elapsedSeconds = Math.max(0, now - bucket.updatedMs) / 1000;
      bucket.tokens = Math.min(
        this.limits.burst,
        bucket.tokens + elapsedSeconds * this.limits.perSecond,
      );
      bucket.updatedMs = now;
    } else {
      bucket = { tokens: this.limits.burst, updatedMs: now };
    }
    // Re-inserted last: the map's order is least recently used first.
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.limits.maxKeys) this.evictOldest();
    return bucket;
  }

  /** A tenth at once, so a flood of new keys pays for eviction once per many inserts. */
  private evictOldest() {
    const keep = Math.floor(this.limits.maxKeys * 0.9);
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= keep) break;
      this.buckets.delete(key);
    }
  }
}
