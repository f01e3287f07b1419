/**
 * Reads the stored model back for one request: the shop-wide header and the neighbour sets of
 * only the products the request is about (viewed product, cart, the customer's history).
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { ResponseCache } from "~/services/storefront/response-cache";
import type { ItemToItemModel } from "./model/item-to-item";
import type { RepurchaseRates } from "./model/repurchase";
import type { ScoredProduct } from "./model/types";

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

export async function loadNeighbourSets(
  sql: SqlQueryable,
  shopId: number,
  productIds: readonly string[],
): Promise<Map<string, NeighbourSet>> {
  const ids = [...new Set(productIds)].filter((id) => /^\d{1,20}$/.test(id));
  if (ids.length === 0) return new Map();
  const { rows } = await sql.query<{
    product_id: string;
    neighbour_ids: string[];
    scores: number[];
    repurchase_rate: number;
  }>(
    `SELECT product_id::text, neighbour_ids::text[], scores, repurchase_rate
     FROM recommendation_set WHERE shop_id = $1 AND product_id = ANY($2::bigint[])`,
    [shopId, ids],
  );
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
