import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JobRunner } from "~/jobs/job-runner.server";
import { purgeProcessedInbox } from "~/services/sync/inbox-retention.server";
import { migratedTestDatabase, truncateAppTables } from "../helpers/test-database";
import { enqueueWebhook } from "./inbox-helpers";
import { startJobRunner } from "~/jobs/job-runner.server";

const { sql } = await migratedTestDatabase();
const SHOP = "retention.myshopify.com";
const DAY = 86_400_000;
const NOW = new Date("2026-12-01T12:00:00Z");

/** A delivery in `status`, applied (when done) `daysAgo` before NOW. */
async function delivery(topic: string, status: string, daysAgo: number) {
  await enqueueWebhook(SHOP, topic, { id: 1 });
  const at = new Date(NOW.getTime() - daysAgo * DAY).toISOString();
  await sql.query(
    `UPDATE webhook_inbox SET status = $1, received_at = $2::timestamptz AT TIME ZONE 'UTC',
       processed_at = CASE WHEN $1 = 'done' THEN $2::timestamptz AT TIME ZONE 'UTC' END
     WHERE id = (SELECT max(id) FROM webhook_inbox)`,
    [status, at],
  );
}

const remaining = async () =>
  (await sql.query<{ topic: string }>(`SELECT topic FROM webhook_inbox ORDER BY id`)).rows.map(
    (row) => row.topic,
  );

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
  await delivery("orders/create", "done", 8);
  await delivery("orders/updated", "done", 6);
  await delivery("customers/update", "dead", 30);
  await delivery("products/update", "pending", 30);
  await delivery("checkouts/update", "failed", 30);
});

afterEach(async () => {
  await runner?.stop();
  runner = undefined;
});

describe("inbox retention", () => {
  it("purges applied deliveries older than the retention, keeping newer ones, dead letters and unapplied ones", async () => {
    expect(await purgeProcessedInbox(sql, 7, NOW)).toBe(1);
    expect(await remaining()).toEqual([
      "orders/updated",
      "customers/update",
      "products/update",
      "checkouts/update",
    ]);
    // A shorter retention, as configured through INBOX_RETENTION_DAYS.
    expect(await purgeProcessedInbox(sql, 5, NOW)).toBe(1);
    expect(await remaining()).not.toContain("orders/updated");
  });

  it("is run by the background runner once an hour, however often the runner passes", async () => {
    // GIVEN the runner's clock at NOW, passing every 10 ms
    let now = NOW;
    runner = startJobRunner(sql, { passMs: 10, inboxRetentionDays: 7, now: () => now });
    await until(async () => !(await remaining()).includes("orders/create"));
    // WHEN another delivery passes the retention within the hour
    await delivery("orders/paid", "done", 9);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // THEN it waits for the next hour
    expect(await remaining()).toContain("orders/paid");
    now = new Date(NOW.getTime() + 3_600_000);
    await until(async () => !(await remaining()).includes("orders/paid"));
  });

  it("is run by the background runner", async () => {
    // The runner purges against the real clock: one delivery applied 8 days ago, one yesterday.
    await sql.query(
      `UPDATE webhook_inbox SET processed_at = (now() AT TIME ZONE 'UTC') -
         CASE topic WHEN 'orders/create' THEN interval '8 days' ELSE interval '1 day' END
       WHERE status = 'done'`,
    );
    runner = startJobRunner(sql, { passMs: 10, inboxRetentionDays: 7 });
    await until(async () => !(await remaining()).includes("orders/create"));
    expect(await remaining()).toContain("orders/updated");
  });
});
