/**
 * Everything the analytics dashboard shows, read from the stored metrics (one pass over
 * customer_metrics, the stage-change index and the stored cohorts), never from the order table:
 * the loader stays fast at hundreds of thousands of customers.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { displayName } from "~/lib/display-name";
import type { Cohort } from "./cohorts.server";
import type { ModelChoice } from "./models/fit-or-fallback";

export interface Breakdown {
  key: string;
  customers: number;
  revenue: number;
}

export interface StageMove {
  month: string;
  from: string;
  to: string;
  customers: number;
}

export interface WinBackCandidate {
  customerId: string;
  name: string;
  lifecycleStage: string;
  netRevenue: number;
  probAlive: number;
  predictedClv: number;
  /** Past revenue weighted by the chance they are gone: what a win-back could recover. */
  revenueAtRisk: number;
  lastOrderAt: string | null;
}

export interface AnalyticsDashboard {
  computedAt: string | null;
  customers: number;
  buyers: number;
  repeatBuyers: number;
  repeatPurchaseRate: number | null;
  netRevenue: number;
  predictedRevenue90d: number;
  rfmSegments: Breakdown[];
  lifecycleStages: Breakdown[];
  stageMoves: StageMove[];
  model: { bgnbd: Pick<ModelChoice<unknown>, "basis" | "reason" | "detail"> } | null;
}

/**
 * The dashboard's lower half: the cohort tables and the customers most worth winning back. The
 * page receives it streamed, below its figures and charts, so its first paint waits for neither
 * these queries nor their tables' markup.
 */
export interface DashboardDetails {
  cohorts: Cohort[];
  winBack: WinBackCandidate[];
}

export const STAGE_MOVE_MONTHS = 6;

interface GroupRow {
  rfm_segment: string | null;
  lifecycle_stage: string | null;
  by_rfm: number;
  by_stage: number;
  customers: number;
  buyers: number;
  repeat_buyers: number;
  revenue: number;
  predicted_90d: number;
}

export async function getAnalyticsDashboard(
  sql: SqlQueryable,
  shopId: number,
): Promise<AnalyticsDashboard> {
  const [groups, moves, stored] = await Promise.all([
    sql.query<GroupRow>(
      `SELECT rfm_segment, lifecycle_stage, GROUPING(rfm_segment) AS by_rfm,
              GROUPING(lifecycle_stage) AS by_stage, count(*)::int AS customers,
              count(*) FILTER (WHERE orders_count >= 1)::int AS buyers,
              count(*) FILTER (WHERE orders_count >= 2)::int AS repeat_buyers,
              -- float8 sums: an order of magnitude cheaper than numeric over 200k rows, and the
              -- dashboard shows cents at most.
              coalesce(sum(net_revenue::float8), 0) AS revenue,
              coalesce(sum(expected_orders_90d * expected_order_value::float8), 0) AS predicted_90d
       FROM customer_metrics WHERE shop_id = $1
       GROUP BY GROUPING SETS ((rfm_segment), (lifecycle_stage), ())`,
      [shopId],
    ),
    sql.query<{ month: string; from_stage: string; to_stage: string; customers: number }>(
      `SELECT to_char(date_trunc('month', changed_at), 'YYYY-MM') AS month, from_stage, to_stage,
              count(*)::int AS customers
       FROM customer_stage_change
       WHERE shop_id = $1 AND from_stage IS NOT NULL
         AND changed_at >= date_trunc('month', now() AT TIME ZONE 'UTC') - make_interval(months => $2)
       GROUP BY 1, 2, 3 ORDER BY 1, 4 DESC`,
      [shopId, STAGE_MOVE_MONTHS - 1],
    ),
    sql.query<{ bgnbd: ModelChoice<unknown>; computed_at: string }>(
      `SELECT bgnbd,
              to_char(computed_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS computed_at
       FROM shop_analytics WHERE shop_id = $1`,
      [shopId],
    ),
  ]);

  const total = groups.rows.find((row) => row.by_rfm === 1 && row.by_stage === 1);
  const breakdown = (rows: GroupRow[], key: (row: GroupRow) => string | null) =>
    rows
      .map((row) => ({
        key: key(row) ?? "no_orders",
        customers: row.customers,
        revenue: row.revenue,
      }))
      .sort((a, b) => b.customers - a.customers);
  const analytics = stored.rows[0];
  const buyers = total?.buyers ?? 0;
  return {
    computedAt: analytics?.computed_at ?? null,
    customers: total?.customers ?? 0,
    buyers,
    repeatBuyers: total?.repeat_buyers ?? 0,
    repeatPurchaseRate: buyers > 0 ? (total?.repeat_buyers ?? 0) / buyers : null,
    netRevenue: total?.revenue ?? 0,
    predictedRevenue90d: total?.predicted_90d ?? 0,
    rfmSegments: breakdown(
      groups.rows.filter((row) => row.by_rfm === 0),
      (row) => row.rfm_segment,
    ),
    lifecycleStages: breakdown(
      groups.rows.filter((row) => row.by_stage === 0),
      (row) => row.lifecycle_stage,
    ),
    stageMoves: moves.rows.map((row) => ({
      month: row.month,
      from: row.from_stage,
      to: row.to_stage,
      customers: row.customers,
    })),
    model: analytics
      ? {
          bgnbd: {
            basis: analytics.bgnbd.basis,
            reason: analytics.bgnbd.reason,
            detail: analytics.bgnbd.detail,
          },
        }
      : null,
  };
}

/** The cohorts as last computed, and the ten customers with the most revenue at risk. */
export async function getDashboardDetails(
  sql: SqlQueryable,
  shopId: number,
): Promise<DashboardDetails> {
  const [winBack, stored] = await Promise.all([
    sql.query<{
      customer_id: string;
      first_name: string | null;
      last_name: string | null;
      email: string | null;
      lifecycle_stage: string;
      net_revenue: number;
      prob_alive: number;
      predicted_clv: number;
      revenue_at_risk: number;
      last_order_at: string | null;
    }>(
      `SELECT m.customer_id::text, c.first_name, c.last_name, c.email, m.lifecycle_stage,
              m.net_revenue::float8 AS net_revenue, m.prob_alive,
              coalesce(m.predicted_clv, 0)::float8 AS predicted_clv,
              (m.net_revenue * (1 - m.prob_alive))::float8 AS revenue_at_risk,
              to_char(m.last_order_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS last_order_at
       FROM customer_metrics m
       JOIN customer c ON c.shop_id = m.shop_id AND c.id = m.customer_id
       WHERE m.shop_id = $1 AND m.lifecycle_stage IN ('at_risk', 'lapsing')
         AND m.orders_count >= 2 AND m.prob_alive IS NOT NULL
       ORDER BY revenue_at_risk DESC, m.customer_id LIMIT 10`,
      [shopId],
    ),
    sql.query<{ cohorts: Cohort[] }>(`SELECT cohorts FROM shop_analytics WHERE shop_id = $1`, [
      shopId,
    ]),
  ]);
  return {
    cohorts: stored.rows[0]?.cohorts ?? [],
    winBack: winBack.rows.map((row) => ({
      customerId: row.customer_id,
      name:
        displayName(row.first_name, row.last_name) ?? (row.email || `Customer ${row.customer_id}`),
      lifecycleStage: row.lifecycle_stage,
      netRevenue: row.net_revenue,
      probAlive: row.prob_alive,
      predictedClv: row.predicted_clv,
      revenueAtRisk: row.revenue_at_risk,
      lastOrderAt: row.last_order_at,
    })),
  };
}
