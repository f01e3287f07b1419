import {
  BULK_OPERATION_RUN_QUERY,
  BULK_OPERATION_STATUS_QUERY,
  bulkCollectionsQuery,
  bulkCustomersQuery,
  bulkOrdersQuery,
  bulkProductsQuery,
  updatedSinceSearch,
} from "~/graphql/bulk-operations";
import type { SqlClient } from "~/lib/database-adapter.server";
import { AppError } from "~/lib/errors";
import { logger } from "~/lib/logger.server";
import { textLines } from "~/lib/text-lines";
import { requestFullRecompute } from "~/services/analytics/shop-analytics-store.server";
import {
  adminGraphqlRequest,
  requireNoUserErrors,
  type AdminGraphqlTransport,
} from "~/services/shopify/admin-graphql.server";
import { loadBulkJsonl } from "./bulk-jsonl-loader.server";

/** A bulk operation Shopify ended without a result: retrying the same step cannot help. */
export class BulkOperationFailedError extends AppError {}

export const BACKFILL_RESOURCES = ["customers", "products", "collections", "orders"] as const;
export type BackfillResource = (typeof BACKFILL_RESOURCES)[number];

const BULK_QUERIES: Record<BackfillResource, (search?: string) => string> = {
  customers: bulkCustomersQuery,
  products: bulkProductsQuery,
  // Always whole (see bulkCollectionsQuery): the window search is not passed on.
  collections: () => bulkCollectionsQuery(),
  orders: bulkOrdersQuery,
};

/**
 * The tables a resource's bulk load fills. Analyzed once it is loaded: until statistics exist
 * the planner takes a freshly loaded table for nearly empty, and the first full recompute right
 * after a backfill then joins its purchases by nested loops (44 s instead of under a second for
 * 5,000 orders on the embedded database). Autovacuum would analyze them later, or never where it
 * is off; the embedded database has none.
 */
const LOADED_TABLES: Record<BackfillResource, string> = {
  customers: "customer",
  products: "product, variant",
  collections: "collection, collection_product",
  orders: `"order", order_line, refund, refund_line`,
};

interface SyncJobRow {
  id: string;
  kind: "backfill" | "reconcile";
  resource: BackfillResource;
  status: "pending" | "running" | "loading" | "done" | "failed";
  bulk_operation_id: string | null;
  result_url: string | null;
  lines_committed: number;
  /** Reconciliation reads only what changed after this. */
  window_start: Date | string | null;
}

