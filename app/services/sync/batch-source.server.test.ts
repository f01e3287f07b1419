import { describe, expect, it } from "vitest";
import { migratedTestDatabase } from "../../../tests/helpers/test-database";
import { batchColumns, jsonBatches, stagedBatches } from "./batch-source.server";

const { sql } = await migratedTestDatabase();

interface Row {
  id: bigint;
  name: string | null;
  tags: string[];
}
const rows = batchColumns<Row>("batch_source_test", [
  ["id", "bigint"],
  ["name", "text"],
  ["tags", "text[]"],
]);
// $1 is the shop in a writer's statement; the relation's own parameters follow it.
const read = (from: string) =>
  `SELECT x.id::text AS id, x.name, x.tags FROM ${from} WHERE $1::int = 1 ORDER BY 1`;

describe("batch sources", () => {
  it("give a writer's statement the same relation from JSON and from a COPY staging table", async () => {
    const batch: Row[] = [
      { id: 9_223_372_036_854_775_807n, name: "Tab\there", tags: ['say "hi"', "a,b"] },
      { id: 2n, name: null, tags: [] },
    ];
    const json = await jsonBatches.relation(rows, batch);
    const fromJson = await sql.query(read(json.from), [1, ...json.params]);
    const fromCopy = await sql.transaction(async (tx) => {
      const staged = await stagedBatches(tx).relation(rows, batch);
      return tx.query(read(staged.from), [1, ...staged.params]);
    });
    expect(fromCopy.rows).toEqual(fromJson.rows);
    expect(fromCopy.rows).toEqual([
      { id: "2", name: null, tags: [] },
      { id: "9223372036854775807", name: "Tab\there", tags: ['say "hi"', "a,b"] },
    ]);
  });

  it("stage only the latest batch when one transaction stages the same kind twice", async () => {
    const counts = await sql.transaction(async (tx) => {
      const source = stagedBatches(tx);
      const first = await source.relation(rows, [
        { id: 1n, name: "a", tags: [] },
        { id: 2n, name: "b", tags: [] },
      ]);
      const firstCount = await tx.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM ${first.from}`,
      );
      const second = await source.relation(rows, [{ id: 3n, name: "c", tags: [] }]);
      const secondRows = await tx.query<{ id: string }>(
        `SELECT x.id::text AS id FROM ${second.from}`,
      );
      return [firstCount.rows[0]?.n, secondRows.rows.map((row) => row.id)];
    });
    expect(counts).toEqual([2, ["3"]]);
  });
});
