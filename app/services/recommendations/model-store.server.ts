/**
 * Trains a shop's recommender on its synced orders and stores it: the serving policy its own
 * validation orders chose (training.ts), one `recommendation_set` row per purchased product
 * (item-kNN and EASE edges best first, repurchase rate and interval) and a
 * `recommendation_model` header with the bestseller lists, the policy and how training measured.
 * Customers' product views from the web pixel go into the training, so their weights are tuned
 * on the shop's own validation orders (none: the view signals keep no weight).
 * Storefront requests then read a handful of rows instead of rebuilding anything.
 */
import type { SqlClient, SqlQueryable } from "~/lib/database-adapter.server";
import { logger } from "~/lib/logger.server";
import { loadCustomerViews } from "~/services/behaviour/views-for-recommender.server";
import { fitModel, RECENT_HALF_LIFE_DAYS } from "./model/fit";
import { neighboursOf } from "./model/item-graph";
import { BESTSELLER_POLICY, type ServingPolicy } from "./model/placements";
import { indexOrders, type OrderProducts, type PurchaseIndex } from "./model/purchase-index";
import { dayOf, recentBestsellersByDay } from "./model/recent-bestsellers";
import { trainRecommender } from "./model/training";
import { MS_PER_DAY, type ScoredProduct } from "./model/types";
import { indexViews, type ViewIndex } from "./model/view-history";
import { trainingSummaryOf, type TrainingSummary } from "./training-summary";
import { forgetServingModelHeader } from "./model-reader.server";

/** Length of the stored bestseller lists (fallbacks for every block). */
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

/** Orders read per query: a page of order rows stays a few megabytes whatever the shop's size. */
const ORDERS_PER_PAGE = 20_000;

/**
 * A shop's orders as the products they contain, with the semantics of `purchasesFromOrders`:
 * cancelled, test and deleted orders are not purchases, refunded units are subtracted (lines
 * refunded in full drop out) and gift cards are left out. Read a page of orders at a time, one
 * row per order with its products aggregated in SQL, so a million orders never become millions
 * of line objects at once.
 */
export async function loadShopOrders(
  sql: SqlQueryable,
  shopId: number,
  pageSize = ORDERS_PER_PAGE,
): Promise<OrderProducts[]> {
  const orders: OrderProducts[] = [];
  let after = "-1";
  for (;;) {
    const { rows } = await sql.query<{
      order_id: string;
      customer_id: string | null;
      at_ms: number;
      product_ids: string[];
    }>(
      `SELECT o.id::text AS order_id, o.customer_id::text AS customer_id,
              (extract(epoch FROM o.processed_at) * 1000)::float8 AS at_ms,
              array_agg(DISTINCT l.product_id::text) AS product_ids
       FROM "order" o
       JOIN order_line l ON l.shop_id = o.shop_id AND l.order_id = o.id
       WHERE o.shop_id = $1 AND o.id > $2::bigint
         AND o.cancelled_at IS NULL AND NOT o.test AND o.deleted_at IS NULL
         AND NOT l.gift_card AND l.product_id IS NOT NULL
         AND l.quantity - l.refunded_quantity > 0
       GROUP BY o.shop_id, o.id ORDER BY o.id LIMIT $3`,
      [shopId, after, pageSize],
    );
    for (const row of rows) {
      orders.push({
        orderId: row.order_id,
        customerId: row.customer_id,
        timeMs: row.at_ms,
        productIds: row.product_ids,
      });
    }
    const last = rows[rows.length - 1];
    if (!last || rows.length < pageSize) return orders;
    after = last.order_id;
  }
}

