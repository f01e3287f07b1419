/**
 * What a rule achieved. An order is attributed to a targeted customer when it uses their code
 * (any time), or comes within the rule's attribution window after they were chosen. The holdout
 * is measured the same way (window only: they have no code), so the difference between the two
 * groups' conversion is what the rule changed; both groups are counted from the moment they
 * were chosen (intention to treat), whether or not every action reached the customer.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { conversionLift, type Lift } from "./lift-stats";

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

/** Per target: whether and how much they bought in the window (or with their code). */
const PER_TARGET = `
  WITH targets AS (
    SELECT t.id, t.holdout, t.discount_code, t.created_at,
           EXISTS (SELECT 1 FROM winback_action a
                   WHERE a.target_id = t.id AND a.status = 'done') AS reached
    FROM winback_target t WHERE t.shop_id = $1 AND t.rule_id = $2),
  attributed AS (
    SELECT t.id AS target_id, o.id AS order_id, o.total_price - o.total_refunded AS revenue,
           (t.discount_code IS NOT NULL
            AND EXISTS (SELECT 1 FROM unnest(o.discount_codes) d
                        WHERE upper(d) = upper(t.discount_code))) AS used_code
    FROM targets t
    JOIN "order" o ON o.shop_id = $1 AND o.customer_id = (
           SELECT customer_id FROM winback_target WHERE id = t.id)
     AND o.processed_at >= t.created_at AND o.cancelled_at IS NULL AND NOT o.test
     AND o.deleted_at IS NULL),
  per_target AS (
    SELECT t.id, t.holdout, t.reached, t.created_at,
           count(a.order_id)::int AS orders,
           coalesce(sum(a.revenue), 0) AS revenue,
           count(a.order_id) FILTER (WHERE a.used_code)::int AS code_orders
    FROM targets t
    LEFT JOIN attributed a ON a.target_id = t.id
     AND (a.used_code OR (SELECT o.processed_at FROM "order" o
                          WHERE o.shop_id = $1 AND o.id = a.order_id)
                         < t.created_at + make_interval(days => $3))
    GROUP BY t.id, t.holdout, t.reached, t.created_at)`;

export async function ruleReport(
  sql: SqlQueryable,
  shopId: number,
  ruleId: bigint,
  attributionDays: number,
): Promise<RuleReport> {
  const params = [shopId, ruleId.toString(), attributionDays];
  const [groups, months] = await Promise.all([
    sql.query<{
      holdout: boolean;
      customers: number;
      reached: number;
      converted: number;
      orders: number;
      revenue: string;
      code_orders: number;
    }>(
      `${PER_TARGET}
       SELECT holdout, count(*)::int AS customers, count(*) FILTER (WHERE reached)::int AS reached,
              count(*) FILTER (WHERE orders > 0)::int AS converted,
              coalesce(sum(orders), 0)::int AS orders, sum(revenue)::text AS revenue,
              coalesce(sum(code_orders), 0)::int AS code_orders
       FROM per_target GROUP BY holdout`,
      params,
    ),
    sql.query<{ month: string; treated_rate: number | null; holdout_rate: number | null }>(
      `${PER_TARGET}
       SELECT to_char(created_at, 'YYYY-MM') AS month,
              (avg((orders > 0)::int) FILTER (WHERE NOT holdout))::float8 AS treated_rate,
              (avg((orders > 0)::int) FILTER (WHERE holdout))::float8 AS holdout_rate
       FROM per_target GROUP BY 1 ORDER BY 1`,
      params,
    ),
  ]);
  const figures = (holdout: boolean): GroupFigures => {
    const row = groups.rows.find((candidate) => candidate.holdout === holdout);
    if (!row) return { ...EMPTY };
    return {
      customers: row.customers,
      reached: holdout ? 0 : row.reached,
      converted: row.converted,
      orders: row.orders,
      revenue: Number(row.revenue),
      codeOrders: row.code_orders,
    };
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
    byMonth: months.rows.map((row) => ({
      month: row.month,
      treatedRate: row.treated_rate ?? 0,
      holdoutRate: row.holdout_rate ?? 0,
    })),
  };
}
