import { describe, expect, it } from "vitest";
import type { SqlQueryable } from "~/lib/database-adapter.server";
import { InboxWriter, type InboxRow } from "./inbox-writer.server";

const row = (webhookId: string): InboxRow => ({
  shopDomain: "shop.myshopify.com",
  topic: "orders/create",
  webhookId,
  eventId: null,
  apiVersion: "2026-10",
  triggeredAt: null,
  payload: "{}",
  status: "pending",
  lastError: null,
});

/** A database whose inserts finish when the test says so, recording each statement's rows. */
function slowDatabase() {
  const statements: string[][] = [];
  const finish: Array<(error?: Error) => void> = [];
  const sql: SqlQueryable = {
    query: async (_text, params) => {
      statements.push((params?.[2] as string[]) ?? []);
      await new Promise<void>((resolve, reject) =>
        finish.push((error) => (error ? reject(error) : resolve())),
      );
      return { rows: [] };
    },
    exec: async () => {},
  };
  return { sql, statements, finish };
}

describe("InboxWriter", () => {
  it("writes at once when idle, and groups what arrives meanwhile into one statement", async () => {
    const db = slowDatabase();
    const writer = new InboxWriter(db.sql);
    const first = writer.write(row("a"));
    const rest = ["b", "c", "d"].map((id) => writer.write(row(id)));
    expect(db.statements).toEqual([["a"]]);
    db.finish[0]?.();
    await first;
    await new Promise((resolve) => setImmediate(resolve));
    expect(db.statements).toEqual([["a"], ["b", "c", "d"]]);
    db.finish[1]?.();
    await Promise.all(rest);
  });

  it("settles a delivery only after its statement committed, and fails every row of a failed one", async () => {
    const db = slowDatabase();
    const writer = new InboxWriter(db.sql);
    let settled = false;
    const first = writer.write(row("a")).then(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    db.finish[0]?.();
    await first;
    expect(settled).toBe(true);

    const failing = [writer.write(row("x")), writer.write(row("y"))];
    db.finish[1]?.(new Error("connection lost"));
    await expect(failing[0]).rejects.toThrow("connection lost");
    db.finish[2]?.(new Error("connection lost"));
    await expect(failing[1]).rejects.toThrow("connection lost");
  });
});
