/**
 * Shopify's leaky bucket for Admin GraphQL: a maximum, a restore rate per second, and a
 * request is refused (THROTTLED) when its requested cost exceeds what is available.
 */
export class CostBucket {
  private available: number;
  private updatedAt: number;
  /** Requests to refuse regardless of cost (tests force the app through its backoff). */
  forcedThrottles = 0;

  constructor(
    readonly maximumAvailable = 2000,
    readonly restoreRate = 100,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.available = maximumAvailable;
    this.updatedAt = now();
  }

  private refill() {
    const now = this.now();
    this.available = Math.min(
      this.maximumAvailable,
      this.available + ((now - this.updatedAt) / 1000) * this.restoreRate,
    );
    this.updatedAt = now;
  }

  /** Takes `cost` from the bucket, or returns false when it does not hold that much. */
  take(cost: number): boolean {
    this.refill();
    if (this.forcedThrottles > 0) {
      this.forcedThrottles -= 1;
      this.available = Math.min(this.available, Math.max(0, cost - this.restoreRate));
      return false;
    }
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  status() {
    this.refill();
    return {
      maximumAvailable: this.maximumAvailable,
      currentlyAvailable: Math.floor(this.available),
      restoreRate: this.restoreRate,
    };
  }
}
