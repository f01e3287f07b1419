/**
 * The admin's recommendations report, per placement and method (Rekindle's picks, bestsellers,
 * buy-again): impressions, clicks, add-to-carts, and the orders they led to. An order line is
 * credited once, to the latest click or add-to-cart on its product by the same signed-in shopper
 * within the merchant's attribution window — never once per block that showed it. Only signed-in
 * shoppers can be attributed: an anonymous click carries no customer to follow to an order.
 *
 * For placements that run a test against bestsellers, the same figures per arm and per visitor:
 * add-to-cart conversion (Newcombe interval of the difference) and attributed revenue per visitor
 * (normal interval of the difference of means).
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { conversionLift, type Lift } from "~/lib/stats/conversion-lift";

export interface ReportWindow {
  /** Events of the last `days` days. */
  days: number;
  attributionDays: number;
}

export interface RecommendationReportRow {
  placement: string;
  method: string;
  impressions: number;
  clicks: number;
  addToCarts: number;
  ctr: number | null;
  attributedOrders: number;
  attributedRevenue: number;
}

/**
 * Order lines of signed-in shoppers credited to the latest click or add-to-cart on the same
 * product within the window before the order: one row per line ($1 shop, $2 days, $3 window).
 */
const CREDITED_LINES = `
  events AS (
    SELECT request_id, type, product_id, customer_id, created_at, visitor,
           coalesce(placement, 'unrecorded') AS placement, coalesce(method, 'unrecorded') AS method,
           arm
    FROM recommendation_event
    WHERE shop_id = $1 AND block IN ('recommendations', 'frequently_bought_together')
      AND created_at >= (now() AT TIME ZONE 'UTC') - make_interval(days => $2)
  ),
  credited AS (
    SELECT DISTINCT ON (l.id) l.id AS line_id, o.id AS order_id, e.placement, e.method, e.arm,
           e.visitor,
           ((l.quantity - l.refunded_quantity) * l.price - l.total_discount)::float8 AS revenue
    FROM events e
    JOIN "order" o ON o.shop_id = $1 AND o.customer_id = e.customer_id
     AND o.processed_at >= e.created_at
     AND o.processed_at < e.created_at + make_interval(days => $3)
     AND o.cancelled_at IS NULL AND o.deleted_at IS NULL AND NOT o.test
    JOIN order_line l ON l.shop_id = o.shop_id AND l.order_id = o.id
     AND l.product_id::text = e.product_id AND l.quantity > l.refunded_quantity
    WHERE e.type IN ('click', 'add_to_cart') AND e.customer_id IS NOT NULL
    ORDER BY l.id, e.created_at DESC
  )`;

export async function recommendationReport(
  sql: SqlQueryable,
  shopId: number,
  window: ReportWindow,
): Promise<RecommendationReportRow[]> {
  const { rows } = await sql.query<{
    placement: string;
    method: string;
    impressions: number;
    clicks: number;
    add_to_carts: number;
    orders: number;
    revenue: number;
  }>(
    `WITH ${CREDITED_LINES},
     counts AS (
       SELECT placement, method,
              count(*) FILTER (WHERE type = 'impression')::int AS impressions,
              count(*) FILTER (WHERE type = 'click')::int AS clicks,
              count(*) FILTER (WHERE type = 'add_to_cart')::int AS add_to_carts
       FROM events GROUP BY placement, method
     ),
     revenue AS (
       SELECT placement, method, count(DISTINCT order_id)::int AS orders,
              sum(revenue)::float8 AS revenue
       FROM credited GROUP BY placement, method
     )
     SELECT c.placement, c.method, c.impressions, c.clicks, c.add_to_carts,
            coalesce(r.orders, 0) AS orders, coalesce(r.revenue, 0) AS revenue
     FROM counts c LEFT JOIN revenue r ON r.placement = c.placement AND r.method = c.method
     ORDER BY c.impressions DESC, c.placement, c.method`,
    [shopId, window.days, window.attributionDays],
  );
  return rows.map((row) => ({
    placement: row.placement,
    method: row.method,
    impressions: row.impressions,
    clicks: row.clicks,
    addToCarts: row.add_to_carts,
    ctr: row.impressions > 0 ? row.clicks / row.impressions : null,
    attributedOrders: row.orders,
    attributedRevenue: row.revenue,
  }));
}

