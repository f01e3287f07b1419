/**
 * Pixel events are kept `retentionDays` (PIXEL_RETENTION_DAYS, 90 by default), then dropped a
 * day at a time: pixel_event is partitioned by day on occurred_at, and the hourly
 * "event-partitions" job (app/jobs/registry.ts) makes the coming days' partitions and drops
 * those past retention whole, never a row at a time. A day is dropped once it is more than
 * `retentionDays` days before today (UTC). Nothing is carried over: a view that old says
 * nothing the recommender or the dashboard still use, and it is personal data once stitched.
 *
 * The ingest stores no event older than a week or later than a few minutes from now
 * (pixel-batch.ts), so every row lands in a day the job made ahead; the DEFAULT partition
 * catches the rest while the job is stopped, and the job gives those rows their day's
 * partition on its next run.
 */
import type { PartitionedTable } from "~/lib/partitions/partitioned-table";

export const DEFAULT_PIXEL_RETENTION_DAYS = 90;

/** Today's partition, then two days ahead: the job may miss a day without rows going to DEFAULT. */
const DAYS_AHEAD = 2;

export function pixelEventPartitions(retentionDays: number): PartitionedTable {
  return {
    table: "pixel_event",
    column: "occurred_at",
    period: "day",
    aheadPeriods: DAYS_AHEAD,
    retainedPeriods: retentionDays,
  };
}
