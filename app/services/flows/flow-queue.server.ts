/**
 * The durable queue flow steps run from: pg-boss, on both of the app's databases.
 *
 * Why pg-boss and not graphile-worker: graphile-worker needs a `pg` Pool (it LISTENs on a
 * dedicated connection and runs its own migrations through it), so it cannot run on the
 * embedded PGlite the demo, development and most tests use. pg-boss 12 takes any object with
 * `executeSql` and ships an adapter and a `pglite` backend profile for PGlite (one connection,
 * multi-statement blocks through `exec`, in-process LISTEN/NOTIFY). On PostgreSQL it opens its
 * own small pool from the URL. Either way its tables live in their own `pgboss` schema beside
 * the app's, and a job can be queued inside one of the app's transactions (`inTransaction`), so
 * a step's outcome and the next step's job commit together or not at all.
 *
 * A job a killed worker held comes back once its `expireInSeconds` has passed (the supervisor
 * checks every `superviseIntervalSeconds`): jobs are at-least-once, and the step executor
 * (flow-steps.server.ts) makes each step take effect once.
 */
import { fromPglite, PgBoss, type Db } from "pg-boss";
import type { DatabaseHandle, SqlQueryable } from "~/lib/database-adapter.server";
import { logger } from "~/lib/logger.server";

export const FLOW_STEP_QUEUE = "message-flow-step";
/**
 * Where pg-boss moves a step job that failed for good without the worker saying so: one that
 * expired on its last attempt (its worker died or it ran too long). Its worker ends the run.
 */
export const FLOW_STEP_DEAD_LETTER_QUEUE = "message-flow-step-dead";
/** Retries of a step that throws, after its first attempt. */
export const FLOW_STEP_RETRY_LIMIT = 10;

/** Where the queue's tables are: the app's own database, whichever kind it is. */
export type QueueDatabase = DatabaseHandle;

export interface FlowQueueSettings {
  /** Seconds a step may run before its job is given to another worker. */
  expireInSeconds: number;
  /** Seconds between the supervisor's checks for expired jobs. */
  superviseIntervalSeconds: number;
  /** Seconds between polls for due jobs (a NOTIFY wakes workers sooner). */
  pollingIntervalSeconds: number;
  /** Steps worked on at once by this process. */
  concurrency: number;
  /** Due steps claimed in one statement (the claim repeats at once while batches are full). */
  claimBatchSize: number;
  /** Seconds before a failed or expired step is tried again (doubling with each attempt). */
  retryDelaySeconds: number;
}

export const DEFAULT_FLOW_QUEUE_SETTINGS: FlowQueueSettings = {
  expireInSeconds: 120,
  superviseIntervalSeconds: 30,
  pollingIntervalSeconds: 2,
  concurrency: 8,
  claimBatchSize: 16,
  retryDelaySeconds: 30,
};

/** One step of one run, as queued. */
export interface FlowStepJob {
  shopId: number;
  runId: string;
  stepIndex: number;
}

export interface FlowQueue {
  readonly boss: PgBoss;
  readonly settings: FlowQueueSettings;
  /** Queues `jobs` through the caller's transaction: they exist only if it commits. */
  enqueue(tx: SqlQueryable, jobs: readonly FlowStepJob[], startAfter: Date): Promise<void>;
  stop(): Promise<void>;
}

function bossFor(database: QueueDatabase, settings: FlowQueueSettings): PgBoss {
  const common = {
    superviseIntervalSeconds: settings.superviseIntervalSeconds,
    monitorIntervalSeconds: settings.superviseIntervalSeconds,
    schedule: false,
  };
  if (database.kind === "pglite") {
    return new PgBoss({ ...common, db: fromPglite(database.pglite), backend: "pglite" });
  }
  return new PgBoss({
    ...common,
    connectionString: database.url,
    max: 3,
    // The app reads and writes timestamps as UTC; so does the queue's pool.
    options: "-c TimeZone=UTC",
  });
}

/** The caller's transaction as pg-boss sees a database. */
const transactionDb = (tx: SqlQueryable): Db => ({
  executeSql: (text, values) => tx.query(text, values as unknown[] | undefined),
});

/** Opens the queue (creating or migrating pg-boss's schema) and its queue of flow steps. */
export async function openFlowQueue(
  database: QueueDatabase,
  overrides: Partial<FlowQueueSettings> = {},
): Promise<FlowQueue> {
  const settings = { ...DEFAULT_FLOW_QUEUE_SETTINGS, ...overrides };
  const boss = bossFor(database, settings);
  boss.on("error", (error) => logger.error({ err: error }, "flow queue error"));
  await boss.start();
  await boss.createQueue(FLOW_STEP_DEAD_LETTER_QUEUE);
  await boss.createQueue(FLOW_STEP_QUEUE, {
    expireInSeconds: settings.expireInSeconds,
    // A step that throws is tried again with growing pauses; after the last, its run ends as
    // failed (flow-worker.server.ts).
    retryLimit: FLOW_STEP_RETRY_LIMIT,
    retryDelay: settings.retryDelaySeconds,
    retryBackoff: true,
    deadLetter: FLOW_STEP_DEAD_LETTER_QUEUE,
  });
  // A queue created before dead letters were routed gets its route (createQueue keeps options).
  await boss.updateQueue(FLOW_STEP_QUEUE, { deadLetter: FLOW_STEP_DEAD_LETTER_QUEUE });
  return {
    boss,
    settings,
    async enqueue(tx, jobs, startAfter) {
      if (jobs.length === 0) return;
      await boss.insert(
        FLOW_STEP_QUEUE,
        jobs.map((job) => ({ data: job, startAfter })),
        { db: transactionDb(tx) },
      );
    },
    stop: () => boss.stop({ graceful: true, timeout: 10_000 }),
  };
}
