import type { SqlClient } from "~/lib/database-adapter.server";
import { logger } from "~/lib/logger.server";
import type { TransportFor } from "~/services/shopify/admin-graphql.server";
import { runSyncJobs } from "./backfill.server";

/**
 * Runs (or resumes) every installed shop's unfinished backfill or reconciliation. A shop's
 * jobs are run by one process at a time (a lock per shop): two would each start a bulk
 * operation for the same step. Other processes move on to other shops. A failure is logged and
 * the job resumes on the next pass.
 */
export async function runPendingSyncJobs(
  sql: SqlClient,
  transportFor: TransportFor,
  isRunning: () => boolean,
): Promise<void> {
  const { rows } = await sql.query<{ shop_id: number; domain: string }>(
    `SELECT DISTINCT j.shop_id, s.domain FROM sync_job j JOIN shop s ON s.id = j.shop_id
     WHERE j.status NOT IN ('done', 'failed') AND s.state = 'installed'`,
  );
  for (const row of rows) {
    if (!isRunning()) return;
    await sql.whileLocked(`sync-jobs:${row.shop_id}`, async () => {
      try {
        await runSyncJobs({ sql, shopId: row.shop_id, transport: await transportFor(row.domain) });
      } catch (error) {
        logger.warn({ shop: row.domain, err: error }, "sync job will resume on the next pass");
      }
    });
  }
}
