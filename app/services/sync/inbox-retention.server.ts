/**
 * Applied webhook deliveries are kept a while (to see what arrived, and for redeliveries to be
 * recognised by their id), then purged: the raw bodies carry customers' personal data. Dead
 * letters and deliveries not applied yet are kept. An hourly job in app/jobs/registry.ts.
 */
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { logger } from "~/lib/logger.server";

/** Rows deleted per statement, so one purge never holds a long lock on the inbox. */
const PURGE_BATCH = 5_000;
const DAY_MS = 86_400_000;

/** Deletes deliveries applied more than `retentionDays` before `now`; returns how many. */
export async function purgeProcessedInbox(
  sql: SqlQueryable,
  retentionDays: number,
  now = new Date(),
): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS).toISOString();
  let purged = 0;
  for (;;) {
    const { rows } = await sql.query<{ n: number }>(
      `WITH gone AS (
         DELETE FROM webhook_inbox WHERE id IN (
           SELECT id FROM webhook_inbox
           WHERE status = 'done' AND processed_at < $1::timestamptz AT TIME ZONE 'UTC'
           LIMIT $2)
         RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [cutoff, PURGE_BATCH],
    );
    const deleted = rows[0]?.n ?? 0;
    purged += deleted;
    if (deleted < PURGE_BATCH) {
      if (purged > 0) logger.info({ purged, retentionDays }, "inbox purged");
      return purged;
    }
  }
}
