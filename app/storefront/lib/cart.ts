// The theme's cart, through Shopify's Cart AJAX API on the shop's own domain
// (`POST {routes.root}cart/add.js`). Variant ids go into the body as JSON numbers written from
// their digits, so ids above 2^53 keep every digit (a JS number would round them).

import { isDatabaseId } from "../../lib/shopify-id";

/** `window.Shopify.routes.root` (`/`, `/fa/`, …) when the theme exposes a same-origin path. */
export function cartRoot(root: unknown): string {
  return typeof root === "string" && /^\/(?!\/)[\w\-/]*$/.test(root)
    ? root.replace(/\/*$/, "/")
    : "/";
}

/** `{"items":[{"id":…,"quantity":1},…]}`; null when any id is not a Shopify id. */
export function cartAddBody(variantIds: readonly string[]): string | null {
  if (variantIds.length === 0 || !variantIds.every(isDatabaseId)) return null;
  return `{"items":[${variantIds.map((id) => `{"id":${id},"quantity":1}`).join()}]}`;
}

/** Adds one of each variant in one request; rejects when the cart refuses (e.g. sold out). */
export async function addToCart(variantIds: readonly string[]): Promise<void> {
  const body = cartAddBody(variantIds);
  if (body === null) throw new Error("Rekindle: invalid variant id");
  const shopify = (window as { Shopify?: { routes?: { root?: unknown } } }).Shopify;
  const response = await fetch(`${cartRoot(shopify?.routes?.root)}cart/add.js`, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body,
  });
  if (!response.ok) throw new Error(`Cart answered ${response.status}`);
  // Themes refresh their cart drawer or count on their own events; this one is ours to hook.
  document.dispatchEvent(new CustomEvent("rekindle:cart-added", { detail: { variantIds } }));
}
