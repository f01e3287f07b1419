import type { SqlClient } from "~/lib/database-adapter.server";
import { updateCustomerMetrics } from "~/services/analytics/recompute-schedule.server";
import {
  recomputeShopMetrics,
  type RecomputeOptions,
  type RecomputeReport,
} from "~/services/analytics/recompute.server";
import {
  refreshDirtyCustomers,
  type RescoringOptions,
} from "~/services/analytics/refresh-dirty.server";
import { rescoredMemberships, refreshMemberships } from "./memberships.server";

/**
 * Customer metrics and the segment memberships built on them, refreshed in one transaction, so
 * a segment never lists a customer by scores that are no longer theirs. What the scheduler and
 * anything that reads segments call; analytics alone knows nothing of segments.
 */
export function recomputeMetricsAndSegments(
  sql: SqlClient,
  shopId: number,
  options: Omit<RecomputeOptions, "afterScoring"> = {},
): Promise<RecomputeReport> {
  return recomputeShopMetrics(sql, shopId, { ...options, afterScoring: refreshMemberships });
}

/** The sync path's rescoring after each applied batch: metrics, and memberships with them. */
export const RESCORING_WITH_SEGMENTS: RescoringOptions = { afterRescoring: rescoredMemberships };

/** Rescores every shop's changed customers, and their segment memberships with them. */
export function refreshDirtyMetricsAndSegments(
  sql: SqlClient,
  options: Omit<RecomputeOptions, "afterScoring"> & { batchSize?: number } = {},
): Promise<number> {
  return refreshDirtyCustomers(sql, { ...options, afterRescoring: rescoredMemberships });
}

/** The metrics job of app/jobs/registry.ts: rescoring and recomputes, memberships with them. */
export function updateMetricsAndSegments(sql: SqlClient, isRunning: () => boolean): Promise<void> {
  return updateCustomerMetrics(sql, isRunning, {
    afterScoring: refreshMemberships,
    afterRescoring: rescoredMemberships,
  });
}
