import type { SqlClient, SqlQueryable } from "~/lib/database-adapter.server";
import { message, type Message } from "~/i18n/message";

/**
 * Where a claimed event's row is: the inbox's whole primary key. Settling by it lets each
 * update find its row through the primary-key index of its day's partition. By `id` alone
 * the planner has no unique index to rely on (on a partitioned table one must include the
 * partition key) and, on a partition not yet analyzed, scans the whole partition per batch.
 */
export interface InboxRowKey {
  shopId: string;
  id: string;
  partitionDay: string;
}

export interface InboxEvent extends InboxRowKey {
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
  const { rows } = await withoutCommitFlush(sql, async (tx) => {
    // The probes below must walk the index in order and stop after `limit` rows. A bitmap
    // scan reads every row of the status and sorts them; the planner picks it when its
    // statistics say the status is rare, as they do while a backlog builds up faster than
    // autovacuum re-analyzes, and each claim then costs the whole backlog.
    await tx.query("SET LOCAL enable_bitmapscan = off");
    return tx.query<{
      shop_id: string;
      id: string;
      partition_day: string;
      shop_domain: string;
      topic: string;
      webhook_id: string;
      payload: string;
      attempts: number;
      triggered_at: Date | null;
      received_at: Date;
    }>(
      // One ordered, limited probe per runnable status on the (status, id) index, merged by id:
      // each reads only rows of its status from the oldest on, however many done rows the
      // inbox keeps (one scan for the three statuses walked the whole inbox in id order, done
      // rows included, on every claim). `status = ANY('{…}')` rather than `=` keeps `status` in
      // the sort order the probe asks for, so only that index serves it whatever the
      // statistics say; with `=`, a table analyzed while full of pending rows was probed in
      // primary-key order through the done ones. A probe may lock rows the merge leaves out;
      // the claim's transaction ends at once and they are claimable again.
      `/* across shops: workers claim every shop's deliveries in arrival order */
       WITH pending AS (
         SELECT shop_id, id, partition_day FROM webhook_inbox
         WHERE status = ANY('{pending}') AND run_after <= now()
         ORDER BY status, id LIMIT $1 FOR UPDATE SKIP LOCKED),
       failed AS (
         SELECT shop_id, id, partition_day FROM webhook_inbox
         WHERE status = ANY('{failed}') AND run_after <= now()
         ORDER BY status, id LIMIT $1 FOR UPDATE SKIP LOCKED),
       lapsed AS (
         SELECT shop_id, id, partition_day FROM webhook_inbox
         WHERE status = ANY('{processing}') AND locked_until < now()
         ORDER BY status, id LIMIT $1 FOR UPDATE SKIP LOCKED),
       claimed AS (
         SELECT * FROM (SELECT * FROM pending UNION ALL SELECT * FROM failed UNION ALL SELECT * FROM lapsed) runnable
         ORDER BY id
         LIMIT $1)
     UPDATE webhook_inbox w
     SET status = 'processing', attempts = w.attempts + 1,
         locked_until = now() + make_interval(secs => $2)
     FROM claimed c
     WHERE w.shop_id = c.shop_id AND w.id = c.id AND w.partition_day = c.partition_day
     RETURNING w.shop_id::text, w.id::text, w.partition_day::text, w.shop_domain, w.topic,
       w.webhook_id, w.payload, w.attempts, w.triggered_at, w.received_at`,
      [limit, lockSeconds],
    );
  });
  return rows
    .map((row) => ({
      shopId: row.shop_id,
      id: row.id,
      partitionDay: row.partition_day,
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

/**
 * Runs `work` in a transaction whose COMMIT returns before its WAL reaches disk
 * (`synchronous_commit = off`), sparing the apply path one disk flush per claim and per
 * batch. Only the database server crashing can lose such a commit (the last ~0.6 s of them;
 * a worker process dying cannot), and it loses them whole and in order, as if they had
 * rolled back. That is safe for claims and applied batches because:
 * - every delivery was acknowledged to Shopify only after its inbox row committed with a
 *   synchronous commit, so the delivery itself is never lost;
 * - a lost claim leaves the row pending, and a lost apply leaves it pending or processing
 *   until its lock lapses: it is claimed and applied again, and the writers are idempotent
 *   (newest `updated_at` wins, line items replaced, refunds first-copy-wins, dirty marks
 *   ON CONFLICT DO NOTHING), so the second apply stores the same rows;
 * - a later synchronous commit flushes the WAL up to itself, earlier asynchronous commits
 *   included, so anything durable derived from applied data (metrics, win-back actions)
 *   never outlives the data it was derived from.
 * Receipt (the inbox insert), dead letters and compliance requests keep synchronous commits.
 */
export function withoutCommitFlush<T>(
  sql: SqlClient,
  work: (tx: SqlQueryable) => Promise<T>,
): Promise<T> {
  return sql.transaction(async (tx) => {
    await tx.query("SET LOCAL synchronous_commit = off");
    return work(tx);
  });
}

/**
 * The rows named by a list of keys, as a FROM item `k` joined to `webhook_inbox w` by
 * BY_ROW_KEY; rowKeyParams gives its three arrays, the statement's first three parameters.
 */
export const ROW_KEYS = `unnest($1::bigint[], $2::bigint[], $3::date[]) AS k(shop_id, id, partition_day)`;
export const BY_ROW_KEY = `w.shop_id = k.shop_id AND w.id = k.id AND w.partition_day = k.partition_day`;

export function rowKeyParams(keys: readonly InboxRowKey[]): [string[], string[], string[]] {
  return [keys.map((k) => k.shopId), keys.map((k) => k.id), keys.map((k) => k.partitionDay)];
}

export async function markEventsDone(
  sql: SqlQueryable,
  keys: readonly InboxRowKey[],
  note?: string,
) {
  if (keys.length === 0) return;
  await sql.query(
    `/* across shops: the inbox queue settles what it claimed, by row key */
     UPDATE webhook_inbox w
     SET status = 'done', processed_at = now(), locked_until = NULL, last_error = $4
     FROM ${ROW_KEYS} WHERE ${BY_ROW_KEY}`,
    [...rowKeyParams(keys), note ?? null],
  );
}

/**
 * Data that can never apply (malformed body, a value that cannot be stored): dead at once,
 * kept for inspection. `reason` is what the merchant reads, as a deadReasons.* key the admin
 * words in their language; `detail` what support reads.
 */
export async function markEventsDead(
  sql: SqlQueryable,
  keys: readonly InboxRowKey[],
  reason: Message,
  detail: string,
) {
  if (keys.length === 0) return;
  await sql.query(
    `/* across shops: the inbox queue settles what it claimed, by row key */
     UPDATE webhook_inbox w
     SET status = 'dead', locked_until = NULL, last_error = $4, dead_reason = $5::jsonb
     FROM ${ROW_KEYS} WHERE ${BY_ROW_KEY}`,
    [...rowKeyParams(keys), detail.slice(0, 2000), JSON.stringify(reason)],
  );
}

export const GAVE_UP_REASON = message("deadReasons.gaveUp", { attempts: MAX_ATTEMPTS });

/** A transient failure: retry with exponential backoff, dead-letter after MAX_ATTEMPTS. */
export async function markEventsFailed(
  sql: SqlQueryable,
  keys: readonly InboxRowKey[],
  error: string,
) {
  if (keys.length === 0) return;
  await sql.query(
    `/* across shops: the inbox queue settles what it claimed, by row key */
     UPDATE webhook_inbox w
     SET status = CASE WHEN w.attempts >= $5 THEN 'dead' ELSE 'failed' END,
         dead_reason = CASE WHEN w.attempts >= $5 THEN $6::jsonb END,
         run_after = now() + make_interval(secs => least(power(2, w.attempts)::int, 3600)),
         locked_until = NULL, last_error = $4
     FROM ${ROW_KEYS} WHERE ${BY_ROW_KEY}`,
    [...rowKeyParams(keys), error.slice(0, 2000), MAX_ATTEMPTS, JSON.stringify(GAVE_UP_REASON)],
  );
}

/**
 * The merchant's "retry" on dead letters: the named ones, or every one of the shop's when
 * `ids` is "all". Returns how many were queued again. A dead letter whose day has been dropped
 * (kept in the 'infinity' partition) comes back to today's, so that once applied it is dropped
 * with today (inbox-retention.server.ts).
 */
export async function retryDeadEvents(
  sql: SqlQueryable,
  shopDomain: string,
  ids: readonly string[] | "all",
) {
  const { rows } = await sql.query<{ id: string }>(
    `UPDATE webhook_inbox
     SET status = 'pending', attempts = 0, run_after = now(), last_error = NULL, dead_reason = NULL,
         partition_day = CASE WHEN partition_day = 'infinity' THEN (now() AT TIME ZONE 'UTC')::date
                              ELSE partition_day END
     WHERE shop_id IN (0, (SELECT id FROM shop WHERE domain = $1)) AND shop_domain = $1 AND status = 'dead' AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))
     RETURNING id::text`,
    [shopDomain, ids === "all" ? null : ids],
  );
  return rows.length;
}
