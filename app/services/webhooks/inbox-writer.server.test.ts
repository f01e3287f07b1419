import { beforeEach, describe, expect, it } from "vitest";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { inboxRow } from "../../../tests/helpers/inbox-row";
import { InboxWriter } from "./inbox-writer.server";

const database = await migratedTestDatabase();

/** A database whose statements finish when the test says so, recording each one's webhook ids. */
function slowDatabase() {
  const statements: string[][] = [];
  const finish: Array<(error?: Error) => void> = [];
  const sql: SqlQueryable = {
    query: async (_text, params) => {
      // The third of each row's parameters is its webhook id.
      statements.push((params ?? []).filter((_value, index) => index % 9 === 2) as string[]);
      await new Promise<void>((resolve, reject) =>
        finish.push((error) => (error ? reject(error) : resolve())),
      );
      return { rows: [] };
    },
    exec: async () => {},
  };
  return { sql, statements, finish };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe("InboxWriter (group commit)", () => {
  it("GIVEN deliveries written in one turn, THEN they go in one statement; those arriving while it runs go together in the next", async () => {
    const db = slowDatabase();
    const writer = new InboxWriter(db.sql, 1);
    const first = ["a", "b"].map((id) => writer.write(inboxRow(id)));
    await nextTurn();
    const rest = ["c", "d", "e"].map((id) => writer.write(inboxRow(id)));
    await nextTurn();
    expect(db.statements).toEqual([["a", "b"]]);
    db.finish[0]?.();
    await Promise.all(first);
    await nextTurn();
    expect(db.statements).toEqual([
      ["a", "b"],
      ["c", "d", "e"],
    ]);
    db.finish[1]?.();
    await Promise.all(rest);
  });

  it("GIVEN two connections, THEN a second statement starts while the first is still running", async () => {
    const db = slowDatabase();
    const writer = new InboxWriter(db.sql, 2);
    const first = writer.write(inboxRow("a"));
    await nextTurn();
    const second = writer.write(inboxRow("b"));
    await nextTurn();
    const third = writer.write(inboxRow("c"));
    await nextTurn();
    expect(db.statements).toEqual([["a"], ["b"]]);
    db.finish[1]?.();
    await second;
    await nextTurn();
    expect(db.statements).toEqual([["a"], ["b"], ["c"]]);
    db.finish[0]?.();
    db.finish[2]?.();
    await Promise.all([first, third]);
  });

  it("GIVEN a burst, THEN statements hold at most 100 rows", async () => {
    const db = slowDatabase();
    const writer = new InboxWriter(db.sql, 4);
    const writes = Array.from({ length: 250 }, (_, index) => writer.write(inboxRow(`w${index}`)));
    await nextTurn();
    expect(db.statements.map((ids) => ids.length)).toEqual([100, 100, 50]);
    for (const finish of db.finish) finish();
    await Promise.all(writes);
  });

  it("settles a delivery only after its statement committed, and fails every delivery of a failed one", async () => {
    const db = slowDatabase();
    const writer = new InboxWriter(db.sql, 1);
    let settled = false;
    const first = writer.write(inboxRow("a")).then(() => (settled = true));
    await nextTurn();
    expect(settled).toBe(false);
    db.finish[0]?.();
    await first;
    expect(settled).toBe(true);

    const failing = [writer.write(inboxRow("x")), writer.write(inboxRow("y"))];
    await nextTurn();
    db.finish[1]?.(new Error("connection lost"));
    await expect(failing[0]).rejects.toThrow("connection lost");
    await expect(failing[1]).rejects.toThrow("connection lost");
    // The writer goes on after a failure.
    const after = writer.write(inboxRow("z"));
    await nextTurn();
    db.finish[2]?.();
    await after;
    expect(db.statements).toEqual([["a"], ["x", "y"], ["z"]]);
  });
});

describe("InboxWriter on the embedded database", () => {
  beforeEach(() => truncateAppTables());

  const stored = async () =>
    (
      await database.sql.query<{ webhook_id: string; payload: string; triggered_at: Date }>(
        `SELECT webhook_id, payload, triggered_at FROM webhook_inbox ORDER BY webhook_id`,
      )
    ).rows;

  it("GIVEN 60 concurrent deliveries, 10 of them redelivered in the same burst and later, THEN each is stored once", async () => {
    const writer = new InboxWriter(database.ingestSql, 1);
    const ids = Array.from({ length: 50 }, (_, index) => `w${String(index).padStart(2, "0")}`);
    await Promise.all([...ids, ...ids.slice(0, 10)].map((id) => writer.write(inboxRow(id))));
    await Promise.all(ids.slice(0, 10).map((id) => writer.write(inboxRow(id, "{}"))));
    const rows = await stored();
    expect(rows.map((row) => row.webhook_id)).toEqual(ids);
    expect(rows[0]?.payload).toBe(`{"id":"w00"}`);
    expect(rows[0]?.triggered_at).toEqual(new Date("2026-12-01T10:00:00Z"));
  });

  it("GIVEN a statement the database refuses, THEN all its deliveries fail and none is stored", async () => {
    const writer = new InboxWriter(database.ingestSql, 1);
    // PostgreSQL text cannot hold NUL: the one bad row fails its whole statement.
    const batch = [inboxRow("ok-1"), inboxRow("bad", "{\u0000}"), inboxRow("ok-2")];
    const results = await Promise.allSettled(batch.map((row) => writer.write(row)));
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected", "rejected"]);
    expect(await stored()).toEqual([]);
    await writer.write(inboxRow("ok-1"));
    expect((await stored()).map((row) => row.webhook_id)).toEqual(["ok-1"]);
  });
});
