import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JobRunner } from "~/jobs/job-runner.server";
import { startJobRunner } from "~/jobs/job-runner.server";
import { maintainPartitions } from "~/lib/partitions/partition-maintenance.server";
import { inboxPartitions } from "~/services/sync/inbox-retention.server";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";

const { sql } = await migratedTestDatabase();
const SHOP = "retention.myshopify.com";
const DAY = 86_400_000;
const NOW = new Date("2026-12-01T12:00:00Z");

const dayBefore = (now: Date, days: number) =>
  new Date(now.getTime() - days * DAY).toISOString().slice(0, 10);

/** A delivery in `status`, stored on the (UTC) day `daysAgo` before `now`; returns its id. */
async function delivery(topic: string, status: string, daysAgo: number, now = NOW) {
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO webhook_inbox (shop_id, partition_day, shop_domain, topic, webhook_id, payload, status)
     VALUES (0, $1::date, $2, $3, $4, '{}', $5) RETURNING id::text`,
    [dayBefore(now, daysAgo), SHOP, topic, randomUUID(), status],
  );
  return rows[0]?.id ?? "";
}

const remaining = async () =>
  (await sql.query<{ topic: string }>(`SELECT topic FROM webhook_inbox ORDER BY id`)).rows.map(
    (row) => row.topic,
  );

/** Rows deleted from the inbox's tables as the statistics count them. */
async function rowsDeleted(): Promise<number> {
  await sql.query(`SELECT pg_stat_force_next_flush()`);
  await sql.query(`SELECT pg_stat_clear_snapshot()`);
  const { rows } = await sql.query<{ n: string }>(
    `SELECT coalesce(sum(n_tup_del), 0)::text AS n FROM pg_stat_user_tables
     WHERE relname LIKE 'webhook_inbox%'`,
  );
  return Number(rows[0]?.n ?? 0);
}

const tableExists = async (name: string) =>
  (await sql.query<{ oid: string | null }>(`SELECT to_regclass($1)::text AS oid`, [name])).rows[0]
    ?.oid != null;

/** The partitions the hourly job made on each of the `days` days before NOW. */
async function partitionsOfPastDays(days: number) {
  for (let daysAgo = days; daysAgo > 0; daysAgo--) {
    await maintainPartitions(sql, [inboxPartitions(30)], new Date(NOW.getTime() - daysAgo * DAY));
  }
}

let runner: JobRunner | undefined;

const until = async (condition: () => Promise<boolean>, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

beforeEach(async () => {
  await truncateAppTables();
});

afterEach(async () => {
  await runner?.stop();
  runner = undefined;
});

describe("inbox retention", () => {
  it("drops each expired day as one partition: no row deleted, other days untouched, what must stay carried over", async () => {
    // GIVEN the partitions of the ten days before NOW (the job ran then), and deliveries on
    // the day 8 days ago (beyond a 7-day retention) and 6 days ago
    await partitionsOfPastDays(10);
    for (let n = 0; n < 3; n++) await delivery("orders/create", "done", 8);
    const dead = await delivery("customers/update", "dead", 8);
    const pending = await delivery("products/update", "pending", 8);
    const failed = await delivery("checkouts/update", "failed", 8);
    await delivery("orders/updated", "done", 6);
    const untouched = await sql.query<{ xmin: string; ctid: string }>(
      `SELECT xmin::text, ctid::text FROM webhook_inbox WHERE topic = 'orders/updated'`,
    );
    const deletedBefore = await rowsDeleted();
    const expiredDay = `webhook_inbox_p${dayBefore(NOW, 8).replaceAll("-", "")}`;
    expect(await tableExists(expiredDay)).toBe(true);

    // WHEN the job runs at NOW
    const changes = await maintainPartitions(sql, [inboxPartitions(7)], NOW);

    // THEN the expired days' partitions are gone, and nothing was deleted row by row
    expect(changes.dropped).toEqual([
      `webhook_inbox_p${dayBefore(NOW, 10).replaceAll("-", "")}`,
      `webhook_inbox_p${dayBefore(NOW, 9).replaceAll("-", "")}`,
      expiredDay,
    ]);
    expect(await tableExists(expiredDay)).toBe(false);
    expect(await rowsDeleted()).toBe(deletedBefore);
    // the applied deliveries of that day went with it; the newer day's row was not touched
    expect(await remaining()).toEqual([
      "customers/update",
      "products/update",
      "checkouts/update",
      "orders/updated",
    ]);
    expect(
      (
        await sql.query<{ xmin: string; ctid: string }>(
          `SELECT xmin::text, ctid::text FROM webhook_inbox WHERE topic = 'orders/updated'`,
        )
      ).rows,
    ).toEqual(untouched.rows);
    // the dead letter is kept, the unapplied ones moved to today, all with their ids
    const { rows } = await sql.query<{ id: string; status: string; partition: string }>(
      `SELECT id::text, status, tableoid::regclass::text AS partition FROM webhook_inbox
       WHERE status <> 'done' ORDER BY id`,
    );
    const today = `webhook_inbox_p${NOW.toISOString().slice(0, 10).replaceAll("-", "")}`;
    expect(rows).toEqual([
      { id: dead, status: "dead", partition: "webhook_inbox_kept" },
      { id: pending, status: "pending", partition: today },
      { id: failed, status: "failed", partition: today },
    ]);
  });

  it("keeps as many days as INBOX_RETENTION_DAYS says", async () => {
    await partitionsOfPastDays(10);
    await delivery("orders/updated", "done", 6);
    await delivery("orders/paid", "done", 5);
    await maintainPartitions(sql, [inboxPartitions(5)], NOW);
    expect(await remaining()).toEqual(["orders/paid"]);
  });

  it("creates the coming days' partitions, and gives rows that reached the default partition one of their own", async () => {
    // GIVEN a delivery for a day without a partition (it lands in the default one)
    const id = await delivery("orders/create", "done", 30, NOW);
    const stray = `webhook_inbox_p${dayBefore(NOW, 30).replaceAll("-", "")}`;
    expect(await tableExists(stray)).toBe(false);
    // WHEN the job runs 30 days before NOW with a long retention
    const then = new Date(NOW.getTime() - 30 * DAY);
    const changes = await maintainPartitions(sql, [inboxPartitions(60)], then);
    // THEN that day and the two after it have partitions, and the row is in its own
    expect(changes.created).toHaveLength(3);
    expect(changes.created).toContain(stray);
    const { rows } = await sql.query<{ partition: string }>(
      `SELECT tableoid::regclass::text AS partition FROM webhook_inbox WHERE id = $1`,
      [id],
    );
    expect(rows).toEqual([{ partition: stray }]);
    // and running again changes nothing
    expect(await maintainPartitions(sql, [inboxPartitions(60)], then)).toEqual({
      created: [],
      dropped: [],
    });
  });

  it("a dead letter kept past its day comes back to today's partition when retried", async () => {
    await partitionsOfPastDays(10);
    const dead = await delivery("customers/update", "dead", 8);
    await maintainPartitions(sql, [inboxPartitions(7)], NOW);
    const { retryDeadEvents } = await import("~/services/sync/inbox-queue.server");
    await maintainPartitions(sql, [inboxPartitions(7)]);
    expect(await retryDeadEvents(sql, SHOP, [dead])).toBe(1);
    const { rows } = await sql.query<{ partition: string; status: string }>(
      `SELECT tableoid::regclass::text AS partition, status FROM webhook_inbox WHERE id = $1`,
      [dead],
    );
    const today = new Date().toISOString().slice(0, 10).replaceAll("-", "");
    expect(rows).toEqual([{ partition: `webhook_inbox_p${today}`, status: "pending" }]);
  });

  it("is run by the background runner once an hour, however often the runner passes", async () => {
    // GIVEN a delivery applied 9 days ago (by the real clock) and the runner's clock at NOW,
    // passing every 10 ms
    await delivery("orders/create", "done", 9, new Date());
    let now = NOW;
    runner = startJobRunner(sql, { passMs: 10, inboxRetentionDays: 7, now: () => now });
    await until(async () => !(await remaining()).includes("orders/create"));
    // WHEN another delivery passes the retention within the hour
    await delivery("orders/paid", "done", 9, new Date());
    await new Promise((resolve) => setTimeout(resolve, 300));
    // THEN it waits for the next hour
    expect(await remaining()).toContain("orders/paid");
    now = new Date(NOW.getTime() + 3_600_000);
    await until(async () => !(await remaining()).includes("orders/paid"));
  });
});
