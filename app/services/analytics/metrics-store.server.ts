/**
 * Writes scored customers to customer_metrics and their stage transitions to
 * customer_stage_change: one statement per batch of a few thousand customers does both.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { ASYNC_COMMIT } from "./async-commit";
import { tryLockShopSharedSql } from "./metrics-lock.server";
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
export function rowValues(row: ScoredRow): unknown[] {
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

/** `$2` (computed_at) as the column's UTC timestamp. */
const COMPUTED_AT = `($2::timestamptz AT TIME ZONE 'UTC')`;

/**
 * `$1` shop, `$2` computed_at, `$3` a JSON array of rowValues arrays: inserts the metrics (after
 * clearMetrics) and records the stage changes in the same statement.
 */
const INSERT = `
    WITH x AS MATERIALIZED (SELECT value AS v FROM jsonb_array_elements($3::jsonb)),
    metrics AS (
      INSERT INTO customer_metrics (shop_id, ${columnNames.join(", ")}, computed_at)
      SELECT $1, ${selectList.join(", ")}, ${COMPUTED_AT} FROM x)
    INSERT INTO customer_stage_change (shop_id, customer_id, from_stage, to_stage, changed_at)
    SELECT $1, (x.v->>0)::bigint, ${PREVIOUS_STAGE}, x.v->>12, ${COMPUTED_AT}
    FROM x WHERE ${PREVIOUS_STAGE} IS DISTINCT FROM x.v->>12`;

/**
 * Inserts one batch (up to WRITE_BATCH rows) of a full recompute, after clearMetrics. Returns how
 * many changed stage.
 */
export async function writeScoredRows(
  sql: SqlQueryable,
  shopId: number,
  computedAt: Date,
  rows: readonly ScoredRow[],
): Promise<number> {
  if (rows.length === 0) return 0;
  await sql.query(INSERT, [shopId, computedAt.toISOString(), JSON.stringify(rows.map(rowValues))], {
    preparedAs: "analytics_insert_metrics",
  });
  return rows.filter((row) => row.previousStage !== row.score.lifecycleStage).length;
}

/**
 * A rescored customer as the rescoring's write takes it: `metrics` is rowValues (null when the
 * customer was deleted), `version` the xmin of the metrics row the scores were computed over
 * (null when there was none), `markedAt` the mark as claimed, `after` what the step after the
 * rescoring writes for them.
 */
export interface RescoringWrite {
  id: string;
  markedAt: string;
  version: string | null;
  metrics: unknown[] | null;
  after: unknown;
}

/** rowValues by column name: a customer's metrics as the database will hold them. */
export function valuesByColumn(values: readonly unknown[]): Record<string, unknown> {
  return Object.fromEntries(columnNames.map((name, i) => [name, values[i]]));
}

/**
 * `$1` shop, `$2` computed_at, `$3` a JSON array of RescoringWrite: one statement stores a
 * rescored batch. Nothing is stored while a full recompute of the shop holds its metrics lock
 * (metrics-lock.server.ts), and a customer's metrics only over the row version they were
 * computed from (or where there was none), so a full recompute or another rescoring that wrote
 * meanwhile wins and this one is dropped; a deleted customer's metrics go. For each customer written,
 * `rescored` (`customer_id`, `after`) feeds `afterCtes` (more WITH items, each starting with a
 * comma), their stage change is recorded and their mark deleted unless it was marked again since
 * the claim; every other claim is released, to be rescored again. A mark being marked again
 * right now (its row locked by the sync's transaction) is skipped, not waited for: that marking
 * releases it (dirty-customers.server.ts). Its commit does not wait for
 * the WAL flush (ASYNC_COMMIT).
 */
