import { describe, expect, it } from "vitest";
import { JOBS } from "~/jobs/registry";
import { listPartitions, maintainPartitions } from "~/lib/partitions/partition-maintenance.server";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { pixelEventPartitions } from "./pixel-retention";

const { sql } = await migratedTestDatabase();
const DAY = 86_400_000;
const NOW = new Date("2026-12-01T12:00:00Z");
const partitionOf = (daysAgo: number) =>
  `pixel_event_p${new Date(NOW.getTime() - daysAgo * DAY).toISOString().slice(0, 10).replaceAll("-", "")}`;

/** A product view of shop 1 on the day `daysAgo` before NOW. */
async function view(id: string, daysAgo: number) {
  await sql.query(
    `INSERT INTO pixel_event (shop_id, event_id, occurred_at, client_id, name)
     VALUES (1, $1, $2::timestamp, 'client', 'product_viewed')`,
    [id, new Date(NOW.getTime() - daysAgo * DAY).toISOString()],
  );
}

/** Rows deleted from pixel_event's partitions as the statistics count them. */
async function rowsDeleted(): Promise<number> {
  await sql.query(`SELECT pg_stat_force_next_flush()`);
  await sql.query(`SELECT pg_stat_clear_snapshot()`);
  const { rows } = await sql.query<{ n: string }>(
    `SELECT coalesce(sum(n_tup_del), 0)::text AS n FROM pg_stat_user_tables
     WHERE relname LIKE 'pixel_event%'`,
  );
  return Number(rows[0]?.n ?? 0);
}

describe("pixel event retention", () => {
  it("drops each day past retention as one partition, deleting no row and keeping the newer days", async () => {
    await truncateAppTables();
    // GIVEN the hourly job having run on each of the 93 days before NOW (with a longer
    // retention then), and views 92, 91 and 89 days ago
    for (let daysAgo = 93; daysAgo > 0; daysAgo--) {
      await maintainPartitions(
        sql,
        [pixelEventPartitions(365)],
        new Date(NOW.getTime() - daysAgo * DAY),
      );
    }
    await view("old-1", 92);
    await view("old-2", 91);
    await view("kept", 89);
    const deletedBefore = await rowsDeleted();

    // WHEN it runs at NOW with the default 90 days
    const changes = await maintainPartitions(sql, [pixelEventPartitions(90)], NOW);

    // THEN the days more than 90 days back are gone whole, the rest stays
    expect(changes.dropped).toEqual([partitionOf(93), partitionOf(92), partitionOf(91)]);
    const partitions = await listPartitions(sql, "pixel_event");
    expect(partitions).not.toContain(partitionOf(91));
    expect(partitions).toEqual(
      expect.arrayContaining([partitionOf(90), partitionOf(0), partitionOf(-2)]),
    );
    expect(await rowsDeleted()).toBe(deletedBefore);
    const { rows } = await sql.query<{ event_id: string; partition: string }>(
      `SELECT event_id, tableoid::regclass::text AS partition FROM pixel_event`,
    );
    expect(rows).toEqual([{ event_id: "kept", partition: partitionOf(89) }]);
  });

  it("is maintained by the scheduled partition job, with the configured retention", async () => {
    await truncateAppTables();
    const now = new Date();
    const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);
    const name = (at: Date) => `pixel_event_p${at.toISOString().slice(0, 10).replaceAll("-", "")}`;
    // GIVEN a partition made 40 days ago, and a view stored while no partition of its day existed
    await maintainPartitions(sql, [pixelEventPartitions(90)], daysAgo(40));
    await sql.query(
      `INSERT INTO pixel_event (shop_id, event_id, occurred_at, client_id, name)
       VALUES (1, 'late', $1::timestamp, 'client', 'page_viewed')`,
      [daysAgo(5).toISOString()],
    );
    // WHEN the registry's job runs with PIXEL_RETENTION_DAYS at 30
    const job = JOBS.find((candidate) => candidate.name === "event-partitions");
    if (job?.kind !== "scheduled") throw new Error("no scheduled partition job");
    await job.run({
      sql,
      settings: {
        passMs: 1000,
        reconcileIntervalMinutes: 60,
        inboxRetentionDays: 7,
        inboxWorkers: 1,
        pixelRetentionDays: 30,
      },
      isRunning: () => true,
      transportFor: () => {
        throw new Error("no Admin API here");
      },
    });
    // THEN the day 40 days back is dropped, today's partitions are made, the view has its day's
    const partitions = await listPartitions(sql, "pixel_event");
    expect(partitions).not.toContain(name(daysAgo(40)));
    expect(partitions).toEqual(expect.arrayContaining([name(now), name(daysAgo(5))]));
    const { rows } = await sql.query<{ partition: string }>(
      `SELECT tableoid::regclass::text AS partition FROM pixel_event`,
    );
    expect(rows).toEqual([{ partition: name(daysAgo(5)) }]);
  });
});
