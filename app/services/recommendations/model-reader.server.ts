/**
 * Reads the stored model back for one request: the shop-wide header and the neighbour sets of
 * only the products the request is about (viewed product, cart, the customer's history).
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { ResponseCache, readManyThrough } from "~/services/storefront/response-cache";
import type { ItemToItemModel } from "./model/item-to-item";
import type { RepurchaseRates } from "./model/repurchase";
import type { ScoredProduct } from "./model/types";
import { isDatabaseId } from "~/lib/shopify-id";

export interface StoredModelHeader {
  builtAt: Date;
  popular: ScoredProduct[];
  trending: ScoredProduct[];
}

export interface NeighbourSet {
  productId: string;
  neighbours: ScoredProduct[];
  repurchaseRate: number;
}

export async function loadModelHeader(
  sql: SqlQueryable,
  shopId: number,
): Promise<StoredModelHeader | null> {
  const { rows } = await sql.query<{ built_at: string; popular: unknown; trending: unknown }>(
    `SELECT to_char(built_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS built_at, popular, trending
     FROM recommendation_model WHERE shop_id = $1`,
    [shopId],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    builtAt: new Date(row.built_at),
    popular: scoredList(row.popular, "popular"),
    trending: scoredList(row.trending, "trending"),
  };
}

/**
 * The header per shop for a few seconds, for the storefront: reading and parsing its lists on
 * every request cost the proxy its tail latency. The process that rebuilds or drops a model
 * forgets its entry at once; other processes see a new build (daily) within SERVING_TTL_MS.
 * Exported for tests.
 */
export const servingModelHeaders = new ResponseCache<{ header: StoredModelHeader | null }>(
  10_000,
  5_000,
);

export async function loadServingModelHeader(
  sql: SqlQueryable,
  shopId: number,
): Promise<StoredModelHeader | null> {
  const key = String(shopId);
  const cached = servingModelHeaders.get(key);
  if (cached) return cached.header;
  const header = await loadModelHeader(sql, shopId);
  servingModelHeaders.set(key, { header });
  return header;
}

export const forgetServingModelHeader = (shopId: number) =>
  servingModelHeaders.delete(String(shopId));

/** A recommendation_set row as the queries below select it. */
export interface NeighbourSetRow {
  product_id: string;
  neighbour_ids: string[];
  scores: number[];
  repurchase_rate: number;
}

/** The columns of {@link NeighbourSetRow}, for queries selecting from recommendation_set `s`. */
export const NEIGHBOUR_SET_COLUMNS = `s.product_id::text AS product_id,
  s.neighbour_ids::text[] AS neighbour_ids, s.scores, s.repurchase_rate`;

/** Only well-formed ids reach the database; anything else is simply not a product. */
export const productIdsOf = (productIds: readonly string[]): string[] =>
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

export function neighbourSetsOf(rows: readonly NeighbourSetRow[]): Map<string, NeighbourSet> {
  return new Map(
    rows.map((row) => [
      row.product_id,
      {
        productId: row.product_id,
        neighbours: row.neighbour_ids.map((productId, k) => ({
          productId,
          score: row.scores[k] ?? 0,
          source: "neighbours" as const,
        })),
        repurchaseRate: row.repurchase_rate,
      },
    ]),
  );
}

/**
 * The slice of the item-to-item model covering `sets`, in the CSR shape the pure recommenders
 * take. They only walk the neighbours of products the customer bought, so this slice answers
 * exactly as the full model would.
 */
export function partialModel(sets: Iterable<NeighbourSet>): ItemToItemModel {
  const productIds: string[] = [];
  const productIndex = new Map<string, number>();
  const indexOf = (productId: string): number => {
    let p = productIndex.get(productId);
    if (p === undefined) {
      p = productIds.length;
      productIds.push(productId);
      productIndex.set(productId, p);
    }
    return p;
  };
  const rows = [...sets].map((set) => ({ p: indexOf(set.productId), set }));
  for (const { set } of rows) for (const n of set.neighbours) indexOf(n.productId);

  const neighbourStart = new Int32Array(productIds.length + 1);
  const items: number[] = [];
  const scores: number[] = [];
  const byIndex = new Map(rows.map(({ p, set }) => [p, set]));
  for (let p = 0; p < productIds.length; p++) {
    for (const n of byIndex.get(p)?.neighbours ?? []) {
      items.push(indexOf(n.productId));
      scores.push(n.score);
    }
    neighbourStart[p + 1] = items.length;
  }
  return {
    productIds,
    productIndex,
    neighbourStart,
    neighbourItems: Int32Array.from(items),
    neighbourScores: Float64Array.from(scores),
    asOfMs: Date.now(),
  };
}

export function repurchaseRatesOf(sets: Iterable<NeighbourSet>): RepurchaseRates {
  return new Map([...sets].map((set) => [set.productId, set.repurchaseRate]));
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
