/**
 * Reads the stored model back for one request: the shop-wide header and the neighbour sets of
 * only the products the request is about (viewed product, cart, the customer's history).
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { ResponseCache, readManyThrough } from "~/lib/response-cache";
import {
  BESTSELLER_POLICY,
  POLICY_KEYS,
  type PolicyKey,
  type ServingPolicy,
} from "./model/placements";
import type { RepurchaseStats } from "./model/repurchase";
import { SIGNALS, type ModelView, type SignalWeights } from "./model/signals";
import type { ScoredProduct } from "./model/types";
import { isDatabaseId } from "~/lib/shopify-id";
import { parseTrainingSummary, type TrainingSummary } from "./training-summary";

export interface StoredModelHeader {
  /** Epoch for a shop without a trained model (its header is then read from the orders). */
  builtAt: Date;
  popular: ScoredProduct[];
  recentPopular: ScoredProduct[];
  policy: ServingPolicy;
  training: TrainingSummary | null;
}

export interface NeighbourSet {
  productId: string;
  knn: ScoredProduct[];
  ease: ScoredProduct[];
  repurchase: RepurchaseStats;
}

/** Bestsellers a shop without a model (just installed, or still training) is served. */
const UNTRAINED_BESTSELLERS = 60;
const UNTRAINED_WINDOW_DAYS = 90;

export async function loadModelHeader(
  sql: SqlQueryable,
  shopId: number,
): Promise<StoredModelHeader | null> {
  const { rows } = await sql.query<{
    built_at: string;
    popular: unknown;
    recent_popular: unknown;
    policy: unknown;
    training: unknown;
  }>(
    `SELECT to_char(built_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS built_at, popular,
            recent_popular, policy, training
     FROM recommendation_model WHERE shop_id = $1`,
    [shopId],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    builtAt: new Date(row.built_at),
    popular: scoredList(row.popular, "popular"),
    recentPopular: scoredList(row.recent_popular, "trending"),
    policy: policyOf(row.policy),
    training: parseTrainingSummary(row.training),
  };
}

/**
 * The header the storefront serves from: the stored model's, or for a shop without one the
 * last 90 days' bestsellers straight from its orders, so a block is never empty for want of a
 * model.
 */
export async function loadServingHeaderFromDatabase(
  sql: SqlQueryable,
  shopId: number,
): Promise<StoredModelHeader> {
  const stored = await loadModelHeader(sql, shopId);
  if (stored) return stored;
  const { rows } = await sql.query<{ product_id: string; orders: number }>(
    `SELECT l.product_id::text AS product_id, count(DISTINCT o.id)::int AS orders
     FROM "order" o JOIN order_line l ON l.shop_id = o.shop_id AND l.order_id = o.id
     WHERE o.shop_id = $1 AND o.cancelled_at IS NULL AND NOT o.test AND o.deleted_at IS NULL
       AND NOT l.gift_card AND l.product_id IS NOT NULL
       AND o.processed_at > (now() AT TIME ZONE 'UTC') - make_interval(days => $2)
     GROUP BY l.product_id ORDER BY orders DESC, l.product_id LIMIT $3`,
    [shopId, UNTRAINED_WINDOW_DAYS, UNTRAINED_BESTSELLERS],
  );
  return {
    builtAt: new Date(0),
    popular: rows.map((row) => ({
      productId: row.product_id,
      score: row.orders,
      source: "popular",
    })),
    recentPopular: [],
    policy: BESTSELLER_POLICY,
    training: null,
  };
}

/** A stored policy; keys or signals it lacks (an older build) serve bestsellers. */
function policyOf(value: unknown): ServingPolicy {
  const stored = (typeof value === "object" && value !== null ? value : {}) as Record<
    string,
    Record<string, unknown> | undefined
  >;
  const weightsOf = (key: PolicyKey): SignalWeights => {
    const entry = stored[key];
    if (!entry) return BESTSELLER_POLICY[key];
    return Object.fromEntries(
      SIGNALS.map((signal) => {
        const weight = entry[signal];
        return [signal, typeof weight === "number" && Number.isFinite(weight) ? weight : 0];
      }),
    ) as SignalWeights;
  };
  return Object.fromEntries(POLICY_KEYS.map((key) => [key, weightsOf(key)])) as ServingPolicy;
}

/**
 * The header per shop for a few seconds, for the storefront: reading and parsing its lists on
 * every request cost the proxy its tail latency. The process that rebuilds or drops a model
 * forgets its entry at once; other processes see a new build (daily) within SERVING_TTL_MS.
 * Exported for tests.
 */
export const servingModelHeaders = new ResponseCache<{ header: StoredModelHeader }>(10_000, 5_000);

