import pg from "pg";
import { poolSqlClient, type SqlClient } from "../app/lib/database-adapter.server";
import { maintainPartitions } from "../app/lib/partitions/partition-maintenance.server";
import { claimInboxEvents } from "../app/services/sync/inbox-queue.server";
import { inboxPartitions } from "../app/services/sync/inbox-retention.server";
import { percentile, scratchDatabase } from "./lib/postgres";

const DAY = 86_400_000;
const DAYS = 10;
const EXPIRED_DAYS = 3;
const CLAIMS = 30;
/** The inbox worker's batch (processInboxBatch). */
const CLAIM_BATCH = 500;
const isoDay = (at: Date) => at.toISOString().slice(0, 10);

/**
 * The webhook inbox partitioned by day against the same rows in one table (the layout before
 * partitioning), on a scratch database: eleven days of applied deliveries (`rowsPerDay` each)
 * and a backlog waiting in today's. Prints the claim's latency on both, and the purge of the
 * three expired days: partitions dropped versus rows deleted by the previous row-by-row purge,
 * with the rows each deleted as the statistics count them.
 */
export async function benchInboxPartitions(rowsPerDay: number) {
  const database = await scratchDatabase();
  const now = new Date();
  const connect = (searchPath: string) =>
    new pg.Pool({
      connectionString: database.url,
      max: 1,
      options: `-c TimeZone=UTC -c search_path=${searchPath}`,
    });
  const partitionedPool = connect("public");
  const unpartitionedPool = connect("unpartitioned,public");
  const partitioned = poolSqlClient(partitionedPool);
  const unpartitioned = poolSqlClient(unpartitionedPool);
  try {
    // The partitions the hourly job made over those days.
    for (let daysAgo = DAYS; daysAgo >= 0; daysAgo--) {
      await maintainPartitions(
        partitioned,
        [inboxPartitions(30)],
        new Date(now.getTime() - daysAgo * DAY),
      );
    }
    for (let daysAgo = DAYS; daysAgo >= 0; daysAgo--) {
      const day = isoDay(new Date(now.getTime() - daysAgo * DAY));
      await partitioned.query(
        `INSERT INTO webhook_inbox (shop_id, partition_day, shop_domain, topic, webhook_id, payload,
           status, received_at, processed_at)
         SELECT 1, $1::date, 'bench.myshopify.com', 'orders/create', $1 || '-' || n, repeat('x', 200),
           'done', $1::timestamp, $1::timestamp
         FROM generate_series(1, $2) n`,
        [day, rowsPerDay],
      );
    }
    await partitioned.query(
      `INSERT INTO webhook_inbox (shop_id, shop_domain, topic, webhook_id, payload)
       SELECT 1, 'bench.myshopify.com', 'orders/create', 'pending-' || n, '{}'
       FROM generate_series(1, $1) n`,
      [CLAIMS * CLAIM_BATCH],
    );
    // The layout before partitioning, holding the same rows.
    await partitioned.exec(`
      CREATE SCHEMA unpartitioned;
      CREATE TABLE unpartitioned.webhook_inbox (LIKE public.webhook_inbox INCLUDING DEFAULTS);
      INSERT INTO unpartitioned.webhook_inbox SELECT * FROM public.webhook_inbox;
      ALTER TABLE unpartitioned.webhook_inbox ADD PRIMARY KEY (id);
      CREATE UNIQUE INDEX ON unpartitioned.webhook_inbox (webhook_id);
      CREATE INDEX ON unpartitioned.webhook_inbox (status, id);
      CREATE INDEX ON unpartitioned.webhook_inbox (shop_domain, topic, received_at);
      ANALYZE public.webhook_inbox;
      ANALYZE unpartitioned.webhook_inbox;`);

    const claimMs = async (sql: SqlClient) => {
      const times: number[] = [];
      for (let i = 0; i < CLAIMS; i++) {
        const started = performance.now();
        await claimInboxEvents(sql, CLAIM_BATCH);
        times.push(performance.now() - started);
      }
      return times.sort((a, b) => a - b);
    };
    const claimPartitioned = await claimMs(partitioned);
    const claimUnpartitioned = await claimMs(unpartitioned);

    const cutoff = new Date(now.getTime() - (DAYS - EXPIRED_DAYS + 1) * DAY);
    const deleted = async (sql: SqlClient, schema: string) => {
      await sql.query(`SELECT pg_stat_force_next_flush()`);
      await sql.query(`SELECT pg_stat_clear_snapshot()`);
      const { rows } = await sql.query<{ n: string }>(
        `SELECT coalesce(sum(n_tup_del), 0)::text AS n FROM pg_stat_user_tables
         WHERE schemaname = $1 AND relname LIKE 'webhook_inbox%'`,
        [schema],
      );
      return Number(rows[0]?.n ?? 0);
    };
    let started = performance.now();
    const dropped = await maintainPartitions(partitioned, [inboxPartitions(7)], now);
    const dropMs = performance.now() - started;
    const droppedDeletes = await deleted(partitioned, "public");
    // The purge before partitioning (5,000 rows a statement, applied before the cutoff).
    started = performance.now();
    let purged = 0;
    for (;;) {
      const { rows } = await unpartitioned.query<{ n: number }>(
        `WITH gone AS (
           DELETE FROM webhook_inbox WHERE id IN (
             SELECT id FROM webhook_inbox
             WHERE status = 'done' AND processed_at < $1::timestamptz AT TIME ZONE 'UTC' LIMIT 5000)
           RETURNING 1)
         SELECT count(*)::int AS n FROM gone`,
        [cutoff.toISOString()],
      );
      purged += rows[0]?.n ?? 0;
      if ((rows[0]?.n ?? 0) < 5000) break;
    }
    const deleteMs = performance.now() - started;
    const rowDeletes = await deleted(unpartitioned, "unpartitioned");

    return {
      rowsPerDay,
      partitions: (
        await partitioned.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'public.webhook_inbox'::regclass`,
        )
      ).rows[0]?.n,
      "claim 500 p50 ms (partitioned)": round(percentile(claimPartitioned, 50)),
      "claim 500 p99 ms (partitioned)": round(percentile(claimPartitioned, 99)),
      "claim 500 p50 ms (one table)": round(percentile(claimUnpartitioned, 50)),
      "claim 500 p99 ms (one table)": round(percentile(claimUnpartitioned, 99)),
      "purge: partitions dropped": dropped.dropped.length,
      "purge by drop ms": round(dropMs),
      "rows deleted (drop)": droppedDeletes,
      "purge by DELETE ms": round(deleteMs),
      "rows deleted (DELETE)": rowDeletes,
      "rows purged by DELETE": purged,
    };
  } finally {
    await partitionedPool.end();
    await unpartitionedPool.end();
    await database.drop();
  }
}

const round = (ms: number) => Math.round(ms * 10) / 10;
