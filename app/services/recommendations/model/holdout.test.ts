import { describe, expect, it } from "vitest";
import { holdOut, withoutOrders } from "./holdout";
import { customerOrderRange, indexPurchases, orderProducts } from "./purchase-index";
import { basket } from "./test-purchases";

// c1 has three orders, c2 two, c3 one; g is a guest.
const index = indexPurchases([
  ...basket("c1", "a1", 0, ["A"]),
  ...basket("c1", "a2", 10, ["B"]),
  ...basket("c1", "a3", 20, ["C", "D"]),
  ...basket("c2", "b1", 5, ["A"]),
  ...basket("c2", "b2", 15, ["B"]),
  ...basket("c3", "c1", 7, ["C"]),
  ...basket(null, "g1", 8, ["D"]),
]);
const orderIds = (orders: Iterable<number>) => [...orders].map((o) => index.orderIds[o]).sort();

describe("holdOut", () => {
  it("tests on each returning customer's last order and trains without any of them", () => {
    const { targets, hidden } = holdOut(index, "test");
    expect(orderIds(targets.map((t) => t.order))).toEqual(["a3", "b2"]);
    expect(orderIds(hidden)).toEqual(["a3", "b2"]);
  });

  it("validates on second-to-last orders with a history, and never trains on a test order", () => {
    const { targets, hidden } = holdOut(index, "validation");
    expect(orderIds(targets.map((t) => t.order))).toEqual(["a2"]);
    // b1 is c2's first order: it stays in training, and is no target (it has no history).
    expect(orderIds(hidden)).toEqual(["a2", "a3", "b2"]);
  });
});

describe("withoutOrders", () => {
  it("drops the orders and keeps every product and customer at its index", () => {
    const { hidden } = holdOut(index, "validation");
    const training = withoutOrders(index, hidden);
    expect(training.productIds).toBe(index.productIds);
    expect([...training.orderIds].sort()).toEqual(["a1", "b1", "c1", "g1"]);
    const c1 = index.customerIndex.get("c1") ?? -1;
    const [first, end] = customerOrderRange(training, c1);
    expect(end - first).toBe(1);
    expect([...orderProducts(training, first)].map((p) => training.productIds[p])).toEqual(["A"]);
    expect(training.maxTimeMs).toBe(index.orderTimeMs[index.orderIds.indexOf("g1")]);
  });
});