export interface ArmFigures {
  visitors: number;
  /** Visitors who added a recommended product to their cart. */
  converted: number;
  revenue: number;
  revenuePerVisitor: number;
}

export interface ExperimentResult {
  placement: string;
  ours: ArmFigures;
  bestsellers: ArmFigures;
  /** Add-to-cart conversion, ours against bestsellers; null until both arms have visitors. */
  conversion: Lift | null;
  /** Revenue per visitor, ours minus bestsellers, with a 95% interval. */
  revenuePerVisitor: { difference: number; low: number; high: number } | null;
}

export async function experimentReport(
  sql: SqlQueryable,
  shopId: number,
  window: ReportWindow,
): Promise<ExperimentResult[]> {
  const { rows } = await sql.query<{
    placement: string;
    arm: "ours" | "bestsellers";
    visitors: number;
    converted: number;
    revenue: number;
    revenue_squares: number;
  }>(
    `WITH ${CREDITED_LINES},
     visitors AS (
       SELECT placement, arm, visitor, bool_or(type = 'add_to_cart') AS converted
       FROM events WHERE arm IS NOT NULL AND visitor IS NOT NULL
       GROUP BY placement, arm, visitor
     ),
     spent AS (
       SELECT placement, arm, visitor, sum(revenue) AS revenue
       FROM credited WHERE arm IS NOT NULL AND visitor IS NOT NULL
       GROUP BY placement, arm, visitor
     )
     SELECT v.placement, v.arm, count(*)::int AS visitors,
            count(*) FILTER (WHERE v.converted)::int AS converted,
            coalesce(sum(s.revenue), 0)::float8 AS revenue,
            coalesce(sum(s.revenue * s.revenue), 0)::float8 AS revenue_squares
     FROM visitors v
     LEFT JOIN spent s ON s.placement = v.placement AND s.arm = v.arm AND s.visitor = v.visitor
     GROUP BY v.placement, v.arm ORDER BY v.placement`,
    [shopId, window.days, window.attributionDays],
  );
  const placements = [...new Set(rows.map((row) => row.placement))];
  return placements.map((placement) => {
    const arm = (name: "ours" | "bestsellers") =>
      rows.find((row) => row.placement === placement && row.arm === name);
    const ours = arm("ours");
    const bestsellers = arm("bestsellers");
    return {
      placement,
      ours: figuresOf(ours),
      bestsellers: figuresOf(bestsellers),
      conversion: conversionLift(
        { converted: ours?.converted ?? 0, total: ours?.visitors ?? 0 },
        { converted: bestsellers?.converted ?? 0, total: bestsellers?.visitors ?? 0 },
      ),
      revenuePerVisitor: meanDifference(ours, bestsellers),
    };
  });
}

interface ArmRow {
  visitors: number;
  converted: number;
  revenue: number;
  revenue_squares: number;
}

function figuresOf(row: ArmRow | undefined): ArmFigures {
  const visitors = row?.visitors ?? 0;
  const revenue = row?.revenue ?? 0;
  return {
    visitors,
    converted: row?.converted ?? 0,
    revenue,
    revenuePerVisitor: visitors > 0 ? revenue / visitors : 0,
  };
}

/** Difference of mean revenue per visitor with a normal (Welch) 95% interval. */
function meanDifference(
  a: ArmRow | undefined,
  b: ArmRow | undefined,
): ExperimentResult["revenuePerVisitor"] {
  if (!a || !b || a.visitors < 2 || b.visitors < 2) return null;
  const moments = (row: ArmRow) => {
    const mean = row.revenue / row.visitors;
    const variance = Math.max(
      0,
      (row.revenue_squares - row.visitors * mean * mean) / (row.visitors - 1),
    );
    return { mean, standardError2: variance / row.visitors };
  };
  const x = moments(a);
  const y = moments(b);
  const difference = x.mean - y.mean;
  const half = 1.959964 * Math.sqrt(x.standardError2 + y.standardError2);
  return { difference, low: difference - half, high: difference + half };
}
