/**
 * The admin's recommendations report: per storefront context (product, cart, collection, home),
 * impressions, clicks and click-through rate, and the revenue of clicked products the same
 * signed-in shopper then bought within ATTRIBUTION_DAYS. Only logged-in shoppers can be
 * attributed: an anonymous click carries no customer to follow to an order.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";

export const ATTRIBUTION_DAYS = 7;

export interface RecommendationReportRow {
  context: string;
  impressions: number;
  clicks: number;
  ctr: number | null;
  attributedOrders: number;
  attributedRevenue: number;
}

export async function recommendationReport(
  sql: SqlQueryable,
  shopId: number,
  days = 30,
): Promise<RecommendationReportRow[]> {
  const { rows } = await sql.query<{
    context: string;
    impressions: number;
    clicks: number;
    orders: number;
    revenue: number;
  }>(
    `WITH ev AS (
       SELECT coalesce(context, 'other') AS context, type, product_id, customer_id, created_at
       FROM recommendation_event
       WHERE shop_id = $1 AND block = 'recommendations'
         AND created_at >= (now() AT TIME ZONE 'UTC') - make_interval(days => $2)
     ),
     counts AS (
       SELECT context, count(*) FILTER (WHERE type = 'impression')::int AS impressions,
              count(*) FILTER (WHERE type = 'click')::int AS clicks
       FROM ev GROUP BY context
     ),
     -- Each order line counts once per context, however many clicks led to it.
     attributed AS (
       SELECT DISTINCT e.context, o.id AS order_id, l.id AS line_id,
              (l.quantity - l.refunded_quantity) * l.price - l.total_discount AS revenue
       FROM ev e
       JOIN "order" o ON o.shop_id = $1 AND o.customer_id = e.customer_id
        AND o.processed_at >= e.created_at
        AND o.processed_at < e.created_at + make_interval(days => $3)
        AND o.cancelled_at IS NULL AND o.deleted_at IS NULL AND NOT o.test
       JOIN order_line l ON l.shop_id = o.shop_id AND l.order_id = o.id
        AND l.product_id::text = e.product_id
       WHERE e.type = 'click' AND e.customer_id IS NOT NULL
     ),
     revenue AS (
       SELECT context, count(DISTINCT order_id)::int AS orders, sum(revenue)::float8 AS revenue
       FROM attributed GROUP BY context
     )
     SELECT c.context, c.impressions, c.clicks, coalesce(r.orders, 0) AS orders,
            coalesce(r.revenue, 0) AS revenue
     FROM counts c LEFT JOIN revenue r ON r.context = c.context
     ORDER BY c.impressions DESC, c.context`,
    [shopId, days, ATTRIBUTION_DAYS],
  );
  return rows.map((row) => ({
    context: row.context,
    impressions: row.impressions,
    clicks: row.clicks,
    ctr: row.impressions > 0 ? row.clicks / row.impressions : null,
    attributedOrders: row.orders,
    attributedRevenue: row.revenue,
  }));
}
