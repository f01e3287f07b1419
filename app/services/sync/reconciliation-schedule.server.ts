import type { SqlClient } from "~/lib/database-adapter.server";
import { requestReconciliation } from "./backfill.server";

/** Re-read this much before the previous run's start, for clock skew and in-flight writes. */
export const RECONCILE_OVERLAP_MS = 15 * 60 * 1000;

/**
 * Queues a reconciliation for every installed shop whose last backfill or reconciliation
 * started more than `intervalMinutes` ago, covering everything changed since that run began
 * (less an overlap). Returns the shops queued.
 */
export async function queueDueReconciliations(
  sql: SqlClient,
  intervalMinutes: number,
): Promise<number[]> {
  const { rows } = await sql.query<{ shop_id: number; last_started: Date | string }>(
    `SELECT s.id AS shop_id, max(j.started_at) AT TIME ZONE 'UTC' AS last_started
     FROM shop s JOIN sync_job j ON j.shop_id = s.id AND j.status = 'done'
     WHERE s.state = 'installed'
       AND NOT EXISTS (SELECT 1 FROM sync_job u WHERE u.shop_id = s.id AND u.status NOT IN ('done', 'failed'))
     GROUP BY s.id
     HAVING max(j.started_at) < (now() AT TIME ZONE 'UTC') - make_interval(mins => $1)`,
    [intervalMinutes],
  );
  const queued: number[] = [];
  for (const row of rows) {
    const since = new Date(new Date(row.last_started).getTime() - RECONCILE_OVERLAP_MS);
    if (await requestReconciliation(sql, row.shop_id, since)) queued.push(row.shop_id);
  }
  return queued;
}
