/**
 * GET /apps/rekindle/recommendations?product_id=&product_ids=&limit=&context=&client_id= — the
 * block's products. `client_id` is the web pixel's id of this browser: a guest's recent views
 * shape their list through it (a random id only its browser knows, taken as the browser's word
 * for itself; it never reveals a signed-in customer's views, behaviour/views-for-recommender). Anonymous answers are shared by every shopper on the same page, so they are cached
 * in process (and briefly by browsers and Shopify's proxy on product pages); answers for a
 * logged-in shopper are personal and never cached anywhere. The merchant's settings come from a
 * cache of a few seconds and their version is part of the answer cache key, so a save applies
 * within seconds. Every
 * response carries a token binding what was served, which its events must send back.
 */
import { randomUUID } from "node:crypto";
import { getDatabase } from "~/db.server";
import { getEnv } from "~/lib/env.server";
import { InvalidInputError, NotFoundError } from "~/lib/errors";
import { isDatabaseId } from "~/lib/shopify-id";
import { servingCatalogueReader } from "~/services/recommendations/catalogue.server";
import {
  loadServingModelHeader,
  servingNeighbourSetReader,
} from "~/services/recommendations/model-reader.server";
import { armOf, visitorOf } from "~/services/recommendations/experiment";
import {
  policyUsesViews,
  type LiveMethod,
  type Placement,
} from "~/services/recommendations/model/placements";
import {
  clampLimit,
  effectiveLimit,
  placementOf,
  recommend,
} from "~/services/recommendations/recommend.server";
import { loadServingSettings } from "~/services/recommendations/settings-store.server";
import type { InstalledShop } from "~/models/shop.server";
import type { StorefrontShopper } from "./app-proxy.server";
import { signEventToken } from "./event-token.server";
import { productJson, type ProductJson, type RecommendationsJson } from "./recommendation-json";
import { ResponseCache } from "~/lib/response-cache";
import { allows, shopEntitlement } from "~/services/billing/entitlement.server";
import type { SqlQueryable } from "~/lib/database-adapter.server";

const MAX_CART_PRODUCTS = 50;
const CONTEXTS = new Set(["product", "cart", "collection", "home"]);

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

/**
 * Whether each shop's plan lets it show personalized recommendations now, for a minute: the
 * gate counts the month's orders, which every storefront request need not repeat. A plan change
 * reaches the storefront within that minute.
 */
const personalization = new ResponseCache<boolean>(10_000, 60_000);

async function personalizationAllowed(sql: SqlQueryable, shopId: number): Promise<boolean> {
  const key = String(shopId);
  let allowed = personalization.get(key);
  if (allowed === undefined) {
    allowed = allows(await shopEntitlement(sql, shopId, new Date()), "personalizedRecommendations");
    personalization.set(key, allowed);
  }
  return allowed;
}

/** Forgets the shops' cached plan gates (tests change plans between requests). */
export function forgetPersonalizationGates(): void {
  personalization.clear();
}

export interface RecommendationParams {
  productId: string | null;
  cartProductIds: string[];
  limit: number;
  context: string;
  /** The storefront script's visitor id, for sticky test arms (validated where it is used). */
  visitor: string | null;
  /** The web pixel's client id of this browser, when the page knows it. */
  clientId: string | null;
}

/** Shopify's client ids are UUID-like; the pixel contract caps them at 128 characters. */
const CLIENT_ID = /^[\w.:-]{1,128}$/;

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
  const clientId = url.searchParams.get("client_id") ?? "";
  return {
    productId: isDigits(productId) ? productId : null,
    cartProductIds: [...new Set(cart)].slice(0, MAX_CART_PRODUCTS),
    limit: clampLimit(Number(url.searchParams.get("limit") ?? 4)),
    context: CONTEXTS.has(context) ? context : "other",
    visitor: url.searchParams.get("visitor"),
    clientId: CLIENT_ID.test(clientId) ? clientId : null,
  };
}

/**
 * A storefront block's answer and who may keep it: an anonymous product page is the same for
 * every shopper ("public"); a signed-in shopper's or a cart's answer is theirs alone.
 */
export interface StorefrontRecommendations {
  body: RecommendationsJson;
  cache: "public" | "private";
}

export async function storefrontRecommendations(
  { shop, customerId }: StorefrontShopper,
  url: URL,
): Promise<StorefrontRecommendations> {
  const params = parseRecommendationParams(url);
  const body = await answerRecommendations(shop, customerId, params);
  const cacheable = customerId === null && params.clientId === null && params.productId !== null;
  return { body, cache: cacheable ? "public" : "private" };
}

/**
 * One placement's answer for a shop and shopper (the storefront proxy and the thank-you page
 * share it): ids out of Shopify's range are refused, a product page of a product the shop does
 * not have is not found, anything else is answered (bestsellers at least).
 * @throws InvalidInputError `invalid_product_id`, NotFoundError `product_not_found`
 */
export async function answerRecommendations(
  shop: Pick<InstalledShop, "id" | "domain" | "currency">,
  customerId: bigint | null,
  params: RecommendationParams,
): Promise<RecommendationsJson> {
  if (![params.productId ?? "1", ...params.cartProductIds].every(isDatabaseId)) {
    throw new InvalidInputError("A product id is out of range", { code: "invalid_product_id" });
  }
  const { sql } = getDatabase();
  const [header, { settings, version }, personalized] = await Promise.all([
    loadServingModelHeader(sql, shop.id),
    loadServingSettings(sql, shop.id),
    personalizationAllowed(sql, shop.id),
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
    personalized,
  ].join("|");

  // A guest whose browser's views can shape the list gets an answer of their own.
  const shared = customerId === null && !(params.clientId && policyUsesViews(header.policy));
  let answer = shared ? anonymousAnswers.get(key) : undefined;
  if (!answer) {
    const catalogue = servingCatalogueReader(header.builtAt);
    // A product page of a product this shop does not have (deleted, never synced, or another
    // shop's id) has no placement to answer: the block hides instead of showing unrelated picks.
    if (
      params.productId &&
      !(await catalogue(sql, shop.id, [params.productId])).get(params.productId)
    ) {
      throw new NotFoundError(`Product ${params.productId} is not in this shop's catalogue`, {
        code: "product_not_found",
      });
    }
    const result = await recommend(
      sql,
      header,
      {
        shopId: shop.id,
        customerId,
        clientId: params.clientId,
        productId: params.productId,
        cartProductIds: params.cartProductIds,
        limit,
        now: new Date(),
        settings,
        arm,
        bestsellersOnly: !personalized,
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
    if (shared) anonymousAnswers.set(key, answer);
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
  return { requestId, token, source: answer.source, products: answer.products };
}
