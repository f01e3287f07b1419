/**
 * POST /apps/rekindle/events — impressions, clicks and banner events the storefront scripts send
 * with sendBeacon: a JSON body as text/plain. Each event is stored once per
 * (requestId, type, productId), so a beacon resent by the browser or a double click counts once.
 * Banner events are keyed `offer:<id>` and recorded only for the signed shopper's own offer.
 */
import { json } from "@remix-run/node";
import { getDatabase } from "~/db.server";
import type { ProxyRequestContext } from "./app-proxy.server";

/** Real events are ~150 bytes; anything much larger is not from our scripts. */
const MAX_BODY_BYTES = 2048;
const CONTEXTS = new Set(["product", "cart", "collection", "home"]);
const RECOMMENDATION_TYPES = new Set(["impression", "click"]);
const BANNER_TYPES = new Set(["offer_view", "offer_dismiss", "offer_copy"]);

export interface StoredEvent {
  requestId: string;
  type: string;
  productId: string;
  block: "recommendations" | "winback_banner";
  context: string | null;
  offerId: string | null;
}

const str = (value: unknown): string | null => (typeof value === "string" ? value : null);

/** The event if the body is one our scripts could have sent, else null. */
export function parseEvent(body: string): StoredEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const event = value as Record<string, unknown>;
  const type = str(event.type) ?? "";
  const contextValue = str(event.context);
  const context = contextValue !== null && CONTEXTS.has(contextValue) ? contextValue : null;

  if (event.block === "recommendations" && RECOMMENDATION_TYPES.has(type)) {
    const requestId = str(event.requestId) ?? "";
    const productId = type === "click" ? (str(event.productId) ?? "") : "";
    if (!/^[\w-]{1,64}$/.test(requestId)) return null;
    if (type === "click" && !/^\d{1,20}$/.test(productId)) return null;
    return { requestId, type, productId, block: "recommendations", context, offerId: null };
  }
  if (event.block === "winback_banner" && BANNER_TYPES.has(type)) {
    const offerId = str(event.offerId) ?? "";
    if (!/^\d{1,20}$/.test(offerId)) return null;
    return {
      requestId: `offer:${offerId}`,
      type,
      productId: "",
      block: "winback_banner",
      context,
      offerId,
    };
  }
  return null;
}

export async function eventsHandler({
  request,
  shop,
  customerId,
}: ProxyRequestContext): Promise<Response> {
  const headers = { "Cache-Control": "no-store" };
  if (request.method !== "POST") {
    return json(
      { error: "method_not_allowed" },
      { status: 405, headers: { ...headers, Allow: "POST" } },
    );
  }
  const body = await request.text();
  if (body.length > MAX_BODY_BYTES) return json({ error: "too_large" }, { status: 413, headers });
  const event = parseEvent(body);
  if (!event) return json({ error: "invalid_event" }, { status: 400, headers });

  const { sql } = getDatabase();
  if (event.offerId !== null) {
    // Only the shopper the offer was made for can view, copy or dismiss it.
    const { rows } = await sql.query(
      `SELECT 1 FROM customer_offer WHERE shop_id = $1 AND id = $2 AND customer_id = $3`,
      [shop.id, event.offerId, customerId?.toString() ?? null],
    );
    if (rows.length === 0) return new Response(null, { status: 204, headers });
  }
  await sql.query(
    `INSERT INTO recommendation_event
       (shop_id, request_id, type, product_id, block, context, customer_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (shop_id, request_id, type, product_id) DO NOTHING`,
    [
      shop.id,
      event.requestId,
      event.type,
      event.productId,
      event.block,
      event.context,
      customerId?.toString() ?? null,
    ],
  );
  return new Response(null, { status: 204, headers });
}
