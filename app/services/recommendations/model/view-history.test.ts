import { describe, expect, it } from "vitest";
import { onDay } from "./test-purchases";
import { indexViews, MAX_VIEWS, viewsBefore } from "./view-history";

describe("viewsBefore", () => {
  const views = indexViews([
    { customerId: "1", productId: "old", at: onDay(0) },
    { customerId: "1", productId: "b", at: onDay(40) },
    { customerId: "1", productId: "a", at: onDay(45) },
    { customerId: "1", productId: "after", at: onDay(50) },
    { customerId: "2", productId: "x", at: onDay(45) },
  ]);

  it("gives a customer's own views in the 30 days before the order, newest first, none after", () => {
    expect(viewsBefore(views, "1", onDay(50).getTime()).map((view) => view.productId)).toEqual([
      "a",
      "b",
    ]);
    expect(viewsBefore(views, "3", onDay(50).getTime())).toEqual([]);
    expect(viewsBefore(views, null, onDay(50).getTime())).toEqual([]);
  });

  it("keeps at most the newest MAX_VIEWS", () => {
    const many = indexViews(
      Array.from({ length: MAX_VIEWS + 10 }, (_, i) => ({
        customerId: "1",
        productId: `p${i}`,
        at: new Date(onDay(10).getTime() + i * 60_000),
      })),
    );
    const kept = viewsBefore(many, "1", onDay(11).getTime());
    expect(kept).toHaveLength(MAX_VIEWS);
    expect(kept[0]?.productId).toBe(`p${MAX_VIEWS + 9}`);
  });
});
