import { describe, expect, it } from "vitest";
import { summarizeCustomer, type Order } from "./models/customer-summary";
import { scoreCustomer, scoringContext } from "./score-customer";
import { DEFAULT_ANALYTICS_SETTINGS } from "./settings";
import { fitShopModel } from "./shop-model";

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1, 12);
const at = (day: number) => new Date(START + day * DAY);
const order = (day: number): Order => ({ processedAt: at(day), netAmount: 40, cancelled: false });

/** A shop of customers reordering every 10 to 60 days, some of them lapsed. */
function shopModel(asOf: Date) {
  const summaries = Array.from({ length: 60 }, (_, i) => {
    const gap = 10 + (i % 6) * 10;
    const orders = Array.from({ length: 1 + (i % 5) }, (_, k) => order(i + k * gap));
    return summarizeCustomer(orders, asOf);
  });
  return fitShopModel(summaries);
}

describe("scoreCustomer: the next order's due date", () => {
  const firstScoring = at(215);
  const model = shopModel(firstScoring);
  const score = (orders: Order[], asOf: Date) =>
    scoreCustomer(
      summarizeCustomer(orders, asOf),
      null,
      scoringContext(model, DEFAULT_ANALYTICS_SETTINGS, asOf),
    );
  const orders = [order(100), order(130), order(160)];

  it("GIVEN a customer ordering every 30 days THEN the order is due about 30 days after the latest one, and stays due when rescored a day later", () => {
    const first = score(orders, firstScoring);
    const nextDay = score(orders, at(216));
    const due = first.nextOrderDueAt?.getTime() ?? Number.NaN;
    expect(due - at(160).getTime()).toBeGreaterThan(20 * DAY);
    expect(due - at(160).getTime()).toBeLessThan(45 * DAY);
    // Day 160 + at most 45 has passed on day 215: the customer is overdue.
    expect(due).toBeLessThan(firstScoring.getTime());
    expect(nextDay.nextOrderDueAt).toEqual(first.nextOrderDueAt);
    // The rolling prediction moves with the scoring day and is never in the past.
    expect(first.predictedNextOrderAt?.getTime()).toBeGreaterThan(firstScoring.getTime());
  });

  it("GIVEN a new order THEN the due date moves to after it", () => {
    const before = score(orders, firstScoring);
    const after = score([...orders, order(214)], firstScoring);
    expect(after.nextOrderDueAt?.getTime()).toBeGreaterThan(at(214).getTime());
    expect(after.nextOrderDueAt?.getTime()).toBeGreaterThan(before.nextOrderDueAt?.getTime() ?? 0);
  });

  it("GIVEN a customer without a purchase THEN nothing is due", () => {
    expect(score([], firstScoring).nextOrderDueAt).toBeNull();
  });
});