export async function loadServingModelHeader(
  sql: SqlQueryable,
  shopId: number,
): Promise<StoredModelHeader> {
  const key = String(shopId);
  const cached = servingModelHeaders.get(key);
  if (cached) return cached.header;
  const header = await loadServingHeaderFromDatabase(sql, shopId);
  servingModelHeaders.set(key, { header });
  return header;
}

export const forgetServingModelHeader = (shopId: number) =>
  servingModelHeaders.delete(String(shopId));

/** A recommendation_set row as the queries below select it. */
interface NeighbourSetRow {
  product_id: string;
  neighbour_ids: string[];
  scores: number[];
  ease_ids: string[];
  ease_scores: number[];
  repurchase_rate: number;
  repurchase_days: number;
}

/** The columns of {@link NeighbourSetRow}, for queries selecting from recommendation_set `s`. */
const NEIGHBOUR_SET_COLUMNS = `s.product_id::text AS product_id,
  s.neighbour_ids::text[] AS neighbour_ids, s.scores, s.ease_ids::text[] AS ease_ids,
  s.ease_scores, s.repurchase_rate, s.repurchase_days`;

/** Only well-formed ids reach the database; anything else is simply not a product. */
const productIdsOf = (productIds: readonly string[]): string[] =>
  [...new Set(productIds)].filter(isDatabaseId);

export async function loadNeighbourSets(
  sql: SqlQueryable,
  shopId: number,
  productIds: readonly string[],
): Promise<Map<string, NeighbourSet>> {
  const ids = productIdsOf(productIds);
  if (ids.length === 0) return new Map();
  const { rows } = await sql.query<NeighbourSetRow>(
    `SELECT ${NEIGHBOUR_SET_COLUMNS}
     FROM recommendation_set s WHERE s.shop_id = $1 AND s.product_id = ANY($2::bigint[])`,
    [shopId, ids],
  );
  return neighbourSetsOf(rows);
}

export type NeighbourSetReader = typeof loadNeighbourSets;

/**
 * Neighbour sets per shop, model build and product, for the storefront: a set changes only
 * when the model is rebuilt, and the build time is in the key, so a rebuild in any process
 * makes older entries unreachable. Products without a set are remembered too, or a product
 * outside the model would cost a query on every view. Bounded: about 30 neighbours each,
 * 10,000 entries stay in the tens of megabytes. Exported for tests.
 */
export const servingNeighbourSets = new ResponseCache<{ value: NeighbourSet | null }>(
  10_000,
  10 * 60_000,
);

/** A reader for one request, keyed to the model build it serves. */
export function servingNeighbourSetReader(builtAt: Date | null): NeighbourSetReader {
  const build = builtAt?.getTime() ?? 0;
  return (sql, shopId, productIds) =>
    readManyThrough(
      servingNeighbourSets,
      (id) => `${shopId}:${build}:${id}`,
      productIdsOf(productIds),
      (missing) => loadNeighbourSets(sql, shopId, missing),
    );
}

function neighbourSetsOf(rows: readonly NeighbourSetRow[]): Map<string, NeighbourSet> {
  const edges = (ids: readonly string[], scores: readonly number[]): ScoredProduct[] =>
    ids.map((productId, k) => ({ productId, score: scores[k] ?? 0, source: "neighbours" }));
  return new Map(
    rows.map((row) => [
      row.product_id,
      {
        productId: row.product_id,
        knn: edges(row.neighbour_ids, row.scores),
        ease: edges(row.ease_ids, row.ease_scores),
        repurchase: { rate: row.repurchase_rate, intervalDays: row.repurchase_days },
      },
    ]),
  );
}

/**
 * The stored model as the placement entries read it: the header's lists and the sets loaded for
 * this request (the shopper's products and the page's). The signals only follow edges out of
 * those products, so this answers exactly as the whole model would.
 */
export function storedModelView(
  header: StoredModelHeader,
  sets: ReadonlyMap<string, NeighbourSet>,
): ModelView {
  return {
    popular: header.popular,
    recentPopular: header.recentPopular,
    itemEdges: (productId) => sets.get(productId),
    repurchase: (productId) => sets.get(productId)?.repurchase,
  };
}

/** A stored [{ productId, score }] list; anything malformed is skipped. */
function scoredList(value: unknown, source: ScoredProduct["source"]): ScoredProduct[] {
  if (!Array.isArray(value)) return [];
  const list: ScoredProduct[] = [];
  for (const item of value as unknown[]) {
    if (typeof item !== "object" || item === null) continue;
    const { productId, score } = item as { productId?: unknown; score?: unknown };
    if (typeof productId === "string" && typeof score === "number") {
      list.push({ productId, score, source });
    }
  }
  return list;
}
