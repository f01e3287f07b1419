/**
 * The key that ties a web pixel's batches to its shop. The app gives each shop's pixel its key
 * in the pixel's settings (webPixelCreate), and the ingest endpoint stores a batch only under
 * the shop whose key it carries: a made-up or another shop's domain is refused.
 *
 * The key is readable by anyone who loads that shop's storefront (pixel settings are public),
 * so it proves which shop a batch claims, not that our pixel sent it; rate limits per shop and
 * per client bound what a visitor can send.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

const KEY_BYTES = 16;
const KEY_FORMAT = /^[\w-]{22}$/;

/**
 * A key of its own, derived from the app secret: the same secret signs Shopify's webhooks and
 * app proxy requests, and a pixel key must never double as one of those.
 */
const derivedKeys = new Map<string, Buffer>();
function pixelKeyRoot(secret: string): Buffer {
  let key = derivedKeys.get(secret);
  if (!key) {
    key = createHmac("sha256", secret).update("rekindle/pixel-shop-key/v1").digest();
    derivedKeys.set(secret, key);
  }
  return key;
}

const macOf = (secret: string, shopDomain: string) =>
  createHmac("sha256", pixelKeyRoot(secret))
    .update(shopDomain.toLowerCase())
    .digest()
    .subarray(0, KEY_BYTES);

/** The key for the pixel settings of `shopDomain` (22 base64url characters). */
export function pixelShopKey(secret: string, shopDomain: string): string {
  return macOf(secret, shopDomain).toString("base64url");
}

/** Whether `key` is the pixel key of `shopDomain`; false for anything malformed. */
export function isPixelShopKey(secret: string, shopDomain: string, key: unknown): boolean {
  if (typeof key !== "string" || !KEY_FORMAT.test(key)) return false;
  const given = Buffer.from(key, "base64url");
  return given.length === KEY_BYTES && timingSafeEqual(given, macOf(secret, shopDomain));
}
