/**
 * Monthly acquisition cohorts: customers grouped by the month of their first purchase (in the
 * shop's time zone), and for each later month how many of them bought and what they spent.
 * Computed by the full recompute and stored, so the dashboard never scans the order table.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { purchaseCondition } from "./customer-history.server";

export interface CohortMonth {
  /** Months since the cohort month (0 = the month they first bought). */
  offset: number;
  customers: number;
  revenue: number;
}

export interface Cohort {
  /** YYYY-MM */
  month: string;
  size: number;
  months: CohortMonth[];
}

export const COHORT_MONTHS = 12;

export async function computeCohorts(
  sql: SqlQueryable,
  scope: { shopId: number; timeZone: string; asOf: Date },
): Promise<Cohort[]> {
  const { rows } = await sql.query<{
    cohort: string;
    month_offset: number;
    customers: number;
    revenue: number;
  }>(
    `WITH purchase AS (
       SELECT o.customer_id, o.total_price - o.total_refunded AS net,
              date_trunc('month', (o.processed_at AT TIME ZONE 'UTC') AT TIME ZONE $2)::date AS month
       FROM "order" o
       JOIN customer c ON c.shop_id = o.shop_id AND c.id = o.customer_id AND c.deleted_at IS NULL
       WHERE o.shop_id = $1 AND ${purchaseCondition("$3")}
     ),
     cohort AS (SELECT customer_id, min(month) AS cohort FROM purchase GROUP BY customer_id)
     SELECT to_char(k.cohort, 'YYYY-MM') AS cohort,
            ((extract(year FROM p.month) - extract(year FROM k.cohort)) * 12
              + extract(month FROM p.month) - extract(month FROM k.cohort))::int AS month_offset,
            count(DISTINCT p.customer_id)::int AS customers, sum(p.net)::float8 AS revenue
     FROM purchase p JOIN cohort k ON k.customer_id = p.customer_id
     WHERE k.cohort > date_trunc('month', ($3::timestamptz AT TIME ZONE $2))::date
                      - make_interval(months => $4)
     GROUP BY 1, 2 ORDER BY 1, 2`,
    [scope.shopId, scope.timeZone, scope.asOf.toISOString(), COHORT_MONTHS],
  );
  const cohorts = new Map<string, Cohort>();
  for (const row of rows) {
    const cohort = cohorts.get(row.cohort) ?? { month: row.cohort, size: 0, months: [] };
    if (row.month_offset === 0) cohort.size = row.customers;
    cohort.months.push({
      offset: row.month_offset,
      customers: row.customers,
      revenue: row.revenue,
    });
    cohorts.set(row.cohort, cohort);
  }
  return [...cohorts.values()];
}
