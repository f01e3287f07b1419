import { describe, expect, it } from "vitest";
import { InvalidThresholdsError } from "./errors";
import type { LifecycleMetrics } from "./lifecycle";
import { DEFAULT_LIFECYCLE_CONFIG, expectedCadenceDays, lifecycleStage } from "./lifecycle";

/** Shop cadence 60 days and nobody's own history: boundaries at 90 / 180 / 300 days. */
function metrics(overrides: Partial<LifecycleMetrics>): LifecycleMetrics {
  return {
    ordersCount: 2,
    daysSinceLastOrder: 10,
    avgDaysBetweenOrders: 60,
    daysBetweenLastTwoOrders: 60,
    ...overrides,
  };
}

describe("lifecycleStage", () => {
  it("prospect: no orders", () => {
    expect(lifecycleStage(metrics({ ordersCount: 0, daysSinceLastOrder: null }), null)).toBe(
      "prospect",
    );
  });

  it("new: one order within 30 days; after that judged on the shop cadence", () => {
    const single = { ordersCount: 1, avgDaysBetweenOrders: null, daysBetweenLastTwoOrders: null };
    expect(lifecycleStage(metrics({ ...single, daysSinceLastOrder: 30 }), null)).toBe("new");
    expect(lifecycleStage(metrics({ ...single, daysSinceLastOrder: 31 }), "new")).toBe("active");
    expect(lifecycleStage(metrics({ ...single, daysSinceLastOrder: 120 }), "new")).toBe("at_risk");
  });

  it("active / at_risk / lapsing / lost at 1.5, 3 and 5 expected gaps", () => {
    expect(lifecycleStage(metrics({ daysSinceLastOrder: 90 }), null)).toBe("active");
    expect(lifecycleStage(metrics({ daysSinceLastOrder: 91 }), null)).toBe("at_risk");
    expect(lifecycleStage(metrics({ daysSinceLastOrder: 180 }), null)).toBe("at_risk");
    expect(lifecycleStage(metrics({ daysSinceLastOrder: 181 }), null)).toBe("lapsing");
    expect(lifecycleStage(metrics({ daysSinceLastOrder: 300 }), null)).toBe("lapsing");
    expect(lifecycleStage(metrics({ daysSinceLastOrder: 301 }), null)).toBe("lost");
  });

  it("loyal: at least 4 orders and recent", () => {
    expect(lifecycleStage(metrics({ ordersCount: 4, daysSinceLastOrder: 20 }), "active")).toBe(
      "loyal",
    );
    expect(lifecycleStage(metrics({ ordersCount: 4, daysSinceLastOrder: 100 }), "loyal")).toBe(
      "at_risk",
    );
  });

  it("uses the customer's own cadence, shrunk towards the shop's", () => {
    // Weekly buyer with 9 gaps of 7 days: g = (9·7 + 2·60)/11 ≈ 16.6 days.
    const weekly = metrics({ ordersCount: 10, avgDaysBetweenOrders: 7, daysSinceLastOrder: 40 });
    expect(expectedCadenceDays(weekly, DEFAULT_LIFECYCLE_CONFIG)).toBeCloseTo(183 / 11, 10);
    expect(lifecycleStage(weekly, "loyal")).toBe("at_risk");
    // Configurable shop cadence: with 10 days, 40 days of silence is lapsing for a 2-order customer.
    expect(
      lifecycleStage(metrics({ avgDaysBetweenOrders: 10, daysSinceLastOrder: 40 }), null, {
        shopAvgDaysBetweenOrders: 10,
      }),
    ).toBe("lapsing");
  });

  it("reactivated: back from lapsing or lost, until the next ordinary order", () => {
    const comeback = metrics({
      ordersCount: 5,
      daysSinceLastOrder: 3,
      daysBetweenLastTwoOrders: 400,
    });
    expect(lifecycleStage(comeback, "lost")).toBe("reactivated");
    expect(lifecycleStage(comeback, "lapsing")).toBe("reactivated");
    expect(lifecycleStage(comeback, "reactivated")).toBe("reactivated");
    // Next order 20 days later: an ordinary gap, so the customer is loyal again.
    const settled = { ...comeback, ordersCount: 6, daysBetweenLastTwoOrders: 20 };
    expect(lifecycleStage(settled, "reactivated")).toBe("loyal");
    // Coming back from at_risk is not a reactivation.
    expect(lifecycleStage(metrics({ daysSinceLastOrder: 3 }), "at_risk")).toBe("active");
  });

  it("rejects unusable settings with a typed error", () => {
    expect(() => lifecycleStage(metrics({}), null, { atRiskMultiple: 1 })).toThrow(
      InvalidThresholdsError,
    );
    expect(() => lifecycleStage(metrics({}), null, { newCustomerDays: -1 })).toThrow(
      InvalidThresholdsError,
    );
  });
});