export function rescoringWriteSql(afterCtes: string): string {
  const scoredList = selectList.map((item) => item.replaceAll("x.v", "x.metrics"));
  return `
    WITH ${ASYNC_COMMIT},
    metrics_lock AS MATERIALIZED (SELECT ${tryLockShopSharedSql("$1::int")} AS held),
    x AS MATERIALIZED (
      SELECT (value->>'id')::bigint AS customer_id, (value->>'markedAt')::timestamp AS marked_at,
             (value->>'version')::xid AS version, value->'metrics' AS metrics,
             jsonb_typeof(value->'metrics') = 'array' AS scored, value->'after' AS after
      FROM jsonb_array_elements($3::jsonb)),
    updated AS (
      UPDATE customer_metrics m
      SET (${columnNames.slice(1).join(", ")}, computed_at) =
          (${scoredList.slice(1).join(", ")}, ${COMPUTED_AT})
      FROM x
      WHERE (SELECT held FROM metrics_lock) AND x.scored
        AND m.shop_id = $1 AND m.customer_id = x.customer_id AND m.xmin = x.version
      RETURNING m.customer_id),
    inserted AS (
      INSERT INTO customer_metrics (shop_id, ${columnNames.join(", ")}, computed_at)
      SELECT $1, ${scoredList.join(", ")}, ${COMPUTED_AT} FROM x
      WHERE (SELECT held FROM metrics_lock) AND x.scored AND x.version IS NULL
        -- A customer deleted since the claim read them keeps no metrics (their deletion's own
        -- rescoring may already have run, finding none to delete).
        AND EXISTS (SELECT 1 FROM customer c
                    WHERE c.shop_id = $1 AND c.id = x.customer_id AND c.deleted_at IS NULL)
      ORDER BY x.customer_id
      ON CONFLICT DO NOTHING RETURNING customer_id),
    orphaned AS (
      DELETE FROM customer_metrics m USING x
      WHERE (SELECT held FROM metrics_lock) AND NOT x.scored
        AND m.shop_id = $1 AND m.customer_id = x.customer_id
        AND NOT EXISTS (SELECT 1 FROM customer c
                        WHERE c.shop_id = m.shop_id AND c.id = m.customer_id AND c.deleted_at IS NULL)),
    rescored AS (
      SELECT x.* FROM x
      WHERE (NOT x.scored AND (SELECT held FROM metrics_lock))
        OR x.customer_id IN (SELECT customer_id FROM updated UNION ALL SELECT customer_id FROM inserted)),
    stage_changes AS (
      INSERT INTO customer_stage_change (shop_id, customer_id, from_stage, to_stage, changed_at)
      SELECT $1, customer_id, metrics->>${COLUMNS.length}, metrics->>12, ${COMPUTED_AT}
      FROM rescored WHERE scored AND metrics->>${COLUMNS.length} IS DISTINCT FROM metrics->>12),
    cleared AS (
      DELETE FROM metrics_dirty_customer d
      WHERE d.shop_id = $1 AND d.customer_id = ANY(ARRAY(
        SELECT k.customer_id FROM metrics_dirty_customer k
        JOIN rescored r ON r.customer_id = k.customer_id AND r.marked_at = k.marked_at
        WHERE k.shop_id = $1 FOR UPDATE OF k SKIP LOCKED))
      RETURNING d.customer_id),
    released AS (
      UPDATE metrics_dirty_customer d SET claimed_until = NULL
      WHERE d.shop_id = $1 AND d.customer_id = ANY(ARRAY(
        SELECT k.customer_id FROM metrics_dirty_customer k JOIN x ON x.customer_id = k.customer_id
        WHERE k.shop_id = $1 AND k.customer_id NOT IN (SELECT customer_id FROM cleared)
        FOR UPDATE OF k SKIP LOCKED)))
    ${afterCtes}
    SELECT (SELECT count(*) FROM rescored)::int AS rescored FROM async_commit`;
}

/**
 * A full recompute swaps the whole shop's rows: deleting and inserting is far cheaper than 200k
 * conflicting upserts, and readers keep seeing the previous rows until the transaction commits.
 */
export async function clearMetrics(sql: SqlQueryable, shopId: number): Promise<void> {
  await sql.query(`DELETE FROM customer_metrics WHERE shop_id = $1`, [shopId]);
}
