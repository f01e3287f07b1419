import { createHmac, randomUUID } from "node:crypto";
import { SignJWT } from "jose";

/**
 * The three signatures Shopify puts on what it sends an app, computed the way Shopify's
 * documentation describes them. The simulated store signs with these; the app verifies
 * through the unmodified Shopify libraries, so a mismatch fails the end-to-end tests.
 */

/** `X-Shopify-Hmac-Sha256`: base64 HMAC-SHA256 of the raw body with the app's secret. */
export function webhookHmac(rawBody: string | Buffer, secret: string): string {
  return createHmac("sha256", secret).update(rawBody).digest("base64");
}

/**
 * App proxy `signature`: hex HMAC-SHA256 over the query parameters (without `signature`)
 * as `key=value` pairs sorted by key and joined with no separator; a repeated key's values
 * are joined with commas.
 */
export function appProxySignature(params: URLSearchParams, secret: string): string {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of params) {
    if (key === "signature") continue;
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  const message = [...grouped.keys()]
    .sort()
    .map((key) => `${key}=${(grouped.get(key) ?? []).join(",")}`)
    .join("");
  return createHmac("sha256", secret).update(message).digest("hex");
}

/** Adds `shop`, `logged_in_customer_id`, `path_prefix`, `timestamp` and `signature`. */
export function signAppProxyQuery(options: {
  query: URLSearchParams;
  shop: string;
  pathPrefix: string;
  loggedInCustomerId: string | null;
  secret: string;
  now?: Date;
}): URLSearchParams {
  const signed = new URLSearchParams(options.query);
  signed.delete("signature");
  signed.set("shop", options.shop);
  signed.set("logged_in_customer_id", options.loggedInCustomerId ?? "");
  signed.set("path_prefix", options.pathPrefix);
  signed.set("timestamp", String(Math.floor((options.now ?? new Date()).getTime() / 1000)));
  signed.set("signature", appProxySignature(signed, options.secret));
  return signed;
}

export interface SessionTokenClaims {
  shop: string;
  apiKey: string;
  userId: string;
  sessionId?: string;
  now?: Date;
  lifetimeSeconds?: number;
}

/**
 * An App Bridge session token: an HS256 JWT signed with the app's secret whose issuer is the
 * shop's admin, destination the shop, audience the app's client id and subject the staff user.
 */
export async function signSessionToken(claims: SessionTokenClaims, secret: string) {
  const issuedAt = Math.floor((claims.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ dest: `https://${claims.shop}`, sid: claims.sessionId ?? randomUUID() })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(`https://${claims.shop}/admin`)
    .setAudience(claims.apiKey)
    .setSubject(claims.userId)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(issuedAt + (claims.lifetimeSeconds ?? 60))
    .setJti(randomUUID())
    .sign(new TextEncoder().encode(secret));
}

export interface CheckoutTokenClaims {
  shop: string;
  apiKey: string;
  /** The signed-in buyer; guests' tokens carry no subject. */
  customerId?: string;
  now?: Date;
  lifetimeSeconds?: number;
}

/**
 * A checkout UI extension's session token (`shopify.sessionToken.get()`): an HS256 JWT signed
 * with the app's secret, destination the shop's domain, audience the app's client id, and for a
 * signed-in buyer their customer GID as subject.
 */
export async function signCheckoutSessionToken(claims: CheckoutTokenClaims, secret: string) {
  const issuedAt = Math.floor((claims.now ?? new Date()).getTime() / 1000);
  const token = new SignJWT({ dest: claims.shop })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setAudience(claims.apiKey)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(issuedAt + (claims.lifetimeSeconds ?? 300))
    .setJti(randomUUID());
  if (claims.customerId) token.setSubject(`gid://shopify/Customer/${claims.customerId}`);
  return token.sign(new TextEncoder().encode(secret));
}
