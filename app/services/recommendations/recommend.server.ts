/**
 * Answers one storefront recommendation request through its placement's served entry (the same
 * function the offline evaluation scores) with the policy the shop's training chose:
 *  - product page: product_page, the viewed product as context;
 *  - cart: cart, the cart's products as context;
 *  - a signed-in shopper anywhere else: lifecycle, with their stage's weights;
 *  - an anonymous shopper anywhere else: for_you without a history.
 * A signed-in shopper's history feeds every placement, and so do the shopper's recent product
 * views (web pixel: a signed-in customer's own, or a guest browser's by its client id) when the
 * shop's training gave views any weight. Merchant rules then filter the list:
 * always active, no gift cards, never the viewed or carted products; then the shop's own
 * settings (stock, excluded tags/types/vendors, the products of excluded collections, blocked
 * ids, pins first, at most maxPerBlock), read per request so a saved change applies at once.
 * Bestsellers, recent bestsellers and new arrivals fill the block up to the limit.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import {
  loadCatalogue,
  loadNewArrivals,
  type CatalogueReader,
  type StorefrontProduct,
} from "./catalogue.server";
import {
  loadShoppersViews,
  loadShopperViews,
  type ProductView,
} from "~/services/behaviour/views-for-recommender.server";
import {
  loadShoppersSignals,
  loadShopperSignals,
  type ShopperSignals,
} from "./customer-signals.server";
import type { Arm } from "./experiment";
import {
  BESTSELLER_POLICY,
  methodOf,
  policyUsesViews,
  PLACEMENT_ENTRIES,
  policyKeyOf,
  type LiveMethod,
  type Placement,
} from "./model/placements";
import { newArrivals } from "./model/new-arrivals";
import { applyMerchantRules } from "./model/rules";
import {
  DEFAULT_RECOMMENDATION_SETTINGS,
  merchantRulesOf,
  type RecommendationSettings,
} from "./settings";
import type { ScoredProduct } from "./model/types";
import { MS_PER_DAY } from "./model/types";
import { MAX_VIEWS, VIEW_WINDOW_DAYS } from "./model/view-history";
import {
  loadNeighbourSets,
  storedModelView,
  type NeighbourSet,
  type NeighbourSetReader,
  type StoredModelHeader,
} from "./model-reader.server";

export const MIN_LIMIT = 1;
export const MAX_LIMIT = 12;
/** Candidates kept per list before the rules run: enough to absorb sold-out and draft products. */
const DEPTH_PER_SLOT = 4;
/** Extra depth for blocked products, which could otherwise crowd out the eligible candidates. */
const MAX_BLOCKED_DEPTH = 50;
const NEW_ARRIVAL_DAYS = 30;

export interface RecommendationRequest {
  shopId: number;
  customerId: bigint | null;
  /** The web pixel's client id of the shopper's browser, when the storefront knows it. */
  clientId?: string | null;
  /** The product being viewed (product pages). */
  productId: string | null;
  /** The cart's products (cart pages). */
  cartProductIds: readonly string[];
  limit: number;
  now: Date;
  /** The shop's rules; the defaults when absent. */
  settings?: RecommendationSettings;
  /** The visitor's arm when the placement runs a test: bestsellers replace the policy. */
  arm?: Arm | null;
  /** The shop's plan has no personalized recommendations: bestsellers replace the policy. */
  bestsellersOnly?: boolean;
  /** The signed-in shopper's signals and views when the caller read them for a batch. */
  known?: KnownShopper;
}

/**
 * What recommend reads about a signed-in shopper, read ahead for many (a flow worker's batch):
 * their signals without anchors, and their views (null: not read, the policy weighed none).
 */
export interface KnownShopper {
  signals: ShopperSignals;
  views: ProductView[] | null;
}

export interface Recommendation {
  placement: Placement;
  /** The method the list came from (bestsellers for a test's control arm). */
  method: LiveMethod;
  /** Where the first product came from (`neighbours`, `repurchase`, `popular`, …), or `none`. */
  source: string;
  products: StorefrontProduct[];
}

/** Where the per-request reads come from: the tables, or the storefront's short caches. */
export interface RecommendationReaders {
  catalogue: CatalogueReader;
  neighbourSets: NeighbourSetReader;
}

const DIRECT_READERS: RecommendationReaders = {
  catalogue: loadCatalogue,
  neighbourSets: loadNeighbourSets,
};

export const clampLimit = (limit: number): number =>
  Number.isFinite(limit) ? Math.min(MAX_LIMIT, Math.max(MIN_LIMIT, Math.round(limit))) : 4;

/** What the block may show: the theme's `limit`, capped by the merchant's maximum per block. */
export const effectiveLimit = (limit: number, settings: RecommendationSettings): number =>
  Math.min(clampLimit(limit), settings.maxPerBlock);

export function placementOf(
  request: Pick<RecommendationRequest, "productId" | "cartProductIds" | "customerId">,
): Placement {
  if (request.productId) return "product_page";
  if (request.cartProductIds.length > 0) return "cart";
  return request.customerId ? "lifecycle" : "for_you";
}

