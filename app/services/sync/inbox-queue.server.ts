import type { SqlClient, SqlQueryable } from "~/lib/database-adapter.server";

export interface InboxEvent {
  id: string;
  shopDomain: string;
  topic: string;
  webhookId: string;
  payload: string;
  attempts: number;
  triggeredAt: Date | null;
  receivedAt: Date;
}

/** After this many failed attempts an event is dead-lettered for the merchant to inspect. */
export const MAX_ATTEMPTS = 8;
/** A claimed event whose worker died is handed out again once its lock lapses. */
export const CLAIM_LOCK_SECONDS = 60;

/**
 * Claims up to `limit` runnable events for this worker. SKIP LOCKED lets any number of
 * workers claim concurrently without blocking each other or taking the same event.
 */
export async function claimInboxEvents(
  sql: SqlClient,
  limit: number,
  lockSeconds = CLAIM_LOCK_SECONDS,
): Promise<InboxEvent[]> {
  const { rows } = await sql.query<{
    id: string;
    shop_domain: string;
    topic: string;
    webhook_id: string;
    payload: string;
    attempts: number;
    triggered_at: Date | null;
    received_at: Date;
  }>(
    `UPDATE webhook_inbox w
     SET status = 'processing', attempts = w.attempts + 1,
         locked_until = now() + make_interval(secs => $2)
     WHERE w.id IN (
       SELECT id FROM webhook_inbox
       WHERE (status IN ('pending', 'failed') AND run_after <= now())
          OR (status = 'processing' AND locked_until < now())
       ORDER BY id
       LIMIT $1
       FOR UPDATE SKIP LOCKED)
     RETURNING w.id::text, w.shop_domain, w.topic, w.webhook_id, w.payload, w.attempts, w.triggered_at, w.received_at`,
    [limit, lockSeconds],
  );
  return rows
    .map((row) => ({
      id: row.id,
      shopDomain: row.shop_domain,
      topic: row.topic,
      webhookId: row.webhook_id,
      payload: row.payload,
      attempts: row.attempts,
      triggeredAt: row.triggered_at ? new Date(row.triggered_at) : null,
      receivedAt: new Date(row.received_at),
    }))
    .sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
}

export async function markEventsDone(sql: SqlQueryable, ids: readonly string[], note?: string) {
  if (ids.length === 0) return;
  await sql.query(
    `UPDATE webhook_inbox SET status = 'done', processed_at = now(), locked_until = NULL, last_error = $2
     WHERE id = ANY($1::bigint[])`,
    [ids, note ?? null],
  );
}

/**
 * Data that can never apply (malformed body, a value that cannot be stored): dead at once,
 * kept for inspection. `reason` is what the merchant reads; `detail` what support reads.
 */
export async function markEventsDead(
  sql: SqlQueryable,
  ids: readonly string[],
  reason: string,
  detail: string = reason,
) {
  if (ids.length === 0) return;
  await sql.query(
    `UPDATE webhook_inbox SET status = 'dead', locked_until = NULL, last_error = $2, dead_reason = $3
     WHERE id = ANY($1::bigint[])`,
    [ids, detail.slice(0, 2000), reason.slice(0, 2000)],
  );
}

export const GAVE_UP_REASON = `Rekindle tried to save this update ${MAX_ATTEMPTS} times without success and stopped trying. Retry it; if it fails again, contact support.`;

/** A transient failure: retry with exponential backoff, dead-letter after MAX_ATTEMPTS. */
export async function markEventsFailed(sql: SqlQueryable, ids: readonly string[], error: string) {
  if (ids.length === 0) return;
  await sql.query(
    `UPDATE webhook_inbox
     SET status = CASE WHEN attempts >= $3 THEN 'dead' ELSE 'failed' END,
         dead_reason = CASE WHEN attempts >= $3 THEN $4 END,
         run_after = now() + make_interval(secs => least(power(2, attempts)::int, 3600)),
         locked_until = NULL, last_error = $2
     WHERE id = ANY($1::bigint[])`,
    [ids, error.slice(0, 2000), MAX_ATTEMPTS, GAVE_UP_REASON],
  );
}

/**
 * The merchant's "retry" on dead letters: the named ones, or every one of the shop's when
 * `ids` is "all". Returns how many were queued again.
 */
export async function retryDeadEvents(
  sql: SqlQueryable,
  shopDomain: string,
  ids: readonly string[] | "all",
) {
  const { rows } = await sql.query<{ id: string }>(
    `UPDATE webhook_inbox
     SET status = 'pending', attempts = 0, run_after = now(), last_error = NULL, dead_reason = NULL
     WHERE shop_domain = $1 AND status = 'dead' AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))
     RETURNING id::text`,
    [shopDomain, ids === "all" ? null : ids],
  );
  return rows.length;
}
