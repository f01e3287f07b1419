import { TokenBuckets, type TokenBucketLimits } from "~/lib/token-buckets";

/**
 * How many events the ingest takes from one shop and from one browser, in events (a batch
 * costs its size). The shop key is public (it is in every storefront page's pixel settings), so
 * these limits, not the key, bound what one sender can make us store.
 *
 * - Per browser (Shopify's client id): 300 events at once, then 2 a second (120 a minute). A
 *   shopper's pixel sends a few events per page view, in batches of up to 100 when a page
 *   closes; even a fast browse stays far below, a script replaying one client id does not.
 * - Per shop: 20,000 events at once, then 5,000 a second. That is more than the busiest
 *   storefront's real traffic per web process, and it caps what made-up client ids can push
 *   past the per-browser limit.
 *
 * Per web process, in memory: with WEB_CONCURRENCY processes each shop and browser may reach
 * that many times the figures (the connection decides which process counts). Good enough for
 * a bound on abuse; exact global counting would cost a shared store on every batch.
 */
export const CLIENT_LIMITS: TokenBucketLimits = { burst: 300, perSecond: 2, maxKeys: 200_000 };
export const SHOP_LIMITS: TokenBucketLimits = { burst: 20_000, perSecond: 5_000, maxKeys: 10_000 };

export interface RateRefusal {
  reason: "rate_limited_shop" | "rate_limited_client";
  retryAfterSeconds: number;
}

export class PixelRateLimits {
  private readonly clients: TokenBuckets;
  private readonly shops: TokenBuckets;

  constructor(clock: () => number = Date.now) {
    this.clients = new TokenBuckets(CLIENT_LIMITS, clock);
    this.shops = new TokenBuckets(SHOP_LIMITS, clock);
  }

  /**
   * Spends the batch's events from its shop and each of its browsers, or nothing when any of
   * them is short (so a refused batch does not use up the others' allowance).
   */
  take(shopDomain: string, eventsPerClient: ReadonlyMap<string, number>): RateRefusal | null {
    let total = 0;
    for (const [clientId, events] of eventsPerClient) {
      const wait = this.clients.secondsUntil(clientKey(shopDomain, clientId), events);
      if (wait > 0) return { reason: "rate_limited_client", retryAfterSeconds: wait };
      total += events;
    }
    const shopWait = this.shops.secondsUntil(shopDomain, total);
    if (shopWait > 0) return { reason: "rate_limited_shop", retryAfterSeconds: shopWait };
    this.shops.spend(shopDomain, total);
    for (const [clientId, events] of eventsPerClient) {
      this.clients.spend(clientKey(shopDomain, clientId), events);
    }
    return null;
  }
}

const clientKey = (shopDomain: string, clientId: string) => `${shopDomain}\n${clientId}`;