/** The sets plus those of `productIds` it lacks, read only when there are any. */
async function withSets(
  sets: Map<string, NeighbourSet>,
  productIds: readonly string[],
  read: (ids: string[]) => Promise<Map<string, NeighbourSet>>,
): Promise<Map<string, NeighbourSet>> {
  const missing = productIds.filter((id) => !sets.has(id));
  return missing.length === 0 ? sets : new Map([...sets, ...(await read(missing))]);
}

/** The window of views a request reads. */
export const SHOPPER_VIEWS = (now: Date) => ({ now, days: VIEW_WINDOW_DAYS, limit: MAX_VIEWS });

/**
 * KnownShopper of the signed-in customers `customerIds` of one shop, by customer id: what
 * `recommend` would read for each, in two statements (one when `withViews` is false: the policy
 * weighs no views).
 */
export async function loadKnownShoppers(
  sql: SqlQueryable,
  shopId: number,
  customerIds: readonly bigint[],
  options: { now: Date; withViews: boolean; neighbourSets: NeighbourSetReader },
): Promise<Map<string, KnownShopper>> {
  if (customerIds.length === 0) return new Map();
  const [views, signals] = await Promise.all([
    options.withViews
      ? loadShoppersViews(
          sql,
          shopId,
          customerIds.map((customerId) => ({ customerId, clientId: null })),
          SHOPPER_VIEWS(options.now),
        )
      : null,
    loadShoppersSignals(sql, shopId, customerIds, [], options.neighbourSets),
  ]);
  return new Map(
    customerIds.flatMap((customerId, index) => {
      const found = signals.get(customerId.toString());
      return found
        ? [[customerId.toString(), { signals: found, views: views?.[index] ?? null }] as const]
        : [];
    }),
  );
}

export async function recommend(
  sql: SqlQueryable,
  header: StoredModelHeader,
  request: RecommendationRequest,
  /** The storefront passes its cached readers; tests and previews read the tables directly. */
  readers: RecommendationReaders = DIRECT_READERS,
): Promise<Recommendation> {
  const settings = request.settings ?? DEFAULT_RECOMMENDATION_SETTINGS;
  const limit = effectiveLimit(request.limit, settings);
  const blockedCount =
    settings.blockedProductIds.length + settings.excludedCollectionProductIds.length;
  const depth = limit * DEPTH_PER_SLOT + Math.min(blockedCount, MAX_BLOCKED_DEPTH);
  const context = request.productId ? [request.productId] : [...request.cartProductIds];

  const policy =
    request.arm === "bestsellers" || request.bestsellersOnly ? BESTSELLER_POLICY : header.policy;
  const shopper = { customerId: request.customerId, clientId: request.clientId ?? null };
  // A batch's read ahead holds no anchors' sets: a request with anchors reads its own.
  const known = context.length === 0 ? request.known : undefined;
  const [views, signals] = await Promise.all([
    // Only a policy that weighs views needs them read.
    policyUsesViews(policy)
      ? (known?.views ?? loadShopperViews(sql, request.shopId, shopper, SHOPPER_VIEWS(request.now)))
      : [],
    request.customerId
      ? (known?.signals ??
        loadShopperSignals(sql, request.shopId, request.customerId, context, readers.neighbourSets))
      : null,
  ]);
  // The viewed products' item edges carry their votes; the shopper's signals hold the
  // history's and the page's sets already.
  const viewedIds = [...new Set(views.map((view) => view.productId))];
  const sets = signals
    ? await withSets(signals.sets, viewedIds, (ids) =>
        readers.neighbourSets(sql, request.shopId, ids),
      )
    : await readers.neighbourSets(sql, request.shopId, [...new Set([...context, ...viewedIds])]);
  const placement = placementOf(request);
  const stage = signals?.stage ?? "prospect";
  const served = PLACEMENT_ENTRIES[placement](
    { history: signals?.history ?? [], context, views, stage, asOf: request.now, limit: depth },
    storedModelView(header, sets),
    policy,
  );
  const lists = [served, header.popular, header.recentPopular].map((list) => list.slice(0, depth));

  const catalogue = await readers.catalogue(sql, request.shopId, [
    ...new Set([...settings.pinnedProductIds, ...lists.flat().map((product) => product.productId)]),
  ]);
  const choose = (extra: readonly ScoredProduct[]) =>
    applyMerchantRules(lists[0] ?? [], {
      catalogue,
      limit,
      currentProductId: request.productId ?? undefined,
      // Recommending what is already in the cart wastes a slot.
      rules: merchantRulesOf(settings, request.cartProductIds),
      fallbacks: [...lists.slice(1), extra],
    });
  let chosen = choose([]);
  if (chosen.length < limit) {
    // New arrivals only matter for a thin history, so their query runs only when needed.
    const arrivals = await loadNewArrivals(
      sql,
      request.shopId,
      new Date(request.now.getTime() - NEW_ARRIVAL_DAYS * MS_PER_DAY),
      depth,
    );
    for (const product of arrivals)
      if (!catalogue.has(product.id)) catalogue.set(product.id, product);
    chosen = choose(newArrivals(arrivals, { asOf: request.now }));
  }
  return {
    placement,
    method: methodOf(policy[policyKeyOf(placement, stage)]),
    source: chosen[0]?.source ?? "none",
    products: chosen.flatMap((product) => catalogue.get(product.productId) ?? []),
  };
}
