/**
 * POST /apps/rekindle/events — impressions, clicks, add-to-carts and banner events the storefront
 * scripts send with sendBeacon: a JSON body as text/plain. Each event is stored once per
 * (requestId, type, productId). Impressions, clicks and add-to-carts are stored only with the
 * token of the answer they are about (a render the app served, a product that was in it, at most
 * a day old): one without a valid token is refused (NotVerifiedError, 403), and the same event
 * sent again (a replayed beacon or a double click) too (AlreadyRecordedError, 409), so neither
 * can inflate a figure. Banner events are keyed `offer:<id>` and recorded only for the signed
 * shopper's own offer (NotVerifiedError otherwise); the banner reports its view on every page,
 * so a banner event already stored is quietly accepted (204).
 */
import { getDatabase } from "~/db.server";
import { getEnv } from "~/lib/env.server";
import {
  AlreadyRecordedError,
  InvalidInputError,
  NotVerifiedError,
  PayloadTooLargeError,
} from "~/lib/errors";
import { logger } from "~/lib/logger.server";
import { parseStorableId, isDatabaseId } from "~/lib/shopify-id";
import type { StorefrontShopper } from "./app-proxy.server";
import { verifyEventToken, type ServedClaims, type TokenResult } from "./event-token.server";

/** Real events are ~150 bytes; anything much larger is not from our scripts. */
const MAX_BODY_BYTES = 2048;
const CONTEXTS = new Set(["product", "cart", "collection", "home"]);
/** Blocks that show a served recommendation list (and carry its token). */
const RECOMMENDATION_BLOCKS = ["recommendations", "frequently_bought_together"] as const;
type RecommendationBlock = (typeof RECOMMENDATION_BLOCKS)[number];
const RECOMMENDATION_TYPES = new Set(["impression", "click", "add_to_cart"]);
/** Events about one product of the list, which must have been served in it. */
const PRODUCT_TYPES = new Set(["click", "add_to_cart"]);
const BANNER_TYPES = new Set(["offer_view", "offer_dismiss", "offer_copy"]);

export interface StoredEvent {
  requestId: string;
  type: string;
  productId: string;
  block: RecommendationBlock | "winback_banner";
  context: string | null;
  offerId: string | null;
}

/** What a recommendations event must prove: the answer's token and the ids it served. */
export interface EventProof {
  token: string;
  servedProductIds: string[];
}

export type ParsedEvent = StoredEvent & { proof: EventProof | null };

/** At most a block's worth of ids (MAX_LIMIT), each a Shopify id. */
const isServedIds = (text: string) => {
  const ids = text.split(",");
  return ids.length <= 12 && ids.every(isDatabaseId);
};

const str = (value: unknown): string | null => (typeof value === "string" ? value : null);

/**
 * The event if the body is one our scripts could have sent, else null. A missing or malformed
 * proof is not a parse error (`proof: null`): the event is well-formed but cannot be stored.
 */
export function parseEvent(body: string): ParsedEvent | null {
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

  const block = RECOMMENDATION_BLOCKS.find((name) => name === event.block);
  if (block && RECOMMENDATION_TYPES.has(type)) {
    const requestId = str(event.requestId) ?? "";
    const productId = PRODUCT_TYPES.has(type) ? (str(event.productId) ?? "") : "";
    if (!/^[\w-]{1,64}$/.test(requestId)) return null;
    if (PRODUCT_TYPES.has(type) && parseStorableId(productId) === null) return null;
    const token = str(event.token);
    const served = str(event.productIds) ?? "";
    const proof =
      token !== null && isServedIds(served) ? { token, servedProductIds: served.split(",") } : null;
    return { requestId, type, productId, block, context, offerId: null, proof };
  }
  if (event.block === "winback_banner" && BANNER_TYPES.has(type)) {
    const offerId = str(event.offerId) ?? "";
    if (parseStorableId(offerId) === null) return null;
    return {
      requestId: `offer:${offerId}`,
      type,
      productId: "",
      block: "winback_banner",
      context,
      offerId,
      proof: null,
    };
  }
  return null;
}

/**
 * Whether a recommendations event is about a render the app served to this shopper. A signed-in
 * shopper may also hold an anonymous answer (a product page the browser cached before they
 * signed in), so their events verify against either binding; a personal token never verifies
 * for anybody else.
 */
export function checkEventProof(
  secret: string,
  shop: string,
  customerId: bigint | null,
  event: ParsedEvent,
  now: Date,
): TokenResult | { check: "not_served" } {
  const proof = event.proof;
  if (!proof) return { check: "malformed" };
  if (PRODUCT_TYPES.has(event.type) && !proof.servedProductIds.includes(event.productId)) {
    return { check: "not_served" };
  }
  const render = { shop, requestId: event.requestId, productIds: proof.servedProductIds };
  const result = verifyEventToken(secret, { ...render, customerId }, proof.token, now);
  if (result.check !== "forged" || customerId === null) return result;
  return verifyEventToken(secret, { ...render, customerId: null }, proof.token, now);
}

/**
 * Stores one event the storefront sent (`body` as received).
 * @throws PayloadTooLargeError, InvalidInputError `invalid_event`, NotVerifiedError,
 * AlreadyRecordedError (a recommendations event stored before)
 */
export async function recordStorefrontEvent(
  { shop, customerId }: StorefrontShopper,
  body: string,
): Promise<void> {
  if (body.length > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(`Event body of ${body.length} characters`);
  }
  const event = parseEvent(body);
  if (!event) {
    throw new InvalidInputError("Not an event our scripts send", { code: "invalid_event" });
  }

  let claims: ServedClaims | null = null;
  if (event.block !== "winback_banner") {
    const result = checkEventProof(
      getEnv().SHOPIFY_API_SECRET,
      shop.domain,
      customerId,
      event,
      new Date(),
    );
    if (result.check !== "ok") {
      // debug: forged events can arrive in floods; a count of them is not worth the log volume.
      logger.debug(
        { shopId: shop.id, type: event.type, reason: result.check },
        "storefront event refused",
      );
      throw new NotVerifiedError(`Event token check: ${result.check}`);
    }
    claims = result.claims;
  }

  const { sql } = getDatabase();
  if (event.offerId !== null) {
    // Only the shopper the offer was made for can view, copy or dismiss it.
    const { rows } = await sql.query(
      `SELECT 1 FROM customer_offer WHERE shop_id = $1 AND id = $2 AND customer_id = $3`,
      [shop.id, event.offerId, customerId?.toString() ?? null],
    );
    if (rows.length === 0) throw new NotVerifiedError("The offer is not this shopper's");
  }
  const { rows: stored } = await sql.query(
    `INSERT INTO recommendation_event (shop_id, request_id, type, product_id, block, context,
       customer_id, placement, method, arm, visitor)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (shop_id, request_id, type, product_id) DO NOTHING
     RETURNING 1`,
    [
      shop.id,
      event.requestId,
      event.type,
      event.productId,
      event.block,
      event.context,
      customerId?.toString() ?? null,
      claims?.placement ?? null,
      claims?.method ?? null,
      claims?.arm ?? null,
      claims?.visitor ?? null,
    ],
  );
  if (stored.length === 0 && event.block !== "winback_banner") {
    throw new AlreadyRecordedError(`Event ${event.type} of ${event.requestId} was stored before`);
  }
}
