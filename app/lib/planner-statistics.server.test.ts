import { describe, expect, it } from "vitest";
import { migratedTestDatabase } from "../../tests/helpers/test-database";
import { analyzeGrownTables } from "./planner-statistics.server";

const { sql } = await migratedTestDatabase();

const estimatedRows = async (table: string) =>
  (
    await sql.query<{ reltuples: number }>(
      `SELECT reltuples::int AS reltuples FROM pg_class WHERE oid = to_regclass($1)`,
      [table],
    )
  ).rows[0]?.reltuples;

describe("planner statistics", () => {
  it("analyzes a table that was filled or grew since its statistics, and leaves the others", async () => {
    // GIVEN a table filled after its creation, never analyzed
    await sql.exec(`
      CREATE TABLE test_grown (shop_id int NOT NULL, id int NOT NULL, note text);
      INSERT INTO test_grown SELECT 1, g, repeat('x', 50) FROM generate_series(1, 2000) g;
      CREATE TABLE test_unchanged (shop_id int NOT NULL, id int NOT NULL);`);
    expect(await estimatedRows("test_grown")).toBe(-1);
    // WHEN the job runs
    const first = await analyzeGrownTables(sql);
    // THEN the filled table has its statistics, and the empty one was not analyzed
    expect(first).toContain("public.test_grown");
    expect(first).not.toContain("public.test_unchanged");
    expect(await estimatedRows("test_grown")).toBe(2000);
    // AND a second run with nothing grown analyzes nothing
    expect(await analyzeGrownTables(sql)).toEqual([]);
    // AND once the table has doubled, the next run analyzes it again
    await sql.exec(
      `INSERT INTO test_grown SELECT 1, g, repeat('x', 50) FROM generate_series(2001, 4000) g`,
    );
    expect(await analyzeGrownTables(sql)).toEqual(["public.test_grown"]);
    expect(await estimatedRows("test_grown")).toBe(4000);
  });
});
