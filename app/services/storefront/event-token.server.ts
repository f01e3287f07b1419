/**
 * Tokens that make storefront impressions and clicks verifiable. Each `/recommendations` answer
 * carries one, an HMAC over what was served: shop, requestId, the product ids in order, the
 * signed-in shopper ('' for anonymous answers) and the minute it was issued. The script sends it
 * back with each event, so an event can only be stored for a render the app really served, for
 * a product that was in it, within a day.
 *
 * Anonymous answers are cached (in process and by browsers) and shared by every shopper who
 * gets the same body: that is fine, because the token binds what was shown, not who saw it.
 * Answers for a signed-in shopper bind their customer id, so a personal token cannot be reused
 * by another shopper.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const EVENT_TOKEN_MAX_AGE_MS = 24 * 60 * 60_000;
/** Processes' clocks may disagree a little; a token from further ahead is not ours. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;
const MAC_BYTES = 16;
/** `<issued minute, base 36>.<16-byte MAC, base64url>` */
const TOKEN_FORMAT = /^([0-9a-z]{1,10})\.([\w-]{22})$/;

export interface ServedRender {
  shop: string;
  requestId: string;
  productIds: readonly string[];
  customerId: bigint | null;
}

export type TokenCheck = "ok" | "malformed" | "expired" | "forged";

/**
 * A key of its own, derived from the app secret: the same secret signs Shopify's webhooks and
 * app proxy requests, and a token must never double as (or be forged from) one of those.
 */
const derivedKeys = new Map<string, Buffer>();
function eventKey(secret: string): Buffer {
  let key = derivedKeys.get(secret);
  if (!key) {
    key = createHmac("sha256", secret).update("rekindle/storefront-event-token/v1").digest();
    derivedKeys.set(secret, key);
  }
  return key;
}

function mac(secret: string, render: ServedRender, minute: number): Buffer {
  const message = [
    render.shop,
    render.requestId,
    render.productIds.join(","),
    render.customerId?.toString() ?? "",
    minute,
  ].join("|");
  return createHmac("sha256", eventKey(secret)).update(message).digest().subarray(0, MAC_BYTES);
}

export function signEventToken(secret: string, render: ServedRender, now: Date): string {
  const minute = Math.floor(now.getTime() / 60_000);
  return `${minute.toString(36)}.${mac(secret, render, minute).toString("base64url")}`;
}

export function verifyEventToken(
  secret: string,
  render: ServedRender,
  token: string,
  now: Date,
): TokenCheck {
  const match = TOKEN_FORMAT.exec(token);
  if (!match) return "malformed";
  const minute = parseInt(match[1] ?? "", 36);
  const given = Buffer.from(match[2] ?? "", "base64url");
  if (given.length !== MAC_BYTES) return "malformed";
  if (!timingSafeEqual(given, mac(secret, render, minute))) return "forged";
  const age = now.getTime() - minute * 60_000;
  return age > EVENT_TOKEN_MAX_AGE_MS || age < -MAX_CLOCK_SKEW_MS ? "expired" : "ok";
}
