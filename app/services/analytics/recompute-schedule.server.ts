import type { SqlClient, SqlQueryable } from "~/lib/database-adapter.server";
import { logger } from "~/lib/logger.server";
import { recomputeShopMetrics, type AfterScoring } from "./recompute.server";
import { refreshDirtyCustomers, type AfterRescoring } from "./refresh-dirty.server";

/**
 * Installed shops whose metrics need a full recompute: never computed, requested (a backfill or
 * a settings change), or last computed on an earlier calendar day in the shop's time zone
 * (recency, stages and predictions move with the date). A shop whose backfill is still running
 * waits for it, so the first recompute sees all of its history.
 */
export async function shopsDueForRecompute(sql: SqlQueryable): Promise<number[]> {
  const { rows } = await sql.query<{ id: number }>(
    `SELECT s.id FROM shop s LEFT JOIN shop_analytics a ON a.shop_id = s.id
     WHERE s.state = 'installed'
       AND NOT EXISTS (SELECT 1 FROM sync_job j WHERE j.shop_id = s.id AND j.kind = 'backfill'
                       AND j.status NOT IN ('done', 'failed'))
       AND (a.shop_id IS NULL OR a.recompute_requested
            OR (now() AT TIME ZONE s.iana_timezone)::date
               > ((a.as_of AT TIME ZONE 'UTC') AT TIME ZONE s.iana_timezone)::date)
     ORDER BY s.id`,
  );
  return rows.map((row) => row.id);
}

/**
 * The metrics job of the jobs registry: rescores customers the sync marked, then recomputes
 * shops that are due in full. A failure is logged and retried on the next pass.
 */
export async function updateCustomerMetrics(
  sql: SqlClient,
  isRunning: () => boolean,
  after: { afterScoring?: AfterScoring; afterRescoring?: AfterRescoring } = {},
): Promise<void> {
  const { afterScoring, afterRescoring } = after;
  try {
    await refreshDirtyCustomers(sql, { afterRescoring });
    for (const shopId of await shopsDueForRecompute(sql)) {
      if (!isRunning()) return;
      await recomputeShopMetrics(sql, shopId, { afterScoring });
    }
  } catch (error) {
    logger.error({ err: error }, "customer metrics update failed; retrying on the next pass");
  }
}
