import { describe, expect, it } from "vitest";
import { applyIsolatingFailures, isDataError } from "./isolate-failures.server";

const sqlError = (code: string) => Object.assign(new Error(`sqlstate ${code}`), { code });

function recorder(poisoned: Set<number>, failure = sqlError("23514")) {
  const applied: number[] = [];
  const poison: number[] = [];
  const transient: number[] = [];
  let attempts = 0;
  const handlers = {
    apply: async (items: readonly number[]) => {
      attempts += 1;
      if (items.some((item) => poisoned.has(item))) throw failure;
      applied.push(...items);
    },
    poison: async (item: number) => void poison.push(item),
    transient: async (items: readonly number[]) => void transient.push(...items),
  };
  return { handlers, applied, poison, transient, attempts: () => attempts };
}

describe("applyIsolatingFailures", () => {
  it("applies everything but the poison items, in few attempts", async () => {
    const items = Array.from({ length: 500 }, (_, i) => i);
    const run = recorder(new Set([17, 300]));
    await applyIsolatingFailures(items, run.handlers);
    expect(run.poison).toEqual([17, 300]);
    expect(run.applied.sort((a, b) => a - b)).toEqual(items.filter((i) => i !== 17 && i !== 300));
    expect(run.transient).toEqual([]);
    expect(run.attempts()).toBeLessThan(60);
  });

  it("hands the whole batch back for a retry when the database itself failed", async () => {
    const run = recorder(new Set([3]), sqlError("57P01"));
    await applyIsolatingFailures([1, 2, 3, 4], run.handlers);
    expect(run.transient).toEqual([1, 2, 3, 4]);
    expect(run.poison).toEqual([]);
    expect(run.attempts()).toBe(1);
  });

  it("searches only for failures caused by the data", () => {
    expect(isDataError(sqlError("22003"))).toBe(true);
    expect(isDataError(sqlError("22P02"))).toBe(true);
    expect(isDataError(sqlError("23505"))).toBe(true);
    // ON CONFLICT DO UPDATE reaching one row twice in a statement
    expect(isDataError(sqlError("21000"))).toBe(true);
    expect(isDataError(new RangeError("Invalid time value"))).toBe(true);
    expect(isDataError(sqlError("40P01"))).toBe(false);
    expect(isDataError(sqlError("08006"))).toBe(false);
    expect(isDataError(sqlError("ECONNRESET"))).toBe(false);
    expect(isDataError(new Error("Connection terminated unexpectedly"))).toBe(false);
    expect(isDataError(new Error("timeout exceeded when trying to connect"))).toBe(false);
  });
});
