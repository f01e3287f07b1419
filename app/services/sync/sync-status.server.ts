import { getDatabase } from "~/db.server";
import { countDeadLetters } from "./dead-letters.server";

export interface BackfillProgress {
  resource: string;
  status: string;
  objectCount: number;
  linesCommitted: number;
  /** Seconds left at the rate so far; null before loading starts or once done. */
  etaSeconds: number | null;
  error: string | null;
}

export interface SyncStatus {
  backfill: BackfillProgress[];
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
  const { rows: jobs } = await sql.query<{
    resource: string;
    status: string;
    object_count: number;
    lines_committed: number;
    error: string | null;
    elapsed_seconds: number | null;
  }>(
    `SELECT DISTINCT ON (resource) resource, status, object_count, lines_committed, error,
            CASE WHEN status = 'loading' THEN EXTRACT(EPOCH FROM (updated_at - started_at))::float END AS elapsed_seconds
     FROM sync_job WHERE shop_id = $1 AND kind = 'backfill'
     ORDER BY resource, id DESC`,
    [shop?.id ?? -1],
  );
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
    backfill: jobs.map((job) => ({
      resource: job.resource,
      status: job.status,
      objectCount: job.object_count,
      linesCommitted: job.lines_committed,
      etaSeconds: estimateSeconds(job.lines_committed, job.object_count, job.elapsed_seconds),
      error: job.error,
    })),
    lastWebhookByTopic: topics.map((row) => ({
      topic: row.topic,
      receivedAt: new Date(row.received_at).toISOString(),
    })),
    backlog: { pending: Number(backlog[0]?.pending ?? 0), failed: Number(backlog[0]?.failed ?? 0) },
    deadLetterCount,
    hasAllOrdersAccess: (shop?.scopes ?? "").split(",").includes("read_all_orders"),
  };
}

export function estimateSeconds(
  done: number,
  total: number,
  elapsedSeconds: number | null,
): number | null {
  if (elapsedSeconds === null || done <= 0 || total <= done) return null;
  return Math.round(((total - done) * elapsedSeconds) / done);
}
