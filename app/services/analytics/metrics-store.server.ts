/**
 * Writes scored customers to customer_metrics and their stage transitions to
 * customer_stage_change, set-based (one statement per few thousand customers).
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import type { LifecycleStage } from "./models/lifecycle";
import type { CustomerScore } from "./score-customer";

export interface ScoredRow {
  customerId: bigint;
  previousStage: LifecycleStage | null;
  score: CustomerScore;
}

const WRITE_BATCH = 5_000;

const COLUMNS = [
  ["customer_id", "bigint"],
  ["orders_count", "int"],
  ["net_revenue", "numeric"],
  ["aov", "numeric"],
  ["first_order_at", "timestamptz"],
  ["last_order_at", "timestamptz"],
  ["days_since_last_order", "int"],
  ["avg_days_between_orders", "float8"],
  ["r_score", "int"],
  ["f_score", "int"],
  ["m_score", "int"],
  ["rfm_segment", "text"],
  ["lifecycle_stage", "text"],
  ["prob_alive", "float8"],
  ["expected_orders_30d", "float8"],
  ["expected_orders_90d", "float8"],
  ["expected_orders_365d", "float8"],
  ["expected_order_value", "numeric"],
  ["predicted_clv", "numeric"],
  ["predicted_next_order_at", "timestamptz"],
] as const;

const money = (value: number | null) => (value === null ? null : value.toFixed(4));
const instant = (value: Date | null) => value?.toISOString() ?? null;

function columnValues(row: ScoredRow): unknown[] {
  const { metrics, rfm, outlook } = row.score;
  return [
    row.customerId.toString(),
    metrics.ordersCount,
    money(metrics.netRevenue),
    money(metrics.aov),
    instant(metrics.firstOrderAt),
    instant(metrics.lastOrderAt),
    metrics.daysSinceLastOrder,
    metrics.avgDaysBetweenOrders,
    rfm?.r ?? null,
    rfm?.f ?? null,
    rfm?.m ?? null,
    rfm?.segment ?? null,
    row.score.lifecycleStage,
    outlook?.probAlive ?? null,
    outlook?.expectedOrders30d ?? null,
    outlook?.expectedOrders90d ?? null,
    outlook?.expectedOrders365d ?? null,
    money(row.score.expectedOrderValue),
    money(row.score.predictedClv),
    instant(row.score.predictedNextOrderAt),
  ];
}

const columnNames = COLUMNS.map(([name]) => name);
/** Timestamps travel as ISO strings with a zone; the columns hold UTC without one. */
const selectList = COLUMNS.map(([name, type]) =>
  type === "timestamptz" ? `(x.${name} AT TIME ZONE 'UTC')` : `x.${name}`,
);
// One JSON document per batch: far cheaper for the driver to send than 21 parameter arrays.
const INSERT = `
  INSERT INTO customer_metrics (shop_id, ${columnNames.join(", ")}, computed_at)
  SELECT $1, ${selectList.join(", ")}, ($2::timestamptz AT TIME ZONE 'UTC')
  FROM json_to_recordset($3::json)
    AS x(${COLUMNS.map(([name, type]) => `${name} ${type}`).join(", ")})`;
const UPSERT = `${INSERT}
  ON CONFLICT (shop_id, customer_id) DO UPDATE SET
    ${[...columnNames.slice(1), "computed_at"].map((name) => `${name} = EXCLUDED.${name}`).join(", ")}`;

/**
 * `upsert` rescores some customers; `replace` swaps the whole shop's rows (a full recompute):
 * deleting and inserting is far cheaper than 200k conflicting upserts, and readers keep seeing
 * the previous rows until the transaction commits.
 */
export async function writeCustomerMetrics(
  sql: SqlQueryable,
  shopId: number,
  computedAt: Date,
  rows: readonly ScoredRow[],
  mode: "upsert" | "replace" = "upsert",
): Promise<void> {
  if (mode === "replace") {
    await sql.query(`DELETE FROM customer_metrics WHERE shop_id = $1`, [shopId]);
  }
  for (let start = 0; start < rows.length; start += WRITE_BATCH) {
    const batch = rows.slice(start, start + WRITE_BATCH).map((row) => {
      const values = columnValues(row);
      return Object.fromEntries(columnNames.map((name, i) => [name, values[i]]));
    });
    await sql.query(mode === "replace" ? INSERT : UPSERT, [
      shopId,
      computedAt.toISOString(),
      JSON.stringify(batch),
    ]);
  }
}

/** Records every customer whose stage differs from the one they had; returns how many. */
export async function recordStageChanges(
  sql: SqlQueryable,
  shopId: number,
  changedAt: Date,
  rows: readonly ScoredRow[],
): Promise<number> {
  const changed = rows.filter((row) => row.previousStage !== row.score.lifecycleStage);
  for (let start = 0; start < changed.length; start += WRITE_BATCH) {
    const batch = changed.slice(start, start + WRITE_BATCH);
    await sql.query(
      `INSERT INTO customer_stage_change (shop_id, customer_id, from_stage, to_stage, changed_at)
       SELECT $1, x.customer_id, x.from_stage, x.to_stage, ($2::timestamptz AT TIME ZONE 'UTC')
       FROM unnest($3::bigint[], $4::text[], $5::text[]) AS x(customer_id, from_stage, to_stage)`,
      [
        shopId,
        changedAt.toISOString(),
        batch.map((row) => row.customerId.toString()),
        batch.map((row) => row.previousStage),
        batch.map((row) => row.score.lifecycleStage),
      ],
    );
  }
  return changed.length;
}

/** Drops the metrics of those among `customerIds` that were deleted (or never synced). */
export async function deleteOrphanMetrics(
  sql: SqlQueryable,
  shopId: number,
  customerIds: readonly bigint[],
): Promise<void> {
  await sql.query(
    `DELETE FROM customer_metrics m WHERE m.shop_id = $1 AND m.customer_id = ANY($2::bigint[])
       AND NOT EXISTS (SELECT 1 FROM customer c
                       WHERE c.shop_id = m.shop_id AND c.id = m.customer_id AND c.deleted_at IS NULL)`,
    [shopId, customerIds.map(String)],
  );
}
