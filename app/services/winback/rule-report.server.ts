/**
 * What a rule achieved. An order is attributed to a targeted customer when it uses their code
 * (any time), or comes within the rule's attribution window after they were chosen. The holdout
 * is measured the same way (window only: they have no code), so the difference between the two
 * groups' conversion is what the rule changed; both groups are counted from the moment they
 * were chosen (intention to treat), whether or not every action reached the customer.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { conversionLift, type Lift } from "~/lib/stats/conversion-lift";

export interface GroupFigures {
  customers: number;
  /** Customers at least one action was carried out for (treated group only). */
  reached: number;
  converted: number;
  orders: number;
  revenue: number;
  /** Orders that used the customer's code. */
  codeOrders: number;
}

export interface RuleReport {
  treated: GroupFigures;
  holdout: GroupFigures;
  lift: Lift | null;
  /** Revenue per treated customer above the holdout's, times the treated customers. */
  incrementalRevenue: number | null;
  byMonth: Array<{ month: string; treatedRate: number; holdoutRate: number }>;
}

const EMPTY: GroupFigures = {
  customers: 0,
  reached: 0,
  converted: 0,
  orders: 0,
  revenue: 0,
  codeOrders: 0,
};

/**
 * Per month the customers were chosen in, and per group: how many bought in the window (or with
 * their code), their orders and revenue. One pass; the report's totals are these rows summed.
 */
const BY_MONTH_AND_GROUP = `
  WITH targets AS (
    SELECT t.id, t.customer_id, t.holdout, t.discount_code, t.created_at,
           EXISTS (SELECT 1 FROM winback_action a
                   WHERE a.shop_id = t.shop_id AND a.target_id = t.id
                     AND a.status = 'done') AS reached
    FROM winback_target t WHERE t.shop_id = $1 AND t.rule_id = $2),
  attributed AS (
    SELECT t.id AS target_id, o.total_price - o.total_refunded AS revenue,
           (t.discount_code IS NOT NULL
            AND EXISTS (SELECT 1 FROM unnest(o.discount_codes) d
                        WHERE upper(d) = upper(t.discount_code))) AS used_code,
           o.processed_at < t.created_at + make_interval(days => $3) AS in_window
    FROM targets t
    JOIN "order" o ON o.shop_id = $1 AND o.customer_id = t.customer_id
     AND o.processed_at >= t.created_at AND o.cancelled_at IS NULL AND NOT o.test
     AND o.deleted_at IS NULL),
  per_target AS (
    SELECT t.id, t.holdout, t.reached, t.created_at,
           count(a.target_id)::int AS orders,
           coalesce(sum(a.revenue), 0) AS revenue,
           count(a.target_id) FILTER (WHERE a.used_code)::int AS code_orders
    FROM targets t
    LEFT JOIN attributed a ON a.target_id = t.id AND (a.used_code OR a.in_window)
    GROUP BY t.id, t.holdout, t.reached, t.created_at)
  SELECT to_char(created_at, 'YYYY-MM') AS month, holdout, count(*)::int AS customers,
         count(*) FILTER (WHERE reached)::int AS reached,
         count(*) FILTER (WHERE orders > 0)::int AS converted,
         coalesce(sum(orders), 0)::int AS orders, sum(revenue)::text AS revenue,
         coalesce(sum(code_orders), 0)::int AS code_orders
  FROM per_target GROUP BY 1, 2 ORDER BY 1, 2`;

export async function ruleReport(
  sql: SqlQueryable,
  shopId: number,
  ruleId: bigint,
  attributionDays: number,
): Promise<RuleReport> {
  const { rows } = await sql.query<{
    month: string;
    holdout: boolean;
    customers: number;
    reached: number;
    converted: number;
    orders: number;
    revenue: string;
    code_orders: number;
  }>(BY_MONTH_AND_GROUP, [shopId, ruleId.toString(), attributionDays]);
  const figures = (holdout: boolean): GroupFigures => {
    const group = { ...EMPTY };
    for (const row of rows.filter((candidate) => candidate.holdout === holdout)) {
      group.customers += row.customers;
      group.reached += holdout ? 0 : row.reached;
      group.converted += row.converted;
      group.orders += row.orders;
      group.revenue += Number(row.revenue);
      group.codeOrders += row.code_orders;
    }
    return group;
  };
  const rate = (month: string, holdout: boolean) => {
    const row = rows.find(
      (candidate) => candidate.month === month && candidate.holdout === holdout,
    );
    return row && row.customers > 0 ? row.converted / row.customers : 0;
  };
  const treated = figures(false);
  const holdout = figures(true);
  const lift = conversionLift(
    { converted: treated.converted, total: treated.customers },
    { converted: holdout.converted, total: holdout.customers },
  );
  return {
    treated,
    holdout,
    lift,
    incrementalRevenue:
      treated.customers > 0 && holdout.customers > 0
        ? (treated.revenue / treated.customers - holdout.revenue / holdout.customers) *
          treated.customers
        : null,
    byMonth: [...new Set(rows.map((row) => row.month))].map((month) => ({
      month,
      treatedRate: rate(month, false),
      holdoutRate: rate(month, true),
    })),
  };
}
