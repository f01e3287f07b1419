/**
 * GET /apps/rekindle/recommendations?product_id=&product_ids=&limit=&context= — the block's
 * products. Anonymous answers are shared by every shopper on the same page, so they are cached
 * in process (and briefly by browsers and Shopify's proxy on product pages); answers for a
 * logged-in shopper are personal and never cached anywhere. The merchant's settings come from a
 * cache of a few seconds and their version is part of the answer cache key, so a save applies
 * within seconds. Every
 * response carries a token binding what was served, which its events must send back.
 */
import { json } from "@remix-run/node";
import { randomUUID } from "node:crypto";
import { getDatabase } from "~/db.server";
import { getEnv } from "~/lib/env.server";
import { isDatabaseId } from "~/lib/shopify-id";
import { servingCatalogueReader } from "~/services/recommendations/catalogue.server";
import {
  loadServingModelHeader,
  servingNeighbourSetReader,
} from "~/services/recommendations/model-reader.server";
import { armOf, visitorOf } from "~/services/recommendations/experiment";
import type { LiveMethod, Placement } from "~/services/recommendations/model/placements";
import {
  clampLimit,
  effectiveLimit,
  placementOf,
  recommend,
} from "~/services/recommendations/recommend.server";
import { loadServingSettings } from "~/services/recommendations/settings-store.server";
import type { InstalledShop } from "~/models/shop.server";
import type { ProxyRequestContext } from "./app-proxy.server";
import { signEventToken } from "./event-token.server";
import { productJson, type ProductJson, type RecommendationsJson } from "./recommendation-json";
import { ResponseCache } from "~/lib/response-cache";

const MAX_CART_PRODUCTS = 50;
const CONTEXTS = new Set(["product", "cart", "collection", "home"]);

export const PUBLIC_CACHE_CONTROL = "public, max-age=300";
export const PRIVATE_CACHE_CONTROL = "private, no-store";

/**
 * Anonymous answers by shop, model build, settings version and parameters; the requestId and
 * token are added per response.
 */
export const anonymousAnswers = new ResponseCache<{
  placement: Placement;
  method: LiveMethod;
  source: string;
  products: ProductJson[];
}>(5000, 5 * 60_000);

export interface RecommendationParams {
  productId: string | null;
  cartProductIds: string[];
  limit: number;
  context: string;
  /** The storefront script's visitor id, for sticky test arms (validated where it is used). */
  visitor: string | null;
}

const isDigits = (value: string) => /^\d+$/.test(value);

/**
 * Untrusted query parameters, reduced to what they can legitimately be: what is not a number is
 * ignored; numbers are kept even when out of Shopify's id range, so the handler can say so.
 */
export function parseRecommendationParams(url: URL): RecommendationParams {
  const productId = url.searchParams.get("product_id")?.trim() ?? "";
  const cart = (url.searchParams.get("product_ids") ?? "")
    .split(",")
    .map((id) => id.trim())
    .filter(isDigits);
  const context = url.searchParams.get("context") ?? "";
  return {
    productId: isDigits(productId) ? productId : null,
    cartProductIds: [...new Set(cart)].slice(0, MAX_CART_PRODUCTS),
    limit: clampLimit(Number(url.searchParams.get("limit") ?? 4)),
    context: CONTEXTS.has(context) ? context : "other",
    visitor: url.searchParams.get("visitor"),
  };
}

const jsonError = (status: number, error: string) =>
  json({ error }, { status, headers: { "Cache-Control": PRIVATE_CACHE_CONTROL } });

export async function recommendationsHandler({
  request,
  shop,
  customerId,
  url,
}: ProxyRequestContext): Promise<Response> {
  if (request.method !== "GET") {
    return json({ error: "method_not_allowed" }, { status: 405, headers: { Allow: "GET" } });
  }
  const params = parseRecommendationParams(url);
  const answer = await answerRecommendations(shop, customerId, params);
  if (!answer.ok) return jsonError(answer.status, answer.error);
  const cacheable = customerId === null && params.productId !== null;
  return json(answer.body, {
    headers: { "Cache-Control": cacheable ? PUBLIC_CACHE_CONTROL : PRIVATE_CACHE_CONTROL },
  });
}

export type RecommendationsAnswer =
  | { ok: true; body: RecommendationsJson }
  | { ok: false; status: 400 | 404; error: "invalid_product_id" | "product_not_found" };

/**
 * One placement's answer for a shop and shopper (the storefront proxy and the thank-you page
 * share it): ids out of Shopify's range are refused, a product page of a product the shop does
 * not have is not found, anything else is answered (bestsellers at least).
 */
export async function answerRecommendations(
  shop: Pick<InstalledShop, "id" | "domain" | "currency">,
  customerId: bigint | null,
  params: RecommendationParams,
): Promise<RecommendationsAnswer> {
  if (![params.productId ?? "1", ...params.cartProductIds].every(isDatabaseId)) {
    return { ok: false, status: 400, error: "invalid_product_id" };
  }
  const { sql } = getDatabase();
  const [header, { settings, version }] = await Promise.all([
    loadServingModelHeader(sql, shop.id),
    loadServingSettings(sql, shop.id),
  ]);
  const limit = effectiveLimit(params.limit, settings);
  const placement = placementOf({ ...params, customerId });
  const visitor = visitorOf(customerId, params.visitor);
  const arm = armOf(shop.domain, placement, visitor, settings.experimentShares[placement]);
  const key = [
    shop.id,
    header.builtAt.getTime(),
    version,
    params.context,
    params.productId ?? "",
    params.cartProductIds.join(","),
    limit,
    arm ?? "",
  ].join("|");

  let answer = customerId === null ? anonymousAnswers.get(key) : undefined;
  if (!answer) {
    const catalogue = servingCatalogueReader(header.builtAt);
    // A product page of a product this shop does not have (deleted, never synced, or another
    // shop's id) has no placement to answer: the block hides instead of showing unrelated picks.
    if (
      params.productId &&
      !(await catalogue(sql, shop.id, [params.productId])).get(params.productId)
    ) {
      return { ok: false, status: 404, error: "product_not_found" };
    }
    const result = await recommend(
      sql,
      header,
      {
        shopId: shop.id,
        customerId,
        productId: params.productId,
        cartProductIds: params.cartProductIds,
        limit,
        now: new Date(),
        settings,
        arm,
      },
      {
        catalogue,
        neighbourSets: servingNeighbourSetReader(header.builtAt),
      },
    );
    answer = {
      placement: result.placement,
      method: result.method,
      source: result.source,
      products: result.products.flatMap((product) => productJson(product, shop.currency) ?? []),
    };
    if (customerId === null) anonymousAnswers.set(key, answer);
  }

  // A fresh requestId per response even from the cache: impressions are counted per page view.
  const requestId = randomUUID();
  const token = signEventToken(
    getEnv().SHOPIFY_API_SECRET,
    {
      shop: shop.domain,
      requestId,
      productIds: answer.products.map((product) => product.id),
      customerId,
    },
    { placement: answer.placement, method: answer.method, arm, visitor },
    new Date(),
  );
  return {
    ok: true,
    body: { requestId, token, source: answer.source, products: answer.products },
  };
}
