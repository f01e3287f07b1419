/**
 * Every job the background runner runs, in the order of one pass: what runs when, in one
 * place. Each entry calls its capability's own entry function; the runner (job-runner.server.ts)
 * runs this list in the worker processes, or inside the web process on the embedded database.
 *
 * - scheduled: due every `everyMs`; runs once per due time across all processes (a lock per
 *   job plus its last start in `scheduled_job`), the other processes skip it.
 * - queued: work waiting in a table; every pass takes what is there, item by item, each item
 *   locked so that one process handles it.
 * - consumer: loops started with the runner that claim rows of a queue (SKIP LOCKED); several
 *   per process and across processes.
 */
import type { SqlClient } from "~/lib/database-adapter.server";
import { logger } from "~/lib/logger.server";
import { maintainPartitions } from "~/lib/partitions/partition-maintenance.server";
import { analyzeGrownTables } from "~/lib/planner-statistics.server";
import type { PartitionedTable } from "~/lib/partitions/partitioned-table";
import { pixelEventPartitions } from "~/services/behaviour/pixel-retention";
import { AUDIT_PARTITIONS } from "~/services/privacy/audit.server";
import { pushPendingConsentUpdates } from "~/services/email/consent-push.server";
import type { FlowQueue } from "~/services/flows/flow-queue.server";
import { enterDueCustomers } from "~/services/flows/flow-triggers.server";
import { shopFlowEffects, startFlowStepWorkers } from "~/services/flows/flow-worker.server";
import { rebuildDueRecommendationModels } from "~/services/recommendations/rebuild-schedule.server";
import {
  RESCORING_WITH_SEGMENTS,
  updateMetricsAndSegments,
} from "~/services/segments/metrics-and-segments.server";
import { pushPendingSegmentTags } from "~/services/segments/shopify-tags.server";
import type { TransportFor } from "~/services/shopify/admin-graphql.server";
import { refreshStaleCollectionMembers } from "~/services/sync/collection-members.server";
import { inboxPartitions } from "~/services/sync/inbox-retention.server";
import { startInboxWorker, type DrainResult } from "~/services/sync/inbox-worker.server";
import { runPendingSyncJobs } from "~/services/sync/pending-sync-jobs.server";
import { queueDueReconciliations } from "~/services/sync/reconciliation-schedule.server";
import { runDueWinbackRulesOnShopify } from "~/services/winback/scheduled-runs.server";

/** The deployment's settings the jobs read (from the environment, through the entry points). */
export interface JobSettings {
  /** Time between the end of one pass and the start of the next. */
  passMs: number;
  /** Minutes between reconciliation runs per shop. */
  reconcileIntervalMinutes: number;
  /** Days an applied webhook delivery is kept before it is purged. */
  inboxRetentionDays: number;
  /** Days of web pixel events kept before their day is dropped. */
  pixelRetentionDays: number;
  /** Inbox workers in this process (PGlite: keep 1; PostgreSQL: scale with processes). */
  inboxWorkers: number;
  /** Seconds a crashed worker's claimed batch stays locked before it is retried. */
  claimLockSeconds?: number;
  onBatch?: (result: DrainResult) => void;
}

export interface JobContext {
  sql: SqlClient;
  settings: JobSettings;
  /** False once the runner is stopping: long jobs stop between shops. */
  isRunning: () => boolean;
  /** Each shop's Admin API for background work (its offline session). */
  transportFor: TransportFor;
  /**
   * The durable queue of messaging-flow steps (pg-boss), opened on first use; absent when the
   * runner was started without one (tests of other jobs).
   */
  flowQueue?: () => Promise<FlowQueue>;
}

export type Job =
  | {
      name: string;
      kind: "scheduled";
      everyMs: (settings: JobSettings) => number;
      run: (context: JobContext) => Promise<unknown>;
    }
  | {
      name: string;
      kind: "queued";
      /** The table holding the queued work, and what queues it. */
      queue: string;
      queuedBy: string;
      run: (context: JobContext) => Promise<unknown>;
    }
  | {
      name: string;
      kind: "consumer";
      queue: string;
      queuedBy: string;
      workers: (settings: JobSettings) => number;
      start: (context: JobContext) => { stop(): Promise<void> };
    };

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const NOTHING_TO_STOP = { stop: async () => undefined };
const everyPass = ({ passMs }: JobSettings) => passMs;

/** Every time-partitioned event table: each declares its periods and retention. */
const partitionedTables = (settings: JobSettings): PartitionedTable[] => [
  inboxPartitions(settings.inboxRetentionDays),
  AUDIT_PARTITIONS,
  pixelEventPartitions(settings.pixelRetentionDays),
];

