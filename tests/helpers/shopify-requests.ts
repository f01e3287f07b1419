import { createHmac, randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { ADMIN_API_VERSION } from "~/lib/constants";

export const TEST_SHOP = "rekindle-test.myshopify.com";
export const APP_URL = process.env.SHOPIFY_APP_URL ?? "https://rekindle.test";
const apiKey = () => process.env.SHOPIFY_API_KEY ?? "";
const apiSecret = () => process.env.SHOPIFY_API_SECRET ?? "";

export function webhookHmac(body: string, secret = apiSecret()): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export interface WebhookRequestOptions {
  path: string;
  topic: string;
  body: string;
  shop?: string;
  webhookId?: string;
  hmac?: string;
  method?: string;
}

/** A webhook POST as Shopify sends it, signed with the app secret unless `hmac` overrides. */
export function webhookRequest(options: WebhookRequestOptions): Request {
  const method = options.method ?? "POST";
  return new Request(`${APP_URL}${options.path}`, {
    method,
    body: method === "GET" ? undefined : options.body,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": options.topic,
      "X-Shopify-Hmac-Sha256": options.hmac ?? webhookHmac(options.body),
      "X-Shopify-Shop-Domain": options.shop ?? TEST_SHOP,
      "X-Shopify-Webhook-Id": options.webhookId ?? randomUUID(),
      "X-Shopify-Event-Id": randomUUID(),
      "X-Shopify-Triggered-At": new Date().toISOString(),
      "X-Shopify-API-Version": ADMIN_API_VERSION,
    },
  });
}

/** An App Bridge session token (HS256 JWT signed with the app secret). */
export async function sessionToken(shop = TEST_SHOP, secret = apiSecret()): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ dest: `https://${shop}`, sid: randomUUID() })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(`https://${shop}/admin`)
    .setAudience(apiKey())
    .setSubject("42")
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 60)
    .setJti(randomUUID())
    .sign(new TextEncoder().encode(secret));
}

/** App proxy query string signed the way Shopify signs it. */
export function signedProxyUrl(
  path: string,
  params: Record<string, string>,
  secret = apiSecret(),
): string {
  const all = { timestamp: String(Math.floor(Date.now() / 1000)), ...params };
  const message = Object.keys(all)
    .sort()
    .map((key) => `${key}=${all[key as keyof typeof all]}`)
    .join("");
  const signature = createHmac("sha256", secret).update(message).digest("hex");
  const query = new URLSearchParams({ ...all, signature });
  return `${APP_URL}${path}?${query.toString()}`;
}
