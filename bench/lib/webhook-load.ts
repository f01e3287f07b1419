import { createHmac } from "node:crypto";
import autocannon from "autocannon";

export interface WebhookLoad {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Answered, whatever the status. */
  answered: number;
  /** Answered 2xx. */
  acknowledged: number;
  /** Answered otherwise, or not answered (socket errors, timeouts). */
  refused: number;
  /** The webhook ids of the acknowledged deliveries, to look for in the inbox. */
  acknowledgedIds: string[];
}

export interface WebhookLoadOptions {
  url: string;
  secret: string;
  body: string;
  connections: number;
  seconds: number;
  /** Prefix of this run's webhook ids (each delivery gets `<prefix>-<n>`). */
  idPrefix: string;
}

// Exported by autocannon (7.6 on), missing from its type declarations.
const { aggregateResult } = autocannon as unknown as {
  aggregateResult(results: autocannon.Result[], options: autocannon.Options): autocannon.Result;
};

/**
 * Signed orders/create deliveries as fast as the server answers them, from `connections`
 * keep-alive connections, each with its own X-Shopify-Webhook-Id. The HMAC covers the body
 * only, so one signature serves every delivery.
 */
export async function sendWebhookLoad(options: WebhookLoadOptions): Promise<WebhookLoad> {
  const hmac = createHmac("sha256", options.secret).update(options.body).digest("base64");
  const acknowledgedIds: string[] = [];
  let next = 0;
  const settings: autocannon.Options = {
    url: options.url,
    method: "POST",
    connections: options.connections,
    duration: options.seconds,
    body: options.body,
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": "orders/create",
      "x-shopify-hmac-sha256": hmac,
      "x-shopify-shop-domain": "bench.myshopify.com",
      "x-shopify-api-version": "2026-10",
      "x-shopify-triggered-at": "2026-12-01T10:00:00.000Z",
    },
    requests: [
      {
        setupRequest: (request, context: { webhookId?: string }) => {
          const webhookId = `${options.idPrefix}-${next++}`;
          context.webhookId = webhookId;
          return {
            ...request,
            headers: { ...request.headers, "x-shopify-webhook-id": webhookId },
          };
        },
        onResponse: (status, _body, context: { webhookId?: string }) => {
          if (status >= 200 && status < 300 && context.webhookId) {
            acknowledgedIds.push(context.webhookId);
          }
        },
      },
    ],
  };
  const raw = await autocannon(settings);
  // Off the main thread (a vitest worker) autocannon leaves its histograms encoded.
  const result = raw.latency ? raw : aggregateResult([raw], settings);
  const answered = result["1xx"] + result["2xx"] + result["3xx"] + result["4xx"] + result["5xx"];
  return {
    requestsPerSecond: Math.round(answered / result.duration),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    answered,
    acknowledged: result["2xx"],
    refused: result.non2xx + result.errors + result.timeouts,
    acknowledgedIds,
  };
}
