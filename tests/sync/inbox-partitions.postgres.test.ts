import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { poolSqlClient, type SqlClient } from "~/lib/database-adapter.server";
import { applyMigrations } from "~/lib/migrations.server";
import { maintainPartitions } from "~/lib/partitions/partition-maintenance.server";
import { claimInboxEvents } from "~/services/sync/inbox-queue.server";
import { inboxPartitions } from "~/services/sync/inbox-retention.server";
import {
  createScratchPostgresDatabase,
  openScratchPool,
  postgresUnavailableReason,
} from "../helpers/scratch-postgres";

// The inbox on PostgreSQL 15 with ten days of applied deliveries: a claim probes only the
// runnable rows of each day's partition, and the purge of expired days drops their partitions
// (no row deleted, the other days' rows untouched), timed against deleting the same rows.
const unavailable = await postgresUnavailableReason();
if (unavailable) console.warn(`skipping inbox partition tests: ${unavailable}`);

const DAY = 86_400_000;
const DAYS = 10;
const DONE_PER_DAY = Number(process.env.INBOX_PARTITION_ROWS ?? 20_000);
const PENDING = 300;
const isoDay = (at: Date) => at.toISOString().slice(0, 10);

describe.skipIf(Boolean(unavailable))("partitioned inbox on PostgreSQL", () => {
  let scratch: Awaited<ReturnType<typeof createScratchPostgresDatabase>>;
  let pool: ReturnType<typeof openScratchPool>;
  let sql: SqlClient;
  const now = new Date();

  /** Per inbox partition: rows deleted, sequential and index scans (one connection: exact). */
  async function tableStats() {
    await sql.query(`SELECT pg_stat_force_next_flush()`);
    await sql.query(`SELECT pg_stat_clear_snapshot()`);
    const { rows } = await sql.query<{
      name: string;
      deleted: string;
      seq: string;
      idx: string;
      live: string;
    }>(
      `SELECT relname AS name, n_tup_del::text AS deleted, seq_scan::text AS seq,
              coalesce(idx_scan, 0)::text AS idx, n_live_tup::text AS live
       FROM pg_stat_user_tables WHERE relname LIKE 'webhook_inbox_%' ORDER BY relname`,
    );
    return new Map(rows.map((row) => [row.name, row]));
  }

  beforeAll(async () => {
    scratch = await createScratchPostgresDatabase();
    pool = openScratchPool(scratch.url, 1);
    sql = poolSqlClient(pool);
    await applyMigrations(sql);
    // GIVEN the partitions the job made over the last ten days, each day holding applied
    // deliveries, and deliveries waiting in today's
    for (let daysAgo = DAYS; daysAgo >= 0; daysAgo--) {
      await maintainPartitions(sql, [inboxPartitions(30)], new Date(now.getTime() - daysAgo * DAY));
    }
    for (let daysAgo = DAYS; daysAgo >= 0; daysAgo--) {
      await sql.query(
        `INSERT INTO webhook_inbox (shop_id, partition_day, shop_domain, topic, webhook_id, payload,
           status, processed_at)
         SELECT 1, $1::date, 'bench.myshopify.com', 'orders/create', $1 || '-' || n,
           repeat('x', 400), 'done', now()
         FROM generate_series(1, $2) n`,
        [isoDay(new Date(now.getTime() - daysAgo * DAY)), DONE_PER_DAY],
      );
    }
    await sql.query(
      `INSERT INTO webhook_inbox (shop_id, shop_domain, topic, webhook_id, payload)
       SELECT 1, 'bench.myshopify.com', 'orders/create', 'pending-' || n, '{}'
       FROM generate_series(1, $1) n`,
      [PENDING],
    );
    await sql.query(`ANALYZE webhook_inbox`);
  }, 180_000);

  afterAll(async () => {
    await pool?.end();
    await scratch?.drop();
  });

  it("claims by index in each partition: no partition holding rows is scanned whole", async () => {
    const before = await tableStats();
    const claimed = await claimInboxEvents(sql, 100);
    const after = await tableStats();
    expect(claimed).toHaveLength(100);
    const scannedWhole = [...after.values()]
      .filter((table) => Number(table.live) > 0)
      .filter((table) => Number(table.seq) > Number(before.get(table.name)?.seq ?? 0))
      .map((table) => table.name);
    expect(scannedWhole).toEqual([]);
  });

  it("purges expired days by dropping their partitions: no row deleted, the other days untouched", async () => {
    const before = await tableStats();
    const expired = [DAYS, DAYS - 1, DAYS - 2].map(
      (daysAgo) =>
        `webhook_inbox_p${isoDay(new Date(now.getTime() - daysAgo * DAY)).replaceAll("-", "")}`,
    );
    const kept = await sql.query<{ partition: string; rows: string; xmins: string }>(
      `SELECT tableoid::regclass::text AS partition, count(*)::text AS rows,
              sum(xmin::text::bigint)::text AS xmins
       FROM webhook_inbox WHERE NOT (tableoid::regclass::text = ANY($1::text[]))
       GROUP BY 1 ORDER BY 1`,
      [expired],
    );

    // WHEN the job runs with a 7-day retention
    const started = performance.now();
    const changes = await maintainPartitions(sql, [inboxPartitions(7)], now);
    const dropMs = performance.now() - started;

    // THEN the three expired days' tables are gone, nothing was deleted row by row anywhere,
    // and every other partition holds the same row versions as before
    expect(changes.dropped).toEqual(expired);
    const { rows: left } = await sql.query<{ name: string | null }>(
      `SELECT to_regclass(name)::text AS name FROM unnest($1::text[]) name`,
      [expired],
    );
    expect(left.map((row) => row.name)).toEqual([null, null, null]);
    const after = await tableStats();
    for (const [name, table] of after) {
      expect(Number(table.deleted), name).toBe(Number(before.get(name)?.deleted ?? 0));
    }
    expect(
      (
        await sql.query(
          `SELECT tableoid::regclass::text AS partition, count(*)::text AS rows,
                  sum(xmin::text::bigint)::text AS xmins
           FROM webhook_inbox GROUP BY 1 ORDER BY 1`,
        )
      ).rows,
    ).toEqual(kept.rows);

    // For comparison: the same number of rows deleted one by one, as the purge did before.
    const deleteStarted = performance.now();
    await sql.query(
      `DELETE FROM webhook_inbox WHERE status = 'done' AND partition_day <= $1::date`,
      [isoDay(new Date(now.getTime() - (DAYS - 3) * DAY))],
    );
    await sql.query(
      `DELETE FROM webhook_inbox WHERE status = 'done' AND partition_day = $1::date`,
      [isoDay(new Date(now.getTime() - (DAYS - 4) * DAY))],
    );
    await sql.query(
      `DELETE FROM webhook_inbox WHERE status = 'done' AND partition_day = $1::date`,
      [isoDay(new Date(now.getTime() - (DAYS - 5) * DAY))],
    );
    const deleteMs = performance.now() - deleteStarted;
    console.log(
      `inbox purge of ${3 * DONE_PER_DAY} applied rows (3 days): partitions dropped in ${dropMs.toFixed(1)} ms;`,
      `the same number of rows deleted row by row in ${deleteMs.toFixed(1)} ms`,
    );
  });
});
