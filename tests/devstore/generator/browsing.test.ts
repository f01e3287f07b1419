import { describe, expect, it } from "vitest";
import { seededRandom } from "../seeded-random";
import { generateBrowsing } from "./browsing";
import { FIXED_END_DATE, generateStore } from "./generate-store";

const DAY = 86_400_000;
const store = generateStore({ seed: 5, orders: 3000, endDate: FIXED_END_DATE });
const browse = (seed: number) =>
  generateBrowsing(store, { random: seededRandom(seed), endDate: FIXED_END_DATE });

describe("generateBrowsing", () => {
  const { views, visitors } = browse(11);

  it("is deterministic for a seed and differs between seeds", () => {
    expect(browse(11)).toEqual({ views, visitors });
    expect(browse(12).views).not.toEqual(views);
  });

  it("puts every view inside the 90 days before the end, on a product of the store, with unique ids", () => {
    const products = new Set(store.products.map((product) => product.id));
    const start = FIXED_END_DATE.getTime() - 90 * DAY;
    expect(views.length).toBeGreaterThan(1000);
    for (const view of views) {
      expect(view.occurredAt.getTime()).toBeGreaterThanOrEqual(start);
      expect(view.occurredAt.getTime()).toBeLessThan(FIXED_END_DATE.getTime());
      expect(products.has(view.productId)).toBe(true);
    }
    expect(new Set(views.map((view) => view.eventId)).size).toBe(views.length);
  });

  it("concentrates buyers' views on what they bought, with browsing noise and anonymous visitors", () => {
    const start = FIXED_END_DATE.getTime() - 90 * DAY;
    const bought = new Map<bigint, Set<bigint>>();
    for (const order of store.orders) {
      if (order.customerId === null || order.processedAt.getTime() < start) continue;
      const set = bought.get(order.customerId) ?? new Set<bigint>();
      for (const line of order.lineItems) set.add(line.productId);
      bought.set(order.customerId, set);
    }
    const owner = new Map(visitors.map((visitor) => [visitor.clientId, visitor.customerId]));
    const buyerViews = views.filter((view) => {
      const customer = view.customerId ?? owner.get(view.clientId);
      return customer !== undefined && bought.has(customer);
    });
    const ofBought = buyerViews.filter((view) =>
      bought.get(view.customerId ?? owner.get(view.clientId) ?? 0n)?.has(view.productId),
    );
    const share = ofBought.length / buyerViews.length;
    // Most of a buyer's views are of what they bought; the rest is comparison and browsing.
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.95);
    // Anonymous browsers never signed in; a customer's signed-in views are on their own browser.
    const anonymous = views.filter((view) => !owner.has(view.clientId));
    expect(anonymous.length).toBeGreaterThan(views.length / 10);
    expect(anonymous.every((view) => view.customerId === null)).toBe(true);
    for (const view of views) {
      if (view.customerId !== null) expect(owner.get(view.clientId)).toBe(view.customerId);
    }
    // Some views before sign-in, to be stitched.
    expect(views.some((view) => view.customerId === null && owner.has(view.clientId))).toBe(true);
  });
});
