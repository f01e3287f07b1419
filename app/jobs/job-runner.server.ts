import type { SqlClient } from "~/lib/database-adapter.server";
import { logger } from "~/lib/logger.server";
import { DEFAULT_PIXEL_RETENTION_DAYS } from "~/services/behaviour/pixel-retention";
import {
  openFlowQueue,
  type FlowQueue,
  type FlowQueueSettings,
  type QueueDatabase,
} from "~/services/flows/flow-queue.server";
import type { TransportFor } from "~/services/shopify/admin-graphql.server";
import { offlineAdminTransport } from "./offline-admin-transport.server";
import { JOBS, type Job, type JobContext, type JobSettings } from "./registry";
import { runWhenDue } from "./scheduled-job.server";

export interface JobRunnerOptions extends Partial<JobSettings> {
  /** The jobs to run; the registry's unless a test gives its own. */
  jobs?: readonly Job[];
  transportFor?: TransportFor;
  now?: () => Date;
  /** Where the flows' durable queue lives (the app's database); without it flows do not run. */
  queueDatabase?: QueueDatabase;
  flowQueueSettings?: Partial<FlowQueueSettings>;
}

export interface JobRunner {
  stop(): Promise<void>;
}

/**
 * The background half of the app: starts the registry's consumers (inbox workers), then runs
 * its scheduled and queued jobs in passes, `passMs` apart. Started by the worker entry point,
 * or inside the web process on the embedded database. Any number of runners may share one
 * database: scheduled jobs run once per due time among them.
 */
export function startJobRunner(sql: SqlClient, options: JobRunnerOptions = {}): JobRunner {
  const settings: JobSettings = {
    passMs: options.passMs ?? 2000,
    reconcileIntervalMinutes: options.reconcileIntervalMinutes ?? 60,
    inboxRetentionDays: options.inboxRetentionDays ?? 7,
    pixelRetentionDays: options.pixelRetentionDays ?? DEFAULT_PIXEL_RETENTION_DAYS,
    inboxWorkers: options.inboxWorkers ?? 1,
    claimLockSeconds: options.claimLockSeconds,
    onBatch: options.onBatch,
  };
  const now = options.now ?? (() => new Date());
  let running = true;
  let flowQueue: Promise<FlowQueue> | undefined;
  const { queueDatabase } = options;
  const context: JobContext = {
    sql,
    settings,
    isRunning: () => running,
    transportFor: options.transportFor ?? offlineAdminTransport,
    flowQueue: queueDatabase
      ? () =>
          (flowQueue ??= openFlowQueue(queueDatabase, options.flowQueueSettings).catch(
            (error: unknown) => {
              // The next use tries again (a database that was not reachable yet).
              flowQueue = undefined;
              throw error;
            },
          ))
      : undefined,
  };
  const jobs = options.jobs ?? JOBS;
  const consumers = jobs.flatMap((job) =>
    job.kind === "consumer"
      ? Array.from({ length: job.workers(settings) }, () => job.start(context))
      : [],
  );

  const pass = async () => {
    for (const job of jobs) {
      if (!running) return;
      if (job.kind === "scheduled") {
        const everyMs = job.everyMs(settings);
        await runWhenDue(sql, { name: job.name, everyMs, run: () => job.run(context) }, now);
      } else if (job.kind === "queued") {
        await job.run(context).catch((error: unknown) => {
          logger.error(
            { job: job.name, err: error },
            "queued job failed; retrying on the next pass",
          );
        });
      }
    }
  };

  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const schedule = (delayMs: number) => {
    if (!running) return;
    timer = setTimeout(() => {
      current = pass()
        .catch((error: unknown) => logger.error({ err: error }, "job pass failed"))
        .finally(() => schedule(settings.passMs));
    }, delayMs);
  };
  // The first pass starts at once: a process (re)started while work is due, or a new install's
  // backfill, should not wait a whole interval first.
  schedule(0);

  return {
    async stop() {
      running = false;
      clearTimeout(timer);
      await current;
      await Promise.all(consumers.map((consumer) => consumer.stop()));
      if (flowQueue) await (await flowQueue.catch(() => undefined))?.stop();
    },
  };
}
