/**
 * Signed unsubscribe links: `${SHOPIFY_APP_URL}/email/unsubscribe?token=<payload>.<mac>`, the
 * payload being base64url JSON naming the shop and the customer and the mac an HMAC-SHA256 of
 * it. The HMAC key is derived from the app secret for this purpose only, so no other value the
 * app (or Shopify) signs with that secret can pass as a token. Tokens do not expire: a link in
 * an old email must keep working. Rotating the app secret invalidates them.
 */
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { getEnv } from "~/lib/env.server";

export interface UnsubscribeTarget {
  shopDomain: string;
  customerId: bigint;
}

const payloadSchema = z.object({
  s: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[a-z0-9][a-z0-9.-]*$/i),
  c: z.string().regex(/^\d{1,20}$/),
});

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const MAX_TOKEN_LENGTH = 600;

let cachedKey: { secret: string; key: Buffer } | undefined;

function signingKey(): Buffer {
  const secret = getEnv().SHOPIFY_API_SECRET;
  if (cachedKey?.secret !== secret) {
    const key = Buffer.from(hkdfSync("sha256", secret, "rekindle", "email-unsubscribe-link", 32));
    cachedKey = { secret, key };
  }
  return cachedKey.key;
}

const mac = (payload: string) => createHmac("sha256", signingKey()).update(payload).digest();

export function unsubscribeToken(shopDomain: string, customerId: bigint | string): string {
  const payload = Buffer.from(
    JSON.stringify({ s: shopDomain, c: customerId.toString() }),
    "utf8",
  ).toString("base64url");
  return `${payload}.${mac(payload).toString("base64url")}`;
}

/** The link for a customer's emails (the body's `{{unsubscribe_url}}` and List-Unsubscribe). */
export function unsubscribeUrl(shopDomain: string, customerId: bigint | string): string {
  const base = getEnv().SHOPIFY_APP_URL.replace(/\/+$/, "");
  return `${base}/email/unsubscribe?token=${unsubscribeToken(shopDomain, customerId)}`;
}

/** Who a token names, or null for anything malformed, truncated or tampered with. */
export function verifyUnsubscribeToken(token: string | null | undefined): UnsubscribeTarget | null {
  if (!token || token.length > MAX_TOKEN_LENGTH) return null;
  const [payload, signature, ...rest] = token.split(".");
  if (!payload || !signature || rest.length > 0) return null;
  if (!BASE64URL.test(payload) || !BASE64URL.test(signature)) return null;
  const given = Buffer.from(signature, "base64url");
  const expected = mac(payload);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  // Base64 leaves spare bits in the last character; only the canonical spelling counts.
  if (given.toString("base64url") !== signature) return null;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const parsed = payloadSchema.safeParse(decoded);
  if (!parsed.success) return null;
  return { shopDomain: parsed.data.s, customerId: BigInt(parsed.data.c) };
}
