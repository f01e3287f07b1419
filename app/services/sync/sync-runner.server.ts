import type { SqlClient } from "~/lib/database-adapter.server";
import { logger } from "~/lib/logger.server";
import {
  recomputeMetricsAndSegments,
  refreshDirtyMetricsAndSegments,
} from "~/services/segments/metrics-and-segments.server";
import { shopsDueForRecompute } from "~/services/analytics/recompute-schedule.server";
import { rebuildDueRecommendationModels } from "~/services/recommendations/rebuild-schedule.server";
import { offlineAdminTransport } from "~/services/shopify/offline-admin-transport.server";
import { runSyncJobs } from "./backfill.server";
import { queueDueReconciliations } from "./reconciliation-schedule.server";
import { pushShopifyWrites } from "./shopify-writes.server";
import { scheduleInboxPurge } from "./inbox-retention.server";
import { startInboxWorker, type DrainResult, type InboxWorker } from "./inbox-worker.server";

export interface SyncRunnerOptions {
  /** Inbox workers in this process (PGlite: keep 1; PostgreSQL: scale with processes). */
  inboxWorkers?: number;
  backfillPollMs?: number;
  /** Seconds a crashed worker's claimed batch stays locked before it is retried. */
  claimLockSeconds?: number;
  /** Minutes between reconciliation runs per shop. */
  reconcileIntervalMinutes?: number;
  /** Days an applied webhook delivery is kept before it is purged. */
  inboxRetentionDays?: number;
  onBatch?: (result: DrainResult) => void;
}

export interface SyncRunner {
  stop(): Promise<void>;
}

/**
 * The background half of the app: inbox workers applying webhooks, and a loop that runs
 * (or resumes) any shop's pending backfill. Started by the worker entry point, or inside the
 * web process on the embedded database.
 */
export function startSyncRunner(sql: SqlClient, options: SyncRunnerOptions = {}): SyncRunner {
  const workers: InboxWorker[] = Array.from({ length: options.inboxWorkers ?? 1 }, () =>
    startInboxWorker(sql, { onBatch: options.onBatch, lockSeconds: options.claimLockSeconds }),
  );
  let running = true;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const purgeInbox = scheduleInboxPurge({ retentionDays: options.inboxRetentionDays ?? 7 });

  const tick = async () => {
    await queueDueReconciliations(sql, options.reconcileIntervalMinutes ?? 60);
    await purgeInbox(sql);
    const { rows } = await sql.query<{ shop_id: number; domain: string }>(
      `SELECT DISTINCT j.shop_id, s.domain FROM sync_job j JOIN shop s ON s.id = j.shop_id
       WHERE j.status NOT IN ('done', 'failed') AND s.state = 'installed'`,
    );
    for (const row of rows) {
      if (!running) return;
      try {
        await runSyncJobs({
          sql,
          shopId: row.shop_id,
          transport: await offlineAdminTransport(row.domain),
        });
      } catch (error) {
        logger.warn({ shop: row.domain, err: error }, "sync job will resume on the next pass");
      }
    }
    await updateMetrics(sql, () => running);
    await rebuildDueRecommendationModels(sql, () => running);
    await pushShopifyWrites(sql, offlineAdminTransport, () => running);
  };
  const schedule = () => {
    if (!running) return;
    timer = setTimeout(() => {
      current = tick().finally(schedule);
    }, options.backfillPollMs ?? 2000);
  };
  schedule();

  return {
    async stop() {
      running = false;
      clearTimeout(timer);
      await current;
      await Promise.all(workers.map((worker) => worker.stop()));
    },
  };
}

/** Rescores customers the sync marked, then recomputes shops that are due in full. */
async function updateMetrics(sql: SqlClient, isRunning: () => boolean): Promise<void> {
  try {
    await refreshDirtyMetricsAndSegments(sql);
    for (const shopId of await shopsDueForRecompute(sql)) {
      if (!isRunning()) return;
      await recomputeMetricsAndSegments(sql, shopId);
    }
  } catch (error) {
    logger.error({ err: error }, "customer metrics update failed; retrying on the next pass");
  }
}
