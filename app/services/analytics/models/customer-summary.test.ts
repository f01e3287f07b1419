import { describe, expect, it } from "vitest";
import { InvalidSummaryError } from "./errors";
import type { Order } from "./customer-summary";
import { summarizeCustomer } from "./customer-summary";

const asOf = new Date("2025-03-31T12:00:00Z");

function order(date: string, netAmount: number, cancelled = false): Order {
  return { processedAt: new Date(date), netAmount, cancelled };
}

describe("summarizeCustomer", () => {
  it("builds x, tₓ, T in days and z̄ from repeat purchase days", () => {
    const summary = summarizeCustomer(
      [
        order("2025-01-01T10:00:00Z", 50),
        order("2025-01-11T10:00:00Z", 30),
        order("2025-01-31T10:00:00Z", 70),
      ],
      asOf,
    );
    expect(summary.bgnbd).toEqual({ x: 2, tx: 30, T: 89 });
    expect(summary.zbar).toBe(50); // (30 + 70) / 2: the first purchase is not a repeat
    expect(summary.metrics).toMatchObject({
      ordersCount: 3,
      netRevenue: 150,
      aov: 50,
      daysSinceLastOrder: 59,
      avgDaysBetweenOrders: 15,
      daysBetweenLastTwoOrders: 20,
    });
    expect(summary.metrics.firstOrderAt?.toISOString()).toBe("2025-01-01T10:00:00.000Z");
    expect(summary.metrics.lastOrderAt?.toISOString()).toBe("2025-01-31T10:00:00.000Z");
  });

  it("merges same-day orders into one purchase day worth their sum", () => {
    const summary = summarizeCustomer(
      [
        order("2025-01-01T09:00:00Z", 20),
        order("2025-02-01T08:00:00Z", 10),
        order("2025-02-01T20:00:00Z", 15),
      ],
      asOf,
    );
    expect(summary.bgnbd).toEqual({ x: 1, tx: 31, T: 89 });
    expect(summary.zbar).toBe(25);
    expect(summary.metrics.ordersCount).toBe(3); // orders are still counted individually
  });

  it("decides 'same day' in the shop's time zone", () => {
    // 23:30 and 00:30 UTC are both 1 Feb evening in New York (UTC−5).
    const orders = [
      order("2025-01-10T15:00:00Z", 20),
      order("2025-02-01T23:30:00Z", 10),
      order("2025-02-02T00:30:00Z", 10),
    ];
    expect(summarizeCustomer(orders, asOf).bgnbd?.x).toBe(2);
    expect(summarizeCustomer(orders, asOf, { timeZone: "America/New_York" }).bgnbd?.x).toBe(1);
  });

  it("uses refund-net amounts and excludes cancelled, zero-net and future orders", () => {
    const summary = summarizeCustomer(
      [
        order("2025-01-01T10:00:00Z", 80), // 100 with 20 refunded: net 80
        order("2025-01-15T10:00:00Z", 0), // fully refunded
        order("2025-01-20T10:00:00Z", 0), // free replacement
        order("2025-02-01T10:00:00Z", 60, true), // cancelled
        order("2025-03-01T10:00:00Z", 40),
        order("2025-04-15T10:00:00Z", 90), // after asOf
      ],
      asOf,
    );
    expect(summary.bgnbd).toEqual({ x: 1, tx: 59, T: 89 });
    expect(summary.zbar).toBe(40);
    expect(summary.metrics).toMatchObject({
      ordersCount: 2,
      netRevenue: 120,
      aov: 60,
      daysSinceLastOrder: 30,
    });
  });

  it("a customer with one purchase has x = 0, z̄ = 0 and no gaps", () => {
    const summary = summarizeCustomer([order("2025-03-01T10:00:00Z", 40)], asOf);
    expect(summary.bgnbd).toEqual({ x: 0, tx: 0, T: 30 });
    expect(summary.zbar).toBe(0);
    expect(summary.metrics.avgDaysBetweenOrders).toBeNull();
    expect(summary.metrics.daysBetweenLastTwoOrders).toBeNull();
  });

  it("a customer with only cancelled or zero-value orders is a prospect", () => {
    const summary = summarizeCustomer(
      [order("2025-03-01T10:00:00Z", 40, true), order("2025-03-02T10:00:00Z", 0)],
      asOf,
    );
    expect(summary.bgnbd).toBeNull();
    expect(summary.metrics).toMatchObject({
      ordersCount: 0,
      netRevenue: 0,
      aov: null,
      daysSinceLastOrder: null,
    });
  });

  it("rejects invalid dates and amounts with the order's index", () => {
    expect(() => summarizeCustomer([order("2025-01-01", 1), order("not a date", 1)], asOf)).toThrow(
      /#1/,
    );
    expect(() => summarizeCustomer([order("2025-01-01", NaN)], asOf)).toThrow(InvalidSummaryError);
  });
});
