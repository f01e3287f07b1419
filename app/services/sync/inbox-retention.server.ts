/**
 * Applied webhook deliveries are kept a while (to see what arrived, and for redeliveries to be
 * recognised by their id), then purged: the raw bodies carry customers' personal data. Dead
 * letters and deliveries not applied yet are kept. A job on its own so it can move to a jobs
 * registry; the sync runner calls it on its loop and it runs once per interval.
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
    if (deleted < PURGE_BATCH) return purged;
  }
}

export interface InboxPurgeSchedule {
  retentionDays: number;
  /** Time between purges. */
  everyMs?: number;
  now?: () => Date;
}

/**
 * The purge as a periodic job: the returned function is called on every pass of a loop and
 * purges when the interval has gone by since the last purge (at once on the first call).
 * Failures are logged and retried at the next interval.
 */
export function scheduleInboxPurge(schedule: InboxPurgeSchedule) {
  const now = schedule.now ?? (() => new Date());
  const everyMs = schedule.everyMs ?? 60 * 60_000;
  let lastRun: number | null = null;
  return async function purgeWhenDue(sql: SqlQueryable): Promise<number> {
    const at = now();
    if (lastRun !== null && at.getTime() - lastRun < everyMs) return 0;
    lastRun = at.getTime();
    try {
      const purged = await purgeProcessedInbox(sql, schedule.retentionDays, at);
      if (purged > 0)
        logger.info({ purged, retentionDays: schedule.retentionDays }, "inbox purged");
      return purged;
    } catch (error) {
      logger.error({ err: error }, "inbox purge failed; retrying at the next interval");
      return 0;
    }
  };
}
