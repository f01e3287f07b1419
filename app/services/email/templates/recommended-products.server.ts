/**
 * The products a customer's email recommends: the storefront's served recommender (the same
 * `recommend` entry, model, merchant rules and plan gate as the theme block for a signed-in
 * shopper), through its short-lived serving caches, so a run over thousands of customers reads
 * each product and neighbour set once.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { ResponseCache } from "~/lib/response-cache";
import { allows, shopEntitlement } from "~/services/billing/entitlement.server";
import { servingCatalogueReader } from "~/services/recommendations/catalogue.server";
import {
  loadServingModelHeader,
  servingNeighbourSetReader,
} from "~/services/recommendations/model-reader.server";
import { BESTSELLER_POLICY, policyUsesViews } from "~/services/recommendations/model/placements";
import {
  loadKnownShoppers,
  recommend,
  type KnownShopper,
} from "~/services/recommendations/recommend.server";
import { loadServingSettings } from "~/services/recommendations/settings-store.server";
import type { EmailProduct } from "./email-view";

/** Whether each shop's plan has personal picks, for a minute (the gate counts the month's orders). */
const personalization = new ResponseCache<boolean>(10_000, 60_000);

async function personalizationAllowed(sql: SqlQueryable, shopId: number, now: Date) {
  const key = String(shopId);
  let allowed = personalization.get(key);
  if (allowed === undefined) {
    allowed = allows(await shopEntitlement(sql, shopId, now), "personalizedRecommendations");
    personalization.set(key, allowed);
  }
  return allowed;
}

/**
 * What recommendedProducts reads about each of the customers `customerIds`, read ahead for a
 * flow worker's batch (two statements instead of two per customer), by customer id.
 */
export async function readAheadRecommendations(
  sql: SqlQueryable,
  shopId: number,
  customerIds: readonly bigint[],
  now: Date,
): Promise<Map<string, KnownShopper>> {
  if (customerIds.length === 0) return new Map();
  const [header, personalized] = await Promise.all([
    loadServingModelHeader(sql, shopId),
    personalizationAllowed(sql, shopId, now),
  ]);
  return loadKnownShoppers(sql, shopId, customerIds, {
    now,
    withViews: policyUsesViews(personalized ? header.policy : BESTSELLER_POLICY),
    neighbourSets: servingNeighbourSetReader(header.builtAt),
  });
}

/** `known`: what readAheadRecommendations read about the customer, if it did. */
export async function recommendedProducts(
  sql: SqlQueryable,
  shopId: number,
  customerId: bigint,
  limit: number,
  now: Date,
  known?: KnownShopper,
): Promise<EmailProduct[]> {
  const [header, { settings }, personalized] = await Promise.all([
    loadServingModelHeader(sql, shopId),
    loadServingSettings(sql, shopId),
    personalizationAllowed(sql, shopId, now),
  ]);
  const result = await recommend(
    sql,
    header,
    {
      shopId,
      customerId,
      productId: null,
      cartProductIds: [],
      limit,
      now,
      settings,
      bestsellersOnly: !personalized,
      known,
    },
    {
      catalogue: servingCatalogueReader(header.builtAt),
      neighbourSets: servingNeighbourSetReader(header.builtAt),
    },
  );
  return result.products.map((product) => ({
    id: product.id,
    title: product.title,
    handle: product.handle,
    price: product.price,
    imageUrl: product.imageUrl,
  }));
}
