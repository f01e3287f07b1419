/**
 * GET /apps/rekindle/recently-viewed?product_id=&client_id=&limit= — the "Recently viewed"
 * block's products. The shopper is the signed `logged_in_customer_id` and, for views before
 * sign-in or as a guest, the web pixel's client id of this browser, which the block reads from
 * what the pixel stored on the page (the app proxy forwards no cookies). A client id is a random
 * id only its browser knows, so it is taken as the browser's word for itself; it never reveals a
 * customer's signed-in views (behaviour/recently-viewed.server.ts). The answer is personal: never
 * cached.
 */
import { randomUUID } from "node:crypto";
import { getDatabase } from "~/db.server";
import { isDatabaseId } from "~/lib/shopify-id";
import { recentlyViewedProductIds } from "~/services/behaviour/recently-viewed.server";
import { loadCatalogue } from "~/services/recommendations/catalogue.server";
import type { StorefrontShopper } from "./app-proxy.server";
import { productJson, type ProductJson } from "./recommendation-json";

const MAX_LIMIT = 12;
const DEFAULT_LIMIT = 4;
/** Shopify's client ids are UUID-like; the pixel contract caps them at 128 characters. */
const CLIENT_ID = /^[\w.:-]{1,128}$/;

export interface RecentlyViewedJson {
  /** For matching a page's request to logs; the block sends no events. */
  requestId: string;
  products: ProductJson[];
}

export interface RecentlyViewedParams {
  productId: string | null;
  clientId: string | null;
  limit: number;
}

/** Untrusted query parameters, reduced to what they can be; anything else is ignored. */
export function parseRecentlyViewedParams(url: URL): RecentlyViewedParams {
  const productId = url.searchParams.get("product_id") ?? "";
  const clientId = url.searchParams.get("client_id") ?? "";
  const limit = Math.trunc(Number(url.searchParams.get("limit") ?? DEFAULT_LIMIT));
  return {
    productId: isDatabaseId(productId) ? productId : null,
    clientId: CLIENT_ID.test(clientId) ? clientId : null,
    limit: Number.isFinite(limit) ? Math.min(MAX_LIMIT, Math.max(1, limit)) : DEFAULT_LIMIT,
  };
}

export async function storefrontRecentlyViewed(
  { shop, customerId }: StorefrontShopper,
  url: URL,
): Promise<RecentlyViewedJson> {
  const params = parseRecentlyViewedParams(url);
  const { sql } = getDatabase();
  const ids = await recentlyViewedProductIds(
    sql,
    shop.id,
    { customerId, clientId: params.clientId },
    { excludeProductId: params.productId, limit: params.limit, now: new Date() },
  );
  const catalogue = await loadCatalogue(sql, shop.id, ids);
  return {
    requestId: randomUUID(),
    products: ids.flatMap((id) => {
      const product = catalogue.get(id);
      return (product && productJson(product, shop.currency)) ?? [];
    }),
  };
}
