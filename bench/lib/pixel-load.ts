import autocannon from "autocannon";
import { pixelShopKey } from "../../app/services/behaviour/pixel-shop-key.server";

export interface PixelLoad {
  /** Seconds the load ran. */
  seconds: number;
  /** Answered, whatever the status. */
  requests: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Batches answered 2xx, and the event ids they carried. */
  acknowledgedBatches: number;
  acknowledgedEventIds: string[];
  /** Answered otherwise, or not answered (socket errors, timeouts). */
  refused: number;
}

export interface PixelLoadOptions {
  url: string;
  secret: string;
  shops: readonly string[];
  connections: number;
  seconds: number;
  /** Prefix of this run's event ids (unique per event). */
  idPrefix: string;
  /** Browsers (client ids) the batches come from, spread over the shops. */
  browsers: number;
}

// Exported by autocannon (7.6 on), missing from its type declarations.
const { aggregateResult } = autocannon as unknown as {
  aggregateResult(results: autocannon.Result[], options: autocannon.Options): autocannon.Result;
};

const NAMES = ["page_viewed", "product_viewed", "collection_viewed", "product_viewed"] as const;

/**
 * Web pixel batches as fast as the server answers, from `connections` keep-alive connections:
 * each a batch of 1 to 10 events (a page's worth, as the pixel sends on leaving it) of one
 * browser, every event with its own id, a product id on product views, and one batch in 20
 * naming the browser's customer (a sign-in, which stitches the browser).
 */
export async function sendPixelLoad(options: PixelLoadOptions): Promise<PixelLoad> {
  const keys = options.shops.map((shop) => pixelShopKey(options.secret, shop));
  const acknowledgedEventIds: string[] = [];
  let next = 0;
  const settings: autocannon.Options = {
    url: options.url,
    method: "POST",
    connections: options.connections,
    duration: options.seconds,
    headers: { "content-type": "text/plain;charset=UTF-8" },
    requests: [
      {
        setupRequest: (request, context: { eventIds?: string[] }) => {
          const batch = next++;
          const browser = (batch * 7919) % options.browsers;
          const shopIndex = browser % options.shops.length;
          const size = 1 + (batch % 10);
          const at = new Date().toISOString();
          const eventIds: string[] = [];
          const events = Array.from({ length: size }, (_, index) => {
            const id = `${options.idPrefix}-${batch}-${index}`;
            eventIds.push(id);
            const name = NAMES[(batch + index) % NAMES.length] ?? "page_viewed";
            return {
              id,
              name,
              at,
              clientId: `browser-${browser}`,
              ...(batch % 20 === 0 ? { customerId: `gid://shopify/Customer/${browser + 1}` } : {}),
              ...(name === "product_viewed"
                ? { productId: `gid://shopify/Product/${1 + ((batch + index) % 500)}` }
                : {}),
              path: name === "product_viewed" ? "/products/blue-mug" : "/collections/all",
              consent: { analytics: true, marketing: batch % 3 !== 0 },
            };
          });
          context.eventIds = eventIds;
          const body = JSON.stringify({
            v: 1,
            shop: options.shops[shopIndex],
            key: keys[shopIndex],
            events,
          });
          return { ...request, body };
        },
        onResponse: (status, _body, context: { eventIds?: string[] }) => {
          if (status >= 200 && status < 300) acknowledgedEventIds.push(...(context.eventIds ?? []));
        },
      },
    ],
  };
  const raw = await autocannon(settings);
  // Off the main thread (a vitest worker) autocannon leaves its histograms encoded.
  const result = raw.latency ? raw : aggregateResult([raw], settings);
  return {
    seconds: result.duration,
    requests: result["1xx"] + result["2xx"] + result["3xx"] + result["4xx"] + result["5xx"],
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    acknowledgedBatches: result["2xx"],
    acknowledgedEventIds,
    refused: result.non2xx + result.errors + result.timeouts,
  };
}