export interface BackfillDependencies {
  sql: SqlClient;
  shopId: number;
  transport: AdminGraphqlTransport;
  /** Downloads the JSONL result (global fetch by default). */
  fetchResult?: (url: string) => Promise<Response>;
  pollIntervalMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Queues a backfill unless one is already unfinished for the shop. */
export function requestBackfill(sql: SqlClient, shopId: number): Promise<boolean> {
  return queueJobs(sql, shopId, "backfill", null);
}

/**
 * Queues a reconciliation of everything changed after `since`: the same bulk operations as
 * the backfill, narrowed by `updated_at`, written through the same ordering-safe upserts, so
 * whatever a dropped or delayed webhook left missing or stale is repaired and nothing newer is
 * overwritten. Not queued while another backfill or reconciliation is unfinished (Shopify runs
 * one bulk query per app and shop at a time).
 */
export function requestReconciliation(sql: SqlClient, shopId: number, since: Date) {
  return queueJobs(sql, shopId, "reconcile", since);
}

async function queueJobs(
  sql: SqlClient,
  shopId: number,
  kind: SyncJobRow["kind"],
  windowStart: Date | null,
): Promise<boolean> {
  return sql.transaction(async (tx) => {
    await tx.query(`SELECT id FROM shop WHERE id = $1 FOR UPDATE`, [shopId]);
    const { rows } = await tx.query(
      `SELECT 1 FROM sync_job WHERE shop_id = $1 AND status NOT IN ('done', 'failed') LIMIT 1`,
      [shopId],
    );
    if (rows.length > 0) return false;
    for (const resource of BACKFILL_RESOURCES) {
      await tx.query(
        `INSERT INTO sync_job (shop_id, kind, resource, window_start) VALUES ($1, $2, $3, $4::timestamptz)`,
        [shopId, kind, resource, windowStart?.toISOString() ?? null],
      );
    }
    return true;
  });
}

/**
 * Runs (or resumes) the shop's unfinished backfill or reconciliation: for each resource in
 * turn, start a bulk operation, wait for it, stream its JSONL into the database. Every step is
 * recorded on the job row first, so after a crash the next run continues from the same step
 * and line.
 */
export async function runSyncJobs(deps: BackfillDependencies): Promise<void> {
  const { rows } = await deps.sql.query<SyncJobRow>(
    `SELECT id::text, kind, resource, status, bulk_operation_id, result_url, lines_committed,
        window_start AT TIME ZONE 'UTC' AS window_start
     FROM sync_job WHERE shop_id = $1 AND status NOT IN ('done', 'failed') ORDER BY id`,
    [deps.shopId],
  );
  for (const job of rows) {
    try {
      await runJob(deps, job);
    } catch (error) {
      logger.error(
        { shopId: deps.shopId, resource: job.resource, err: error },
        "sync job step failed",
      );
      // A transient failure keeps the step's status so the next run resumes it; only an
      // operation Shopify itself failed is final.
      const status = error instanceof BulkOperationFailedError ? "failed" : job.status;
      await deps.sql.query(
        `UPDATE sync_job SET status = $2, error = $3, updated_at = now()
         WHERE shop_id = $4 AND id = $1`,
        [job.id, status, (error as Error).message.slice(0, 2000), deps.shopId],
      );
      throw error;
    }
  }
}

/**
 * A bulk operation the job waits on or loads from can be gone: Shopify's result URLs expire
 * (a week), and an operation from before a long outage (or a restarted simulated store) is
 * unknown. The step then starts over with a new operation, from line 0 (every write is
 * idempotent and ordering-safe, so lines loaded before are harmless).
 */
class BulkOperationGoneError extends AppError {}
const GONE_RESULT_STATUSES = [403, 404, 410];

async function runJob(deps: BackfillDependencies, job: SyncJobRow): Promise<void> {
  try {
    await runJobSteps(deps, job);
  } catch (error) {
    if (!(error instanceof BulkOperationGoneError)) throw error;
    logger.warn({ shopId: deps.shopId, resource: job.resource }, `${error.message}; starting over`);
    Object.assign(job, {
      status: "pending",
      bulk_operation_id: null,
      result_url: null,
      lines_committed: 0,
    });
    await deps.sql.query(
      `UPDATE sync_job SET status = 'pending', bulk_operation_id = NULL, result_url = NULL,
         lines_committed = 0, updated_at = now() WHERE shop_id = $2 AND id = $1`,
      [job.id, deps.shopId],
    );
    await runJobSteps(deps, job);
  }
}

async function runJobSteps(deps: BackfillDependencies, job: SyncJobRow): Promise<void> {
  const { sql, transport } = deps;
  if (job.status === "pending") {
    const data = await adminGraphqlRequest<{
      bulkOperationRunQuery: {
        bulkOperation: { id: string } | null;
        userErrors: Array<{ field?: string[] | null; message: string }>;
      };
    }>(transport, BULK_OPERATION_RUN_QUERY, { query: bulkQueryFor(job) });
    const payload = requireNoUserErrors("bulkOperationRunQuery", data.bulkOperationRunQuery);
    if (!payload.bulkOperation) throw new AppError("bulkOperationRunQuery returned no operation");
    job.bulk_operation_id = payload.bulkOperation.id;
    job.status = "running";
    await sql.query(
      `UPDATE sync_job SET status = 'running', bulk_operation_id = $2, updated_at = now()
       WHERE shop_id = $3 AND id = $1`,
      [job.id, job.bulk_operation_id, deps.shopId],
    );
  }
  if (job.status === "running") {
    const operation = await waitForBulkOperation(deps, job.bulk_operation_id ?? "");
    job.result_url = operation.url;
    job.status = "loading";
    await sql.query(
      `UPDATE sync_job SET status = 'loading', result_url = $2, object_count = $3,
              loading_started_at = now(), updated_at = now()
       WHERE shop_id = $4 AND id = $1`,
      [job.id, operation.url, Number(operation.objectCount), deps.shopId],
    );
  }
  if (job.status === "loading") {
    if (job.result_url) {
      const response = await (deps.fetchResult ?? fetch)(job.result_url);
      if (GONE_RESULT_STATUSES.includes(response.status)) {
        throw new BulkOperationGoneError(`bulk result gone: HTTP ${response.status}`);
      }
      if (!response.ok || !response.body)
        throw new AppError(`bulk result download failed: HTTP ${response.status}`);
      await loadBulkJsonl(sql, deps.shopId, textLines(response.body), {
        skipLines: job.lines_committed,
        markMetricsDirty: job.kind === "reconcile",
        onProgress: async ({ linesCommitted }) => {
          await sql.query(
            `UPDATE sync_job SET lines_committed = $2, updated_at = now()
             WHERE shop_id = $3 AND id = $1`,
            [job.id, linesCommitted, deps.shopId],
          );
        },
      });
    }
    await sql.query(
      `UPDATE sync_job SET status = 'done', finished_at = now(), updated_at = now()
       WHERE shop_id = $2 AND id = $1`,
      [job.id, deps.shopId],
    );
    if (job.kind === "backfill") {
      await sql.exec(`ANALYZE ${LOADED_TABLES[job.resource]}`);
      await requestFullRecompute(sql, deps.shopId);
    }
  }
}

function bulkQueryFor(job: SyncJobRow): string {
  const search = job.window_start ? updatedSinceSearch(new Date(job.window_start)) : undefined;
  return BULK_QUERIES[job.resource](search);
}

interface BulkOperationState {
  status: string;
  errorCode: string | null;
  objectCount: string;
  url: string | null;
}

/**
 * The first status check after starting an operation waits this long, each next one twice as
 * long up to the poll interval: a small shop's export is often ready within a second, and a
 * fixed interval made it wait the whole interval per resource; a large one costs a few more
 * status queries (one query point each) in its first seconds.
 */
const FIRST_POLL_MS = 125;

async function waitForBulkOperation(
  deps: BackfillDependencies,
  id: string,
): Promise<BulkOperationState> {
  const sleep =
    deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const pollIntervalMs = deps.pollIntervalMs ?? 2000;
  let wait = Math.min(FIRST_POLL_MS, pollIntervalMs);
  for (;;) {
    const data = await adminGraphqlRequest<{ node: BulkOperationState | null }>(
      deps.transport,
      BULK_OPERATION_STATUS_QUERY,
      { id },
    );
    const operation = data.node;
    if (!operation) throw new BulkOperationGoneError(`bulk operation ${id} not found`);
    if (operation.status === "COMPLETED") return operation;
    if (["FAILED", "CANCELED", "CANCELING", "EXPIRED"].includes(operation.status)) {
      throw new BulkOperationFailedError(
        `bulk operation ${id} ended ${operation.status} (${operation.errorCode ?? "no code"})`,
      );
    }
    await sleep(wait);
    wait = Math.min(wait * 2, pollIntervalMs);
  }
}
