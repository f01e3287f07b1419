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
 *
 * The token also carries what served the list (placement, method, test arm, visitor), readable
 * and covered by the MAC: events are credited to what the app really served, and a visitor
 * cannot move their clicks from one test arm to the other.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const EVENT_TOKEN_MAX_AGE_MS = 24 * 60 * 60_000;
/** Processes' clocks may disagree a little; a token from further ahead is not ours. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;
const MAC_BYTES = 16;
/** `<issued minute, base 36>.<claims, base64url JSON>.<16-byte MAC, base64url>` */
const TOKEN_FORMAT = /^([0-9a-z]{1,10})\.([\w-]{1,400})\.([\w-]{22})$/;

export interface ServedRender {
  shop: string;
  requestId: string;
  productIds: readonly string[];
  customerId: bigint | null;
}

/** What served a list, as the events of that list will be credited. */
export interface ServedClaims {
  placement: string;
  method: string;
  /** ours | bestsellers while the placement runs a test, else null. */
  arm: string | null;
  visitor: string | null;
}

const CLAIM_TEXT = /^[\w-]{1,64}$/;

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

function mac(secret: string, render: ServedRender, minute: number, claims: string): Buffer {
  const message = [
    render.shop,
    render.requestId,
    render.productIds.join(","),
    render.customerId?.toString() ?? "",
    minute,
    claims,
  ].join("|");
  return createHmac("sha256", eventKey(secret)).update(message).digest().subarray(0, MAC_BYTES);
}

const encodeClaims = (claims: ServedClaims) =>
  Buffer.from(
    JSON.stringify([claims.placement, claims.method, claims.arm, claims.visitor]),
  ).toString("base64url");

function decodeClaims(text: string): ServedClaims | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 4) return null;
    const [placement, method, arm, visitor] = value as unknown[];
    const optional = (v: unknown) => v === null || (typeof v === "string" && CLAIM_TEXT.test(v));
    if (typeof placement !== "string" || !CLAIM_TEXT.test(placement)) return null;
    if (typeof method !== "string" || !CLAIM_TEXT.test(method)) return null;
    if (!optional(arm) || !optional(visitor)) return null;
    return { placement, method, arm: arm as string | null, visitor: visitor as string | null };
  } catch {
    return null;
  }
}

export function signEventToken(
  secret: string,
  render: ServedRender,
  claims: ServedClaims,
  now: Date,
): string {
  const minute = Math.floor(now.getTime() / 60_000);
  const encoded = encodeClaims(claims);
  return `${minute.toString(36)}.${encoded}.${mac(secret, render, minute, encoded).toString("base64url")}`;
}

export type TokenResult =
  { check: "ok"; claims: ServedClaims } | { check: Exclude<TokenCheck, "ok"> };

export function verifyEventToken(
  secret: string,
  render: ServedRender,
  token: string,
  now: Date,
): TokenResult {
  const match = TOKEN_FORMAT.exec(token);
  if (!match) return { check: "malformed" };
  const minute = parseInt(match[1] ?? "", 36);
  const encoded = match[2] ?? "";
  const given = Buffer.from(match[3] ?? "", "base64url");
  // One spelling per MAC: a 22nd character with other spare bits decodes to the same bytes.
  if (given.length !== MAC_BYTES || given.toString("base64url") !== match[3]) {
    return { check: "malformed" };
  }
  if (!timingSafeEqual(given, mac(secret, render, minute, encoded))) return { check: "forged" };
  const age = now.getTime() - minute * 60_000;
  if (age > EVENT_TOKEN_MAX_AGE_MS || age < -MAX_CLOCK_SKEW_MS) return { check: "expired" };
  const claims = decodeClaims(encoded);
  return claims ? { check: "ok", claims } : { check: "malformed" };
}
