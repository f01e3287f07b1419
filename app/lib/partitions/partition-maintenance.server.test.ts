import { beforeAll, describe, expect, it } from "vitest";
import { migratedTestDatabase } from "../../../tests/helpers/test-database";
import { listPartitions, maintainPartitions } from "./partition-maintenance.server";
import type { PartitionedTable } from "./partitioned-table";

const { sql } = await migratedTestDatabase();

/** A table declared the way a new event table would be: a migration and this declaration. */
const PIXEL_EVENTS: PartitionedTable = {
  table: "test_pixel_event",
  column: "occurred_at",
  period: "day",
  aheadPeriods: 1,
  retainedPeriods: 2,
};

beforeAll(async () => {
  await sql.exec(`
    CREATE TABLE test_pixel_event (shop_id int NOT NULL, id bigserial, occurred_at timestamp(3) NOT NULL,
      name text NOT NULL, PRIMARY KEY (shop_id, id, occurred_at)) PARTITION BY RANGE (occurred_at);
    CREATE TABLE test_pixel_event_default PARTITION OF test_pixel_event DEFAULT;`);
});

describe("partition maintenance", () => {
  it("gives a newly declared table its partitions, files early rows, and drops expired days", async () => {
    // GIVEN events that arrived before the table had partitions (in its default partition)
    await sql.query(
      `INSERT INTO test_pixel_event (shop_id, occurred_at, name)
       VALUES (1, '2026-11-28T10:00:00', 'old'), (1, '2026-11-30T23:59:59', 'kept'), (2, '2026-12-01T00:00:00', 'today')`,
    );
    // WHEN the job runs on 2026-12-01
    const changes = await maintainPartitions(sql, [PIXEL_EVENTS], new Date("2026-12-01T08:00:00Z"));
    // THEN each day with events and the day ahead got a partition, and the day past the
    // two-day retention was dropped with its event
    expect(changes).toEqual({
      created: [
        "test_pixel_event_p20261201",
        "test_pixel_event_p20261202",
        "test_pixel_event_p20261128",
        "test_pixel_event_p20261130",
      ],
      dropped: ["test_pixel_event_p20261128"],
    });
    expect(await listPartitions(sql, "test_pixel_event")).toEqual([
      "test_pixel_event_default",
      "test_pixel_event_p20261130",
      "test_pixel_event_p20261201",
      "test_pixel_event_p20261202",
    ]);
    const { rows } = await sql.query<{ name: string; partition: string }>(
      `SELECT name, tableoid::regclass::text AS partition FROM test_pixel_event ORDER BY id`,
    );
    expect(rows).toEqual([
      { name: "kept", partition: "test_pixel_event_p20261130" },
      { name: "today", partition: "test_pixel_event_p20261201" },
    ]);
  });
});
