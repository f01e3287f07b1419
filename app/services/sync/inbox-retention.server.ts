/**
 * Webhook deliveries are kept a while (to see what arrived, and for redeliveries to be
 * recognised by their id), then dropped: the raw bodies carry customers' personal data. The
 * inbox is partitioned by day (`partition_day`, the delivery's triggered-at day), so retention
 * drops a whole day at once, never a row at a time (the "event-partitions" job in
 * app/jobs/registry.ts, hourly). A day is dropped once it is more than `retentionDays` days
 * before today (UTC), so a delivery is kept between `retentionDays` and one day more.
 *
 * What must outlive its day is moved out first: dead letters to the kept partition (they stay
 * until the merchant retries them, which brings them back to today), deliveries not applied
 * yet to today's partition.
 */
import type { PartitionedTable } from "~/lib/partitions/partitioned-table";

/**
 * Days of partitions created ahead of today: enough for the hourly job to miss a day (and the
 * default partition catches the rest), few because every claim plans and probes each partition.
 */
const DAYS_AHEAD = 2;

export function inboxPartitions(retentionDays: number): PartitionedTable {
  return {
    table: "webhook_inbox",
    column: "partition_day",
    period: "day",
    aheadPeriods: DAYS_AHEAD,
    retainedPeriods: retentionDays,
    // Found through the (status, id) index: the carry-over reads the few rows it moves, not
    // the day's applied ones.
    carryOver: [
      { where: "status = 'dead'", to: "kept" },
      { where: "status = ANY('{pending,failed,processing}')", to: "current" },
    ],
  };
}
