/**
 * Tokens the app signs into links of customer emails (unsubscribe, tracked clicks, the open
 * pixel): `<payload>.<mac>`, the payload base64url JSON and the mac an HMAC-SHA256 of it. Each
 * purpose has its own key derived from the app secret, so no other value the app (or Shopify)
 * signs with that secret, nor a token made for another purpose, passes. Verifying needs no
 * database. Tokens do not expire: a link in an old email must keep working. Rotating the app
 * secret invalidates them.
 */
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { getEnv } from "~/lib/env.server";

const BASE64URL = /^[A-Za-z0-9_-]+$/;

export interface TokenSigner {
  sign(payload: unknown): string;
  /** The payload JSON, or null for anything malformed, truncated or tampered with. */
  verify(token: string | null | undefined): unknown;
}

export function tokenSigner(purpose: string, maxLength: number): TokenSigner {
  let cachedKey: { secret: string; key: Buffer } | undefined;
  const mac = (payload: string) => {
    const secret = getEnv().SHOPIFY_API_SECRET;
    if (cachedKey?.secret !== secret) {
      cachedKey = { secret, key: Buffer.from(hkdfSync("sha256", secret, "rekindle", purpose, 32)) };
    }
    return createHmac("sha256", cachedKey.key).update(payload).digest();
  };
  return {
    sign(payload) {
      const encoded = Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
      return `${encoded}.${mac(encoded).toString("base64url")}`;
    },
    verify(token) {
      if (!token || token.length > maxLength) return null;
      const [payload, signature, ...rest] = token.split(".");
      if (!payload || !signature || rest.length > 0) return null;
      if (!BASE64URL.test(payload) || !BASE64URL.test(signature)) return null;
      const given = Buffer.from(signature, "base64url");
      const expected = mac(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      // Base64 leaves spare bits in the last character; only the canonical spelling counts.
      if (given.toString("base64url") !== signature) return null;
      try {
        return JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as unknown;
      } catch {
        return null;
      }
    },
  };
}

/** The app's public base URL, for links in emails. */
export const appBaseUrl = () => getEnv().SHOPIFY_APP_URL.replace(/\/+$/, "");
