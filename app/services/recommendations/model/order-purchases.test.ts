import { describe, expect, it } from "vitest";
import { purchasesFromOrders, type OrderForPurchases } from "./order-purchases";

const order = (overrides: Partial<OrderForPurchases>): OrderForPurchases => ({
  id: 9_007_199_254_740_993n,
  customerId: 9_007_199_254_740_995n,
  processedAt: new Date("2025-03-01T10:00:00Z"),
  cancelledAt: null,
  test: false,
  lineItems: [
    { id: 1n, productId: 9_007_199_254_740_997n, quantity: 2, giftCard: false },
    { id: 2n, productId: 20n, quantity: 1, giftCard: false },
  ],
  refunds: [],
  ...overrides,
});

describe("purchasesFromOrders", () => {
  it("turns lines into purchases with exact string ids above 2^53", () => {
    expect(purchasesFromOrders([order({})])).toEqual([
      {
        customerId: "9007199254740995",
        orderId: "9007199254740993",
        productId: "9007199254740997",
        at: new Date("2025-03-01T10:00:00Z"),
        quantity: 2,
      },
      {
        customerId: "9007199254740995",
        orderId: "9007199254740993",
        productId: "20",
        at: new Date("2025-03-01T10:00:00Z"),
        quantity: 1,
      },
    ]);
  });

  it("skips cancelled and test orders, gift cards and lines without a product", () => {
    expect(
      purchasesFromOrders([order({ cancelledAt: new Date() }), order({ test: true })]),
    ).toEqual([]);
    const lines = [
      { id: 1n, productId: 5n, quantity: 1, giftCard: true },
      { id: 2n, productId: null, quantity: 1, giftCard: false },
    ];
    expect(purchasesFromOrders([order({ lineItems: lines })])).toEqual([]);
  });

  it("subtracts refunded units and drops fully returned lines", () => {
    const refunds = [
      { lines: [{ lineItemId: 1n, quantity: 1 }] },
      { lines: [{ lineItemId: 2n, quantity: 1 }] },
    ];
    const purchases = purchasesFromOrders([order({ refunds })]);
    expect(purchases.map((p) => [p.productId, p.quantity])).toEqual([["9007199254740997", 1]]);
  });

  it("keeps guest orders with a null customer", () => {
    expect(purchasesFromOrders([order({ customerId: null })])[0]?.customerId).toBeNull();
  });
});
