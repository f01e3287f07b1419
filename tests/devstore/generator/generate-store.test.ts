import { describe, expect, it } from "vitest";
import { toShopifyJson } from "../shopify-json";
import { FIXED_END_DATE, generateStore, startOfTodayUtc } from "./generate-store";

const cents = (amount: string) => Math.round(Number(amount) * 100);

describe("generateStore", () => {
  const store = generateStore({ seed: 3, orders: 10_000, endDate: FIXED_END_DATE });

  it("is deterministic for a seed and differs between seeds", () => {
    const small = (seed: number) =>
      toShopifyJson(generateStore({ seed, orders: 1000, endDate: FIXED_END_DATE }));
    expect(small(3)).toBe(small(3));
    expect(small(3)).not.toBe(small(4));
  });

  it("ends its history today at 00:00 UTC unless given an end date, the same store all day", () => {
    // GIVEN no end date
    const store = generateStore({ seed: 3, orders: 1000 });
    const today = startOfTodayUtc();
    // THEN the latest order is from the last days before today's midnight, none later
    const latest = Math.max(...store.orders.map((order) => order.processedAt.getTime()));
    expect(latest).toBeLessThanOrEqual(today.getTime());
    expect(today.getTime() - latest).toBeLessThan(7 * 86_400_000);
    // AND any moment of one UTC day gives the same end
    expect(startOfTodayUtc(new Date("2026-12-03T00:00:00Z")).toISOString()).toBe(
      "2026-12-03T00:00:00.000Z",
    );
    expect(startOfTodayUtc(new Date("2026-12-03T23:59:59.999Z")).toISOString()).toBe(
      "2026-12-03T00:00:00.000Z",
    );
  });

  it("produces the requested number of orders within 10%", () => {
    for (const orders of [1000, 10_000]) {
      const count =
        orders === 10_000
          ? store.orders.length
          : generateStore({ seed: 9, orders, endDate: FIXED_END_DATE }).orders.length;
      expect(Math.abs(count - orders) / orders).toBeLessThan(0.1);
    }
  });

  it("allocates unique ids above 2^53 and references only existing products and variants", () => {
    const variants = new Set(store.products.flatMap((p) => p.variants.map((v) => v.id)));
    const products = new Set(store.products.map((p) => p.id));
    const lineIds = store.orders.flatMap((o) => o.lineItems.map((l) => l.id));
    expect(new Set(lineIds).size).toBe(lineIds.length);
    expect(new Set(store.orders.map((o) => o.id)).size).toBe(store.orders.length);
    expect(store.customers.every((c) => c.id > 2n ** 53n)).toBe(true);
    for (const order of store.orders) {
      for (const line of order.lineItems) {
        expect(products.has(line.productId) && variants.has(line.variantId)).toBe(true);
      }
    }
  });

  it("keeps every order's money consistent", () => {
    for (const order of store.orders) {
      const lines = order.lineItems.reduce((sum, l) => sum + cents(l.price) * l.quantity, 0);
      expect(cents(order.subtotalPrice)).toBe(lines - cents(order.totalDiscounts));
      expect(cents(order.totalPrice)).toBe(cents(order.subtotalPrice) + cents(order.totalTax));
      const refunded = order.refunds.reduce((sum, r) => sum + cents(r.amount), 0);
      expect(refunded).toBeLessThanOrEqual(cents(order.totalPrice));
      expect(order.updatedAt.getTime()).toBeGreaterThanOrEqual(order.processedAt.getTime());
    }
  });

  it("has repeat buyers, one-time buyers, guests, prospects, refunds and cancellations", () => {
    const perCustomer = new Map<bigint, number>();
    for (const order of store.orders) {
      if (order.customerId)
        perCustomer.set(order.customerId, (perCustomer.get(order.customerId) ?? 0) + 1);
    }
    const buyers = [...perCustomer.values()];
    const repeatShare = buyers.filter((n) => n >= 2).length / buyers.length;
    expect(repeatShare).toBeGreaterThan(0.2);
    expect(repeatShare).toBeLessThan(0.6);
    expect(buyers.some((n) => n >= 5)).toBe(true);
    expect(store.orders.some((o) => o.customerId === null)).toBe(true);
    expect(store.customers.length).toBeGreaterThan(perCustomer.size);
    expect(
      store.orders.filter((o) => o.refunds.length > 0).length / store.orders.length,
    ).toBeGreaterThan(0.02);
    expect(store.orders.filter((o) => o.cancelledAt).length / store.orders.length).toBeGreaterThan(
      0.01,
    );
  });

  it("buys within taste groups far more often than across them", () => {
    const group = new Map(store.products.map((p) => [p.id, p.tasteGroup]));
    let same = 0;
    let pairs = 0;
    for (const order of store.orders) {
      const groups = order.lineItems.map((l) => group.get(l.productId));
      for (let i = 0; i < groups.length; i += 1) {
        for (let j = i + 1; j < groups.length; j += 1) {
          pairs += 1;
          if (groups[i] === groups[j]) same += 1;
        }
      }
    }
    const groupCount = new Set(group.values()).size;
    // At random a pair would share a group about 1/groupCount of the time.
    expect(same / pairs).toBeGreaterThan(3 / groupCount);
  });
});
