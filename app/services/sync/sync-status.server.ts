import { getDatabase } from "~/db.server";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { BACKFILL_RESOURCES } from "./backfill.server";
import { countDeadLetters } from "./dead-letters.server";

export type BackfillStatus = "pending" | "running" | "loading" | "done" | "failed";

export interface BackfillProgress {
  resource: string;
  status: BackfillStatus;
  /** Lines of Shopify's export (records and their parts, like order lines): known once saving starts. */
  objectCount: number;
  linesCommitted: number;
  /** Share of this resource saved, 0 to 100. */
  percent: number;
  /** Seconds left at the rate measured since saving began; null before that or once done. */
  etaSeconds: number | null;
}

/** Where the latest full import (backfill) of a shop stands, over all its resources. */
export interface ImportProgress {
  state: "notStarted" | "running" | "done" | "failed";
  jobs: BackfillProgress[];
  /** Share of the whole import done, 0 to 100 (each resource counts the same). */
  percent: number;
  /** Time left for the resource being saved now; null when unknown. */
  etaSeconds: number | null;
}

export interface SyncStatus {
  backfill: ImportProgress;
  lastWebhookByTopic: Array<{ topic: string; receivedAt: string }>;
  backlog: { pending: number; failed: number };
  /** Updates that could not be applied (listed on their own page). */
  deadLetterCount: number;
  /** Without read_all_orders Shopify only returns the last 60 days of orders. */
  hasAllOrdersAccess: boolean;
}

/** Everything the Sync page shows, all scoped to one shop. */
export async function getSyncStatus(shopDomain: string): Promise<SyncStatus> {
  const { sql } = getDatabase();
  const { rows: shops } = await sql.query<{ id: number; scopes: string }>(
    `SELECT id, scopes FROM shop WHERE domain = $1`,
    [shopDomain],
  );
  const shop = shops[0];
  const backfill = await getImportProgress(sql, shop?.id ?? -1);
  const { rows: topics } = await sql.query<{ topic: string; received_at: Date }>(
    `SELECT topic, max(received_at) AS received_at FROM webhook_inbox WHERE shop_id IN (0, (SELECT id FROM shop WHERE domain = $1)) AND shop_domain = $1
     GROUP BY topic ORDER BY topic`,
    [shopDomain],
  );
  const { rows: backlog } = await sql.query<{ pending: string; failed: string }>(
    `SELECT count(*) FILTER (WHERE status IN ('pending', 'processing'))::text AS pending,
            count(*) FILTER (WHERE status = 'failed')::text AS failed
     FROM webhook_inbox WHERE shop_id IN (0, (SELECT id FROM shop WHERE domain = $1)) AND shop_domain = $1`,
    [shopDomain],
  );
  const deadLetterCount = await countDeadLetters(sql, shopDomain);
  return {
    backfill,
    lastWebhookByTopic: topics.map((row) => ({
      topic: row.topic,
      receivedAt: new Date(row.received_at).toISOString(),
    })),
    backlog: { pending: Number(backlog[0]?.pending ?? 0), failed: Number(backlog[0]?.failed ?? 0) },
    deadLetterCount,
    hasAllOrdersAccess: (shop?.scopes ?? "").split(",").includes("read_all_orders"),
  };
}

/** The shop's latest backfill, one row per resource, with its overall share done and time left. */
export async function getImportProgress(
  sql: SqlQueryable,
  shopId: number,
): Promise<ImportProgress> {
  const { rows } = await sql.query<{
    resource: string;
    status: BackfillStatus;
    object_count: number;
    lines_committed: number;
    elapsed_seconds: number | null;
  }>(
    `SELECT DISTINCT ON (resource) resource, status, object_count, lines_committed,
            CASE WHEN status = 'loading'
                 THEN EXTRACT(EPOCH FROM (updated_at - loading_started_at))::float END AS elapsed_seconds
     FROM sync_job WHERE shop_id = $1 AND kind = 'backfill'
     ORDER BY resource, id DESC`,
    [shopId],
  );
  const byImportOrder = [...rows].sort((a, b) => importOrder(a.resource) - importOrder(b.resource));
  const jobs = byImportOrder.map((job) => ({
    resource: job.resource,
    status: job.status,
    objectCount: job.object_count,
    linesCommitted: job.lines_committed,
    percent: job.status === "done" ? 100 : percentOf(job.lines_committed, job.object_count),
    etaSeconds: estimateSeconds(job.lines_committed, job.object_count, job.elapsed_seconds),
  }));
  const statuses = jobs.map((job) => job.status);
  const state =
    jobs.length === 0
      ? "notStarted"
      : statuses.includes("failed")
        ? "failed"
        : statuses.every((status) => status === "done")
          ? "done"
          : "running";
  const percent =
    jobs.length === 0
      ? 0
      : Math.floor(jobs.reduce((sum, job) => sum + job.percent, 0) / jobs.length);
  const etaSeconds = jobs.find((job) => job.etaSeconds !== null)?.etaSeconds ?? null;
  return { state, jobs, percent, etaSeconds };
}

const importOrder = (resource: string) =>
  BACKFILL_RESOURCES.indexOf(resource as (typeof BACKFILL_RESOURCES)[number]);

const percentOf = (done: number, total: number) =>
  total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 0;

export function estimateSeconds(
  done: number,
  total: number,
  elapsedSeconds: number | null,
): number | null {
  if (elapsedSeconds === null || done <= 0 || total <= done) return null;
  return Math.round(((total - done) * elapsedSeconds) / done);
}
