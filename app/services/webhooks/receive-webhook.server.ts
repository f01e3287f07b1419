import { getDatabase } from "~/db.server";
import { logger } from "~/lib/logger.server";
import { applyAppLifecycleWebhook } from "./app-lifecycle.server";
import { InboxWriter } from "./inbox-writer.server";
import { checkWebhookSignature } from "./webhook-signature.server";
import { MAX_WEBHOOK_BODY_BYTES, WEBHOOK_ROUTES, type WebhookRoute } from "./webhook-topics";

const writers = new WeakMap<object, InboxWriter>();

/** One inbox row per delivery (webhook id); a redelivery changes nothing. */
function storeDelivery(
  request: Request,
  rawBody: string,
  status: "pending" | "dead",
  error: string | null,
): Promise<void> {
  const { sql } = getDatabase();
  let writer = writers.get(sql);
  if (!writer) {
    writer = new InboxWriter(sql);
    writers.set(sql, writer);
  }
  const header = (name: string) => request.headers.get(name);
  const triggeredAt = header("x-shopify-triggered-at");
  return writer.write({
    shopDomain: header("x-shopify-shop-domain"),
    topic: (header("x-shopify-topic") ?? "").toLowerCase(),
    webhookId: header("x-shopify-webhook-id"),
    eventId: header("x-shopify-event-id"),
    apiVersion: header("x-shopify-api-version"),
    triggeredAt:
      triggeredAt && !Number.isNaN(Date.parse(triggeredAt)) ? new Date(triggeredAt) : null,
    payload: rawBody,
    status,
    lastError: error,
  });
}

/**
 * How a delivery was taken, in the statuses Shopify's webhook contract is written in (200
 * acknowledges; anything else is retried) and the text of the answer, saying why it was
 * refused. The Remix routes and the Express front each turn it into their own answer.
 */
export interface WebhookOutcome {
  status: 200 | 400 | 401 | 405 | 413;
  text: string | null;
}

const outcome = (status: WebhookOutcome["status"], text: string | null = null): WebhookOutcome => ({
  status,
  text,
});

/**
 * The whole job of a webhook route: verify the HMAC (through the library), store the raw
 * delivery in the inbox exactly once, answer. Workers apply it later. A delivery is only
 * acknowledged with 200 after its row is durably written, so Shopify retries anything we
 * failed to store; a redelivery (same webhook id) is a no-op.
 */
export async function receiveWebhook(
  request: Request,
  route: WebhookRoute,
): Promise<WebhookOutcome> {
  const declaredLength = Number(request.headers.get("content-length") ?? 0);
  if (declaredLength > MAX_WEBHOOK_BODY_BYTES) {
    return outcome(413, "Payload too large");
  }
  // The inbox keeps the exact text received: JSON.parse would round 64-bit ids.
  const rawBody = await request.text();
  if (Buffer.byteLength(rawBody) > MAX_WEBHOOK_BODY_BYTES) {
    return outcome(413, "Payload too large");
  }

  if (request.method !== "POST") return outcome(405);
  const check = await checkWebhookSignature(request, rawBody);
  if (!check.valid) return outcome(check.status);

  let payload: unknown;
  try {
    payload = JSON.parse(rawBody);
  } catch {
    // The HMAC checked out, so this came from Shopify: keep it as a dead letter the merchant
    // can inspect, and tell Shopify not to retry.
    logger.warn({ route }, "signed webhook body is not valid JSON");
    await storeDelivery(request, rawBody, "dead", "malformed JSON body");
    return outcome(400, "Malformed JSON body");
  }

  // The library normalises the topic to ORDERS_CREATE form; keep Shopify's own spelling.
  const topic = (request.headers.get("x-shopify-topic") ?? "").toLowerCase();
  const accepted: readonly string[] = WEBHOOK_ROUTES[route];
  if (!accepted.includes(topic)) {
    logger.warn({ route, topic }, "webhook topic not handled by this route");
    return outcome(400, `Unexpected topic for ${route}`);
  }

  await storeDelivery(request, rawBody, "pending", null);
  await applyAppLifecycleWebhook(topic, check.shop, payload);
  return outcome(200);
}
