/**
 * Reads customers' purchase aggregates straight from the order tables, set-based, so a shop-wide
 * recompute never pulls individual orders into the process. The definitions match
 * models/customer-summary.ts (a test compares the two on generated data):
 *   - a purchase is an order that is not cancelled, not deleted, not a test order, processed by
 *     `asOf`, with a positive total net of refunds (zero-value orders are not purchases);
 *   - purchase days are calendar days in the shop's time zone; same-day orders merge into one.
 * Guest orders (no customer) never join a customer.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import type { PurchaseAggregates } from "./models/customer-summary";
import type { LifecycleStage } from "./models/lifecycle";

/**
 * The purchase definition as a WHERE fragment over `"order" o`; `asOfParam` is the placeholder
 * of the as-of instant (an ISO string).
 */
export function purchaseCondition(asOfParam: string): string {
  return `o.customer_id IS NOT NULL AND o.cancelled_at IS NULL AND o.deleted_at IS NULL
    AND NOT o.test AND o.processed_at <= (${asOfParam}::timestamptz AT TIME ZONE 'UTC')
    AND o.total_price - o.total_refunded > 0`;
}

export interface CustomerHistoryRow {
  customerId: bigint;
  aggregates: PurchaseAggregates | null;
  previousStage: LifecycleStage | null;
}

export interface HistorySqlRow {
  customer_id: string;
  orders_count: number | null;
  net_revenue: string | null;
  first_order_at: string | null;
  last_order_at: string | null;
  purchase_days: number | null;
  first_day: number | null;
  last_day: number | null;
  previous_day: number | null;
  repeat_value: string | null;
  previous_stage: LifecycleStage | null;
}

/**
 * Per-customer purchase aggregates over the orders of the shop `shop` (`$1` unless given), as of
 * the instant `asOf` with
 * purchase days in the zone `timeZone` (SQL expressions, usually placeholders), for the customers
 * the set expression `customerIds` names (such as `ANY($4::bigint[])`) or, without it, for all.
 * One pass over the orders: they are grouped by customer and purchase day (partial aggregates
 * that parallel workers can share), and each day knows the one before it (lag), so the
 * second-latest day and the value after the first day need no per-customer sort.
 */
export function purchaseSummarySql(params: {
  shop?: string;
  timeZone: string;
  asOf: string;
  customerIds?: string;
}): string {
  const { shop = "$1", timeZone, asOf, customerIds } = params;
  const orderFilter = customerIds ? `AND o.customer_id = ${customerIds}` : "";
  return `
    SELECT customer_id, sum(orders)::int AS orders_count, sum(value) AS net_revenue,
           min(first_at) AS first_order_at, max(last_at) AS last_order_at,
           count(*)::int AS purchase_days, min(day) AS first_day, max(day) AS last_day,
           max(previous_day) AS previous_day,
           coalesce(sum(value) FILTER (WHERE previous_day IS NOT NULL), 0) AS repeat_value
    FROM (
      SELECT *, lag(day) OVER (PARTITION BY customer_id ORDER BY day) AS previous_day
      FROM (
        SELECT o.customer_id,
               ((o.processed_at AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})::date
                 - DATE '1970-01-01' AS day,
               count(*) AS orders, sum(o.total_price - o.total_refunded) AS value,
               min(o.processed_at) AS first_at, max(o.processed_at) AS last_at
        FROM "order" o
        WHERE o.shop_id = ${shop} ${orderFilter} AND ${purchaseCondition(asOf)}
        GROUP BY 1, 2
      ) per_day
    ) days
    GROUP BY customer_id`;
}

/** The columns of a history row, over `customer c`, its `summary s` and `customer_metrics m`. */
export const HISTORY_COLUMNS = `c.id::text AS customer_id, s.orders_count,
           s.net_revenue::text AS net_revenue,
           to_char(s.first_order_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS first_order_at,
           to_char(s.last_order_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS last_order_at,
           s.purchase_days, s.first_day, s.last_day, s.previous_day,
           s.repeat_value::text AS repeat_value, m.lifecycle_stage AS previous_stage`;

/** Every live customer: `$1` shop, `$2` time zone, `$3` as-of instant. */
const SHOP_HISTORY_SQL = `
    SELECT ${HISTORY_COLUMNS}
    FROM customer c
    LEFT JOIN (${purchaseSummarySql({ timeZone: "$2", asOf: "$3" })}) s ON s.customer_id = c.id
    LEFT JOIN customer_metrics m ON m.shop_id = c.shop_id AND m.customer_id = c.id
    WHERE c.shop_id = $1 AND c.deleted_at IS NULL`;

export function toHistoryRow(row: HistorySqlRow): CustomerHistoryRow {
  const hasPurchases =
    row.orders_count !== null &&
    row.first_order_at !== null &&
    row.last_order_at !== null &&
    row.first_day !== null &&
    row.last_day !== null &&
    row.purchase_days !== null;
  return {
    customerId: BigInt(row.customer_id),
    previousStage: row.previous_stage,
    aggregates: hasPurchases
      ? {
          ordersCount: row.orders_count ?? 0,
          netRevenue: Number(row.net_revenue),
          firstOrderAt: new Date(row.first_order_at ?? 0),
          lastOrderAt: new Date(row.last_order_at ?? 0),
          firstDay: row.first_day ?? 0,
          lastDay: row.last_day ?? 0,
          previousDay: row.previous_day,
          purchaseDays: row.purchase_days ?? 0,
          repeatValue: Number(row.repeat_value ?? 0),
        }
      : null,
  };
}

export interface HistoryScope {
  shopId: number;
  timeZone: string;
  asOf: Date;
}

/** Every live customer of the shop. */
export async function loadShopHistories(
  sql: SqlQueryable,
  scope: HistoryScope,
): Promise<CustomerHistoryRow[]> {
  const { rows } = await sql.query<HistorySqlRow>(SHOP_HISTORY_SQL, [
    scope.shopId,
    scope.timeZone,
    scope.asOf.toISOString(),
  ]);
  return rows.map(toHistoryRow);
}

/**
 * A customer's most bought products (units net of refunds, latest purchase breaking ties) over
 * the same purchases; gift cards are not a favourite.
 */
export async function loadFavouriteProducts(
  sql: SqlQueryable,
  scope: HistoryScope,
  customerId: bigint,
  limit = 3,
): Promise<Array<{ productId: bigint; title: string; units: number }>> {
  const { rows } = await sql.query<{ product_id: string; title: string; units: number }>(
    `SELECT l.product_id::text, coalesce(max(p.title), max(l.title)) AS title,
            sum(l.quantity - l.refunded_quantity)::int AS units
     FROM "order" o
     JOIN order_line l ON l.shop_id = o.shop_id AND l.order_id = o.id
     LEFT JOIN product p ON p.shop_id = l.shop_id AND p.id = l.product_id
     WHERE o.shop_id = $1 AND o.customer_id = $3 AND ${purchaseCondition("$2")}
       AND l.product_id IS NOT NULL AND NOT l.gift_card
     GROUP BY l.product_id
     HAVING sum(l.quantity - l.refunded_quantity) > 0
     ORDER BY units DESC, max(o.processed_at) DESC, l.product_id
     LIMIT $4`,
    [scope.shopId, scope.asOf.toISOString(), customerId.toString(), limit],
  );
  return rows.map((row) => ({
    productId: BigInt(row.product_id),
    title: row.title,
    units: row.units,
  }));
}