export const JOBS: readonly Job[] = [
  {
    name: "webhook-inbox",
    kind: "consumer",
    queue: "webhook_inbox",
    queuedBy: "Shopify webhook deliveries (webhook ingest)",
    workers: (settings) => settings.inboxWorkers,
    start: ({ sql, settings }) =>
      startInboxWorker(sql, {
        onBatch: settings.onBatch,
        lockSeconds: settings.claimLockSeconds,
        rescoring: RESCORING_WITH_SEGMENTS,
      }),
  },
  {
    // Queues a reconciliation for each shop whose last one is older than the interval.
    name: "reconciliation-queue",
    kind: "scheduled",
    everyMs: everyPass,
    run: ({ sql, settings }) => queueDueReconciliations(sql, settings.reconcileIntervalMinutes),
  },
  {
    // Creates the partitions of the coming days and months; retention drops the expired ones.
    name: "event-partitions",
    kind: "scheduled",
    everyMs: () => HOUR_MS,
    run: ({ sql, settings }) => maintainPartitions(sql, partitionedTables(settings)),
  },
  {
    name: "sync-jobs",
    kind: "queued",
    queue: "sync_job",
    queuedBy: "installs and the sync page (backfills), reconciliation-queue (reconciliations)",
    run: ({ sql, transportFor, isRunning }) => runPendingSyncJobs(sql, transportFor, isRunning),
  },
  {
    // Reads the products of collections a collections webhook changed (its body lists none).
    name: "collection-members",
    kind: "scheduled",
    everyMs: everyPass,
    run: ({ sql, transportFor, isRunning }) =>
      refreshStaleCollectionMembers(sql, transportFor, isRunning),
  },
  {
    // Rescores customers the sync marked; full recompute once a day per shop or on request;
    // segment memberships follow the new scores.
    name: "customer-metrics",
    kind: "scheduled",
    everyMs: everyPass,
    run: ({ sql, isRunning }) => updateMetricsAndSegments(sql, isRunning),
  },
  {
    // Statistics for the tables that grew (the scores written by customer-metrics among them),
    // so the admin's queries are planned on what the tables hold: the embedded database has no
    // autovacuum. Once a minute: its look at every table's size holds the embedded database's
    // one connection for a moment, too often for every pass.
    name: "planner-statistics",
    kind: "scheduled",
    everyMs: () => MINUTE_MS,
    run: ({ sql }) => analyzeGrownTables(sql),
  },
  {
    // Rebuilds models older than a day (or missing), shop by shop.
    name: "recommendation-models",
    kind: "scheduled",
    everyMs: everyPass,
    run: ({ sql, isRunning, transportFor }) =>
      rebuildDueRecommendationModels(sql, isRunning, transportFor),
  },
  {
    // Segment membership changes mirrored to Shopify as customer tags.
    name: "segment-tags",
    kind: "scheduled",
    everyMs: everyPass,
    run: ({ sql, transportFor, isRunning }) => pushPendingSegmentTags(sql, transportFor, isRunning),
  },
  {
    // Unsubscribes made through our emails' links, sent to Shopify's marketing consent.
    name: "consent-push",
    kind: "scheduled",
    everyMs: everyPass,
    run: ({ sql, transportFor, isRunning }) =>
      pushPendingConsentUpdates(sql, transportFor, isRunning),
  },
  {
    // Messaging-flow steps: pg-boss's workers (localConcurrency steps at once in this process).
    name: "message-flow-steps",
    kind: "consumer",
    queue: "pgboss.job (message-flow-step)",
    queuedBy: "message-flow-entries (first steps), each step (the next one)",
    workers: () => 1,
    start: ({ sql, flowQueue, transportFor }) => {
      if (!flowQueue) return NOTHING_TO_STOP;
      const started = flowQueue()
        .then((queue) =>
          startFlowStepWorkers(sql, queue, (shopId) => shopFlowEffects(sql, shopId, transportFor)),
        )
        .catch((error: unknown) => {
          logger.error({ err: error }, "flow step workers could not start in this process");
          return NOTHING_TO_STOP;
        });
      return { stop: async () => (await started).stop() };
    },
  },
  {
    // Enters customers into the active flows their triggers pick, first step queued with them.
    name: "message-flow-entries",
    kind: "scheduled",
    everyMs: everyPass,
    run: async ({ sql, flowQueue, isRunning }) =>
      flowQueue ? enterDueCustomers(sql, await flowQueue(), isRunning) : 0,
  },
  {
    // Resumes unfinished win-back runs and starts the rules that are due (their own cadence).
    name: "winback-runs",
    kind: "scheduled",
    everyMs: everyPass,
    run: ({ sql, transportFor, isRunning }) =>
      runDueWinbackRulesOnShopify(sql, transportFor, isRunning),
  },
];
