import { getDatabase } from "~/db.server";
import { databaseEnv, getEnv } from "~/lib/env.server";
import { isJsonText } from "~/lib/json-text";
import { logger } from "~/lib/logger.server";
import { applyAppLifecycleWebhook } from "./app-lifecycle.server";
import { InboxWriter, type InboxRow } from "./inbox-writer.server";
import { checkWebhookSignature, type HeaderLookup } from "./webhook-signature.server";
import { MAX_WEBHOOK_BODY_BYTES, WEBHOOK_ROUTES, type WebhookRoute } from "./webhook-topics";

/**
 * How a delivery was taken, in the statuses Shopify's webhook contract is written in (200
 * acknowledges; anything else is retried) and the text of the answer, saying why it was
 * refused. The Remix routes and the webhook front each turn it into their own answer.
 */
export interface WebhookOutcome {
  status: 200 | 400 | 401 | 405 | 413;
  text: string | null;
}

/** A webhook request as the server read it, whatever served it. */
export interface WebhookDelivery {
  method: string;
  header: HeaderLookup;
  /** The body's bytes as received, read up to the limit (MAX_WEBHOOK_BODY_BYTES). */
  body: Uint8Array;
}

const outcome = (status: WebhookOutcome["status"], text: string | null = null): WebhookOutcome => ({
  status,
  text,
});

/** Topics whose payload is read before answering (`applyAppLifecycleWebhook`). */
const LIFECYCLE_TOPICS: ReadonlySet<string> = new Set([
  ...WEBHOOK_ROUTES["/webhooks/app/uninstalled"],
  ...WEBHOOK_ROUTES["/webhooks/app/scopes_update"],
  ...WEBHOOK_ROUTES["/webhooks/app_subscriptions/update"],
]);

// As Request.text() decodes a body: UTF-8, a leading byte order mark dropped.
const utf8 = new TextDecoder();

/**
 * The whole job of a webhook route: verify the HMAC, store the raw delivery in the inbox
 * exactly once, answer. Workers apply it later. A delivery is only acknowledged with 200 after
 * its row is durably written, so Shopify retries anything we failed to store; a redelivery
 * (same webhook id) is a no-op.
 */
export async function receiveDelivery(
  route: WebhookRoute,
  delivery: WebhookDelivery,
): Promise<WebhookOutcome> {
  if (delivery.body.length > MAX_WEBHOOK_BODY_BYTES) return outcome(413, "Payload too large");
  if (delivery.method !== "POST") return outcome(405);
  const check = checkWebhookSignature(getEnv().SHOPIFY_API_SECRET, delivery.header, delivery.body);
  if (!check.valid) return outcome(check.status);

  // The inbox keeps the exact text received (JSON.parse would round 64-bit ids), and only
  // needs to know it is JSON: checking costs less than half of parsing.
  const rawBody = utf8.decode(delivery.body);
  const row = inboxRow(delivery.header, check, rawBody);
  if (!isJsonText(withoutByteOrderMark(delivery.body))) {
    // The HMAC checked out, so this came from Shopify: keep it as a dead letter the merchant
    // can inspect, and tell Shopify not to retry.
    logger.warn({ route }, "signed webhook body is not valid JSON");
    await storeDelivery({ ...row, status: "dead", lastError: "malformed JSON body" });
    return outcome(400, "Malformed JSON body");
  }

  const accepted: readonly string[] = WEBHOOK_ROUTES[route];
  if (!accepted.includes(row.topic)) {
    logger.warn({ route, topic: row.topic }, "webhook topic not handled by this route");
    return outcome(400, `Unexpected topic for ${route}`);
  }

  await storeDelivery(row);
  if (LIFECYCLE_TOPICS.has(row.topic)) {
    await applyAppLifecycleWebhook(row.topic, check.shop, JSON.parse(rawBody));
  }
  return outcome(200);
}

/** The body as JSON sees it: a UTF-8 byte order mark, which decoding drops, is not part of it. */
function withoutByteOrderMark(body: Uint8Array): Uint8Array {
  return body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? body.subarray(3) : body;
}

/**
 * `receiveDelivery` for a Fetch API request (the Remix routes): a body declared or found
 * larger than the limit is refused before it is looked at.
 */
export async function receiveWebhook(
  request: Request,
  route: WebhookRoute,
): Promise<WebhookOutcome> {
  const declaredLength = Number(request.headers.get("content-length") ?? 0);
  if (declaredLength > MAX_WEBHOOK_BODY_BYTES) return outcome(413, "Payload too large");
  return receiveDelivery(route, {
    method: request.method,
    header: (name) => request.headers.get(name) ?? undefined,
    body: new Uint8Array(await request.arrayBuffer()),
  });
}

function inboxRow(
  header: HeaderLookup,
  check: { shop: string; topic: string; webhookId: string; apiVersion: string },
  payload: string,
): InboxRow {
  const triggeredAt = header("x-shopify-triggered-at");
  const triggeredAtMs = triggeredAt ? Date.parse(triggeredAt) : Number.NaN;
  return {
    shopDomain: check.shop,
    // Shopify's own spelling (orders/create), whatever the case it came in.
    topic: check.topic.toLowerCase(),
    webhookId: check.webhookId,
    eventId: header("x-shopify-event-id") ?? null,
    apiVersion: check.apiVersion,
    triggeredAt: Number.isNaN(triggeredAtMs) ? null : new Date(triggeredAtMs),
    payload,
    status: "pending",
    lastError: null,
  };
}

const writers = new WeakMap<object, InboxWriter>();

/** One inbox row per delivery (webhook id), through the process's group-commit writer. */
function storeDelivery(row: InboxRow): Promise<void> {
  const { ingestSql } = getDatabase();
  let writer = writers.get(ingestSql);
  if (!writer) {
    const connections = ingestSql.concurrentQueries ? databaseEnv().INBOX_WRITE_CONNECTIONS : 1;
    writer = new InboxWriter(ingestSql, connections);
    writers.set(ingestSql, writer);
  }
  return writer.write(row);
}
