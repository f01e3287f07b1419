/**
 * Writes scored customers to customer_metrics and their stage transitions to
 * customer_stage_change: one statement per batch of a few thousand customers does both.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import type { LifecycleStage } from "./models/lifecycle";
import type { CustomerScore } from "./score-customer";

export interface ScoredRow {
  customerId: bigint;
  previousStage: LifecycleStage | null;
  score: CustomerScore;
}

export const WRITE_BATCH = 5_000;

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
  ["next_order_due_at", "timestamptz"],
] as const;

const money = (value: number | null) => (value === null ? null : value.toFixed(4));
const instant = (value: Date | null) => value?.toISOString() ?? null;

/**
 * One row as an array in COLUMNS order, then the previous stage. A batch of arrays goes through
 * one JSON.stringify: objects per row (and their keys in the document) cost more than the
 * scoring at 200k customers.
 */
function rowValues(row: ScoredRow): unknown[] {
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
    instant(row.score.nextOrderDueAt),
    row.previousStage,
  ];
}

const columnNames = COLUMNS.map(([name]) => name);
/** Element i of the row array, as its column's type; timestamps arrive as ISO strings with a zone. */
const selectList = COLUMNS.map(([, type], i) =>
  type === "timestamptz"
    ? `((x.v->>${i})::timestamptz AT TIME ZONE 'UTC')`
    : `(x.v->>${i})::${type}`,
);
const PREVIOUS_STAGE = `x.v->>${COLUMNS.length}`;

/**
 * `$1` shop, `$2` computed_at, `$3` a JSON array of rowValues arrays. Inserts (or upserts) the
 * metrics and records the stage changes in the same statement.
 */
function writeSql(mode: "upsert" | "replace"): string {
  const conflict =
    mode === "replace"
      ? ""
      : `ON CONFLICT (shop_id, customer_id) DO UPDATE SET
         ${[...columnNames.slice(1), "computed_at"].map((name) => `${name} = EXCLUDED.${name}`).join(", ")}`;
  return `
    WITH x AS MATERIALIZED (SELECT value AS v FROM jsonb_array_elements($3::jsonb)),
    metrics AS (
      INSERT INTO customer_metrics (shop_id, ${columnNames.join(", ")}, computed_at)
      SELECT $1, ${selectList.join(", ")}, ($2::timestamptz AT TIME ZONE 'UTC') FROM x
      ${conflict})
    INSERT INTO customer_stage_change (shop_id, customer_id, from_stage, to_stage, changed_at)
    SELECT $1, (x.v->>0)::bigint, ${PREVIOUS_STAGE}, x.v->>12, ($2::timestamptz AT TIME ZONE 'UTC')
    FROM x WHERE ${PREVIOUS_STAGE} IS DISTINCT FROM x.v->>12`;
}
const UPSERT = writeSql("upsert");
const INSERT = writeSql("replace");

/**
 * Writes one batch (up to WRITE_BATCH rows): `upsert` rescores some customers; `insert` adds
 * rows after clearMetrics (a full recompute). Returns how many changed stage.
 */
export async function writeScoredRows(
  sql: SqlQueryable,
  shopId: number,
  computedAt: Date,
  rows: readonly ScoredRow[],
  mode: "upsert" | "insert" = "upsert",
): Promise<number> {
  if (rows.length === 0) return 0;
  await sql.query(
    mode === "insert" ? INSERT : UPSERT,
    [shopId, computedAt.toISOString(), JSON.stringify(rows.map(rowValues))],
    { preparedAs: mode === "insert" ? "analytics_insert_metrics" : "analytics_upsert_metrics" },
  );
  return rows.filter((row) => row.previousStage !== row.score.lifecycleStage).length;
}

/**
 * A full recompute swaps the whole shop's rows: deleting and inserting is far cheaper than 200k
 * conflicting upserts, and readers keep seeing the previous rows until the transaction commits.
 */
export async function clearMetrics(sql: SqlQueryable, shopId: number): Promise<void> {
  await sql.query(`DELETE FROM customer_metrics WHERE shop_id = $1`, [shopId]);
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
