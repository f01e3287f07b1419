import { randomUUID } from "node:crypto";
import { ADMIN_API_VERSION } from "~/lib/constants";
import {
  signAppProxyQuery,
  signCheckoutSessionToken,
  signSessionToken,
  webhookHmac as hmacOf,
} from "../devstore/signing";

export const TEST_SHOP = "rekindle-test.myshopify.com";
export const APP_URL = process.env.SHOPIFY_APP_URL ?? "https://rekindle.test";
const apiKey = () => process.env.SHOPIFY_API_KEY ?? "";
const apiSecret = () => process.env.SHOPIFY_API_SECRET ?? "";

export function webhookHmac(body: string, secret = apiSecret()): string {
  return hmacOf(body, secret);
}

export interface WebhookRequestOptions {
  path: string;
  topic: string;
  body: string;
  shop?: string;
  webhookId?: string;
  hmac?: string;
  method?: string;
  /** X-Shopify-Triggered-At (now unless given; null leaves the header out). */
  triggeredAt?: string | null;
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
      ...(options.triggeredAt === null
        ? {}
        : { "X-Shopify-Triggered-At": options.triggeredAt ?? new Date().toISOString() }),
      "X-Shopify-API-Version": ADMIN_API_VERSION,
    },
  });
}

/** An App Bridge session token (HS256 JWT signed with the app secret). */
export function sessionToken(shop = TEST_SHOP, secret = apiSecret()): Promise<string> {
  return signSessionToken({ shop, apiKey: apiKey(), userId: "42" }, secret);
}

/** A checkout UI extension's session token for `shop`, for a signed-in buyer when given. */
export function checkoutSessionToken(
  options: { shop?: string; customerId?: string; lifetimeSeconds?: number } = {},
  secret = apiSecret(),
): Promise<string> {
  return signCheckoutSessionToken({ shop: TEST_SHOP, apiKey: apiKey(), ...options }, secret);
}

/**
 * An embedded admin request as App Bridge sends it: a session token bearer, and for a form
 * submission the form-encoded body.
 */
export async function embeddedAdminRequest(
  path: string,
  form?: Record<string, string>,
): Promise<Request> {
  return new Request(`${APP_URL}${path}`, {
    method: form ? "POST" : "GET",
    headers: {
      Authorization: `Bearer ${await sessionToken()}`,
      ...(form ? { "Content-Type": "application/x-www-form-urlencoded" } : {}),
    },
    body: form ? new URLSearchParams(form) : undefined,
  });
}

/** App proxy URL signed the way Shopify signs it (`shop`, `path_prefix` etc. from `params`). */
export function signedProxyUrl(
  path: string,
  params: Record<string, string>,
  secret = apiSecret(),
): string {
  const {
    shop = TEST_SHOP,
    logged_in_customer_id,
    path_prefix = "/apps/rekindle",
    ...rest
  } = params;
  const query = signAppProxyQuery({
    query: new URLSearchParams(rest),
    shop,
    pathPrefix: path_prefix,
    loggedInCustomerId: logged_in_customer_id ?? null,
    secret,
  });
  return `${APP_URL}${path}?${query.toString()}`;
}