/** Trains the shop's recommender on its purchases and replaces the stored one atomically. */
export async function rebuildRecommendationModel(
  sql: SqlClient,
  shopId: number,
  now: Date = new Date(),
): Promise<RebuildResult> {
  const started = performance.now();
  const index = indexOrders(await loadShopOrders(sql, shopId));
  const views = await loadTrainingViews(sql, shopId, now);
  const { policy, summary } = chooseServingPolicy(index, views, shopId);
  // Decay relative to today, not the last order, so a shop that stopped selling ages honestly.
  const fitted = fitModel(index, now);
  const tomorrow = dayOf(now) + 1;
  const recent = recentBestsellersByDay(index, [tomorrow], RECENT_HALF_LIFE_DAYS).get(tomorrow);

  const rows = index.productIds.map((productId) => {
    const knn = neighboursOf(fitted.knn, productId);
    const ease = neighboursOf(fitted.ease, productId);
    const repurchase = fitted.repurchase.get(productId);
    return {
      p: productId,
      n: knn.map((edge) => edge.productId),
      s: knn.map((edge) => edge.score),
      en: ease.map((edge) => edge.productId),
      es: ease.map((edge) => edge.score),
      r: repurchase?.rate ?? 0,
      d: repurchase?.intervalDays ?? 365,
    };
  });
  const buildMs = Math.round(performance.now() - started);

  const write = async (tx: SqlQueryable) => {
    await tx.query(`DELETE FROM recommendation_set WHERE shop_id = $1`, [shopId]);
    for (let start = 0; start < rows.length; start += INSERT_CHUNK) {
      await tx.query(
        `INSERT INTO recommendation_set (shop_id, product_id, neighbour_ids, scores, ease_ids,
                                         ease_scores, repurchase_rate, repurchase_days)
         SELECT $1, x.p::bigint, x.n::bigint[], x.s, x.en::bigint[], x.es, x.r, x.d
         FROM jsonb_to_recordset($2::jsonb)
           AS x(p text, n text[], s float8[], en text[], es float8[], r float8, d float8)`,
        [shopId, JSON.stringify(rows.slice(start, start + INSERT_CHUNK))],
      );
    }
    await tx.query(
      `INSERT INTO recommendation_model (shop_id, popular, recent_popular, policy, training,
         orders_count, products_count, build_ms, built_at)
       VALUES ($1, $2::jsonb, $3::jsonb, $4::jsonb, $5::jsonb, $6, $7, $8,
               $9::timestamptz AT TIME ZONE 'UTC')
       ON CONFLICT (shop_id) DO UPDATE SET popular = EXCLUDED.popular,
         recent_popular = EXCLUDED.recent_popular, policy = EXCLUDED.policy,
         training = EXCLUDED.training, orders_count = EXCLUDED.orders_count,
         products_count = EXCLUDED.products_count, build_ms = EXCLUDED.build_ms,
         built_at = EXCLUDED.built_at`,
      [
        shopId,
        JSON.stringify(compact(fitted.popular.slice(0, STORED_FALLBACKS))),
        JSON.stringify(compact((recent ?? []).slice(0, STORED_FALLBACKS))),
        JSON.stringify(policy),
        JSON.stringify(summary),
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

/**
 * The policy the shop's own orders choose. A shop too small to hold out orders from, or whose
 * training fails, serves bestsellers: a wrong personal list is worse than a plain one.
 */
function chooseServingPolicy(
  index: PurchaseIndex,
  views: ViewIndex | null,
  shopId: number,
): { policy: ServingPolicy; summary: TrainingSummary | null } {
  if (index.orderIds.length < 2) return { policy: BESTSELLER_POLICY, summary: null };
  try {
    const result = trainRecommender(index, { views });
    return { policy: result.policy, summary: trainingSummaryOf(result) };
  } catch (error) {
    logger.error({ err: error, shopId }, "recommendation training failed; serving bestsellers");
    return { policy: BESTSELLER_POLICY, summary: null };
  }
}

/** The pixel keeps events this long; no view is older. */
const VIEW_RETENTION_DAYS = 90;
/** A customer's newest views kept for training: a heavy browser's thousands add nothing. */
const TRAINING_VIEWS_PER_CUSTOMER = 500;

/** Customers' views for training; null when the shop has none (no pixel, or no consent). */
async function loadTrainingViews(
  sql: SqlQueryable,
  shopId: number,
  now: Date,
): Promise<ViewIndex | null> {
  const views = await loadCustomerViews(sql, shopId, {
    since: new Date(now.getTime() - VIEW_RETENTION_DAYS * MS_PER_DAY),
    perCustomer: TRAINING_VIEWS_PER_CUSTOMER,
  });
  return views.length > 0 ? indexViews(views) : null;
}

const compact = (list: readonly ScoredProduct[]) =>
  list.map(({ productId, score }) => ({ productId, score }));

/**
 * Installed shops whose model is missing, older than `maxAgeHours`, or older than the shop's
 * last finished backfill (the history it learnt from was incomplete). A shop still backfilling
 * waits, like the metrics recompute, so its first model sees all of its history; until then
 * the model it has keeps serving.
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
            OR m.built_at < (now() AT TIME ZONE 'UTC') - make_interval(hours => $1)
            OR EXISTS (SELECT 1 FROM sync_job j WHERE j.shop_id = s.id AND j.kind = 'backfill'
                       AND j.status = 'done' AND j.finished_at > m.built_at))
     ORDER BY s.id`,
    [maxAgeHours],
  );
  return rows.map((row) => row.id);
}
