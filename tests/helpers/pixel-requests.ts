import { randomUUID } from "node:crypto";
import { pixelShopKey } from "~/services/behaviour/pixel-shop-key.server";
import { TEST_SHOP } from "./shopify-requests";

const apiSecret = () => process.env.SHOPIFY_API_SECRET ?? "";

/** One event as the web pixel sends it (/work/notes/pixel-contract.md): a product view now. */
export function pixelEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `sh-${randomUUID()}`,
    name: "product_viewed",
    at: new Date().toISOString(),
    clientId: "client-1",
    productId: "gid://shopify/Product/501",
    variantId: "gid://shopify/ProductVariant/5011",
    path: "/products/blue-mug",
    consent: { analytics: true, marketing: true },
    ...overrides,
  };
}

/** A batch for `shop` with its own key (the pixel's settings), unless `key` says otherwise. */
export function pixelBatch(
  events: readonly Record<string, unknown>[],
  options: { shop?: string; key?: string } = {},
): Record<string, unknown> {
  const shop = options.shop ?? TEST_SHOP;
  return { v: 1, shop, key: options.key ?? pixelShopKey(apiSecret(), shop), events };
}

/** Posts `body` (a batch, or text as is) to the pixel endpoint as sendBeacon does: text/plain. */
export function postPixelBatch(origin: string, body: unknown): Promise<Response> {
  return fetch(`${origin}/pixel/events`, {
    method: "POST",
    headers: { "Content-Type": "text/plain;charset=UTF-8" },
    body:
      typeof body === "string"
        ? body
        : body instanceof Uint8Array
          ? Uint8Array.from(body)
          : JSON.stringify(body),
  });
}
