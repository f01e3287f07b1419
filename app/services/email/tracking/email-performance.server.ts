/**
 * What customer emails achieved, for the admin: per flow, per step and variant, and per
 * win-back rule. `opened` and `clicked` count emails opened or clicked at least once;
 * `converted` counts emails credited with at least one order (the A/B tests' conversions).
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import type { Variant } from "./ab-test";
import {
  totalPerformance,
  type EmailPerformance,
  type StepVariantPerformance,
} from "./email-performance";

interface PerformanceRow {
  flow_id: string | null;
  step_index: number | null;
  variant: Variant;
  sent: number;
  opened: number;
  clicked: number;
  converted: number;
  orders: number;
  revenue: string;
}

async function performanceRows(
  sql: SqlQueryable,
  shopId: number,
  filter: { flowId?: bigint; ruleId?: bigint },
): Promise<PerformanceRow[]> {
  const { rows } = await sql.query<PerformanceRow>(
    `SELECT m.flow_id::text, m.step_index, m.variant,
            count(*)::int AS sent,
            count(*) FILTER (WHERE m.opens > 0)::int AS opened,
            count(*) FILTER (WHERE m.clicks > 0)::int AS clicked,
            count(a.message_id)::int AS converted,
            coalesce(sum(a.orders), 0)::int AS orders,
            coalesce(sum(a.revenue), 0)::text AS revenue
     FROM email_message m
     LEFT JOIN (SELECT message_id, count(*) AS orders, sum(revenue) AS revenue
                FROM email_attribution WHERE shop_id = $1 GROUP BY message_id) a
       ON a.message_id = m.id
     WHERE m.shop_id = $1 AND m.status = 'sent'
       AND ($2::bigint IS NULL OR m.flow_id = $2) AND ($3::bigint IS NULL OR m.rule_id = $3)
       AND ($2::bigint IS NOT NULL OR $3::bigint IS NOT NULL OR m.flow_id IS NOT NULL)
     GROUP BY m.flow_id, m.step_index, m.variant
     ORDER BY m.flow_id, m.step_index, m.variant`,
    [shopId, filter.flowId?.toString() ?? null, filter.ruleId?.toString() ?? null],
  );
  return rows;
}

const performanceOf = (row: PerformanceRow): EmailPerformance => ({
  sent: row.sent,
  opened: row.opened,
  clicked: row.clicked,
  converted: row.converted,
  orders: row.orders,
  revenue: Number(row.revenue),
});

/** Every flow's email steps, per step and variant (all flows, or the one named). */
export async function flowStepPerformance(
  sql: SqlQueryable,
  shopId: number,
  flowId?: bigint,
): Promise<StepVariantPerformance[]> {
  const rows = await performanceRows(sql, shopId, { flowId });
  return rows.map((row) => ({
    ...performanceOf(row),
    flowId: row.flow_id ?? "",
    stepIndex: row.step_index ?? 0,
    variant: row.variant,
  }));
}

export async function rulePerformance(
  sql: SqlQueryable,
  shopId: number,
  ruleId: bigint,
): Promise<EmailPerformance> {
  return totalPerformance((await performanceRows(sql, shopId, { ruleId })).map(performanceOf));
}
