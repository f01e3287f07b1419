/**
 * Builds a shop's recommendation model from its synced orders and stores it: one
 * `recommendation_set` row per purchased product (neighbours best first, repurchase rate) and a
 * `recommendation_model` header with the shop-wide popular and trending lists. Storefront requests
 * then read a handful of rows instead of rebuilding anything.
 */
import type { SqlClient, SqlQueryable } from "~/lib/database-adapter.server";
import { buildItemToItemModel, neighboursOf } from "./model/item-to-item";
import { popularProducts, trendingProducts } from "./model/popular";
import { indexPurchases } from "./model/purchase-index";
import { buildRepurchaseRates } from "./model/repurchase";
import type { Purchase, ScoredProduct } from "./model/types";
import { forgetServingModelHeader } from "./model-reader.server";

/** Neighbours kept per product: a block shows at most 12, the rest absorb rule exclusions. */
const STORED_NEIGHBOURS = 30;
/** Length of the stored popular and trending lists (fallbacks for every block). */
const STORED_FALLBACKS = 60;
/** Rows per INSERT, so a large catalogue does not build one huge statement. */
const INSERT_CHUNK = 2000;

export interface RebuildResult {
  shopId: number;
  orders: number;
  products: number;
  buildMs: number;
  builtAt: Date;
}

/**
 * A shop's purchases, with the semantics of `purchasesFromOrders`: cancelled, test and deleted
 * orders are not purchases, refunded units are subtracted (lines refunded in full drop out) and
 * gift cards are left out. Done in SQL so a million lines never become order objects first.
 */
export async function loadShopPurchases(sql: SqlQueryable, shopId: number): Promise<Purchase[]> {
  const { rows } = await sql.query<{
    order_id: string;
    customer_id: string | null;
    product_id: string;
    at: string;
    quantity: number;
  }>(
    `SELECT o.id::text AS order_id, o.customer_id::text AS customer_id,
            l.product_id::text AS product_id,
            to_char(o.processed_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
            (l.quantity - l.refunded_quantity)::int AS quantity
     FROM "order" o
     JOIN order_line l ON l.shop_id = o.shop_id AND l.order_id = o.id
     WHERE o.shop_id = $1 AND o.cancelled_at IS NULL AND NOT o.test AND o.deleted_at IS NULL
       AND NOT l.gift_card AND l.product_id IS NOT NULL
       AND l.quantity - l.refunded_quantity > 0`,
    [shopId],
  );
  return rows.map((row) => ({
    orderId: row.order_id,
    customerId: row.customer_id,
    productId: row.product_id,
    at: new Date(row.at),
    quantity: row.quantity,
  }));
}

/** Rebuilds the shop's model from its purchases and replaces the stored one atomically. */
export async function rebuildRecommendationModel(
  sql: SqlClient,
  shopId: number,
  now: Date = new Date(),
): Promise<RebuildResult> {
  const started = performance.now();
  const index = indexPurchases(await loadShopPurchases(sql, shopId));
  // Decay relative to today, not the last order, so a shop that stopped selling ages honestly.
  const model = buildItemToItemModel(index, { asOf: now, neighbours: STORED_NEIGHBOURS });
  const rates = buildRepurchaseRates(index);
  const popular = popularProducts(index, { asOf: now, limit: STORED_FALLBACKS });
  const trending = trendingProducts(index, { asOf: now, limit: STORED_FALLBACKS });

  const rows = index.productIds.map((productId) => {
    const neighbours = neighboursOf(model, productId);
    return {
      p: productId,
      n: neighbours.map((neighbour) => neighbour.productId),
      s: neighbours.map((neighbour) => neighbour.score),
      r: rates.get(productId) ?? 0,
    };
  });
  const buildMs = Math.round(performance.now() - started);

  const write = async (tx: SqlQueryable) => {
    await tx.query(`DELETE FROM recommendation_set WHERE shop_id = $1`, [shopId]);
    for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
      await tx.query(
        `INSERT INTO recommendation_set (shop_id, product_id, neighbour_ids, scores, repurchase_rate)
         SELECT $1, x.p::bigint, x.n::bigint[], x.s, x.r
         FROM jsonb_to_recordset($2::jsonb) AS x(p text, n text[], s float8[], r float8)`,
        [shopId, JSON.stringify(rows.slice(start, start + INSERT_CHUNK))],
      );
    }
    await tx.query(
      `INSERT INTO recommendation_model
         (shop_id, popular, trending, orders_count, products_count, build_ms, built_at)
       VALUES ($1, $2::jsonb, $3::jsonb, $4, $5, $6, $7::timestamptz AT TIME ZONE 'UTC')
       ON CONFLICT (shop_id) DO UPDATE SET popular = EXCLUDED.popular,
         trending = EXCLUDED.trending, orders_count = EXCLUDED.orders_count,
         products_count = EXCLUDED.products_count, build_ms = EXCLUDED.build_ms,
         built_at = EXCLUDED.built_at`,
      [
        shopId,
        JSON.stringify(compact(popular)),
        JSON.stringify(compact(trending)),
        index.orderIds.length,
        index.productIds.length,
        buildMs,
        now.toISOString(),
      ],
    );
  };
  // Readers must never see a half-written set, so the swap is one transaction.
  await sql.transaction(write);
  forgetServingModelHeader(shopId);

  return {
    shopId,
    orders: index.orderIds.length,
    products: index.productIds.length,
    buildMs,
    builtAt: now,
  };
}

const compact = (list: readonly ScoredProduct[]) =>
  list.map(({ productId, score }) => ({ productId, score }));

/**
 * After a backfill: a model built before the orders arrived (a shop is installed a moment
 * before its backfill is queued) would otherwise stand for a day. Dropping the model header
 * makes the shop due at once; until the rebuild the storefront uses its fallbacks.
 */
export async function requestRecommendationRebuild(
  sql: SqlQueryable,
  shopId: number,
): Promise<void> {
  await sql.query(`DELETE FROM recommendation_model WHERE shop_id = $1`, [shopId]);
  forgetServingModelHeader(shopId);
}

/**
 * Installed shops whose model is missing or older than `maxAgeHours`. A shop still backfilling
 * waits, like the metrics recompute, so its first model sees all of its history.
 */
export async function shopsDueForRecommendationModel(
  sql: SqlQueryable,
  maxAgeHours = 24,
): Promise<number[]> {
  const { rows } = await sql.query<{ id: number }>(
    `SELECT s.id FROM shop s LEFT JOIN recommendation_model m ON m.shop_id = s.id
     WHERE s.state = 'installed'
       AND NOT EXISTS (SELECT 1 FROM sync_job j WHERE j.shop_id = s.id AND j.kind = 'backfill'
                       AND j.status NOT IN ('done', 'failed'))
       AND (m.shop_id IS NULL
            OR m.built_at < (now() AT TIME ZONE 'UTC') - make_interval(hours => $1))
     ORDER BY s.id`,
    [maxAgeHours],
  );
  return rows.map((row) => row.id);
}
