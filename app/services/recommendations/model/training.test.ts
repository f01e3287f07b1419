import { describe, expect, it } from "vitest";
import { seededRandom } from "~/lib/seeded-random";
import { FIXED_END_DATE, generateStore } from "../../../../tests/devstore/generator/generate-store";
import { purchasesFromOrders } from "./order-purchases";
import { indexPurchases } from "./purchase-index";
import { trainRecommender } from "./training";
import type { Purchase } from "./types";
import { MS_PER_DAY } from "./types";
import { indexViews } from "./view-history";

describe("trainRecommender", () => {
  it("goes personal where shoppers have tastes, and beats bestsellers on their last orders", () => {
    const store = generateStore({ seed: 5, orders: 6000, endDate: FIXED_END_DATE });
    const result = trainRecommender(indexPurchases(purchasesFromOrders(store.orders)), {
      maxCustomers: 800,
    });
    expect(result.tuning.for_you.live).toBe("personalized");
    expect(result.tuning.product_page.live).toBe("personalized");
    const forYou = result.test.for_you;
    expect(forYou.ours.hit_at_10).toBeGreaterThan(forYou.popularity.hit_at_10);
    expect(forYou.hit_at_10_diff_ci95[0]).toBeGreaterThan(0);
    expect(result.test.product_page.hit_at_10_diff_ci95[0]).toBeGreaterThan(0);
  });

  it("keeps bestsellers live where a shopper's history says nothing about their next order", () => {
    // Every basket is drawn from the same skewed catalogue whoever the shopper is.
    const random = seededRandom(11);
    const purchases: Purchase[] = [];
    for (let c = 0; c < 900; c++) {
      for (let o = 0; o < 4; o++) {
        const at = new Date(Date.UTC(2025, 0, 1) + Math.floor(random() * 600) * MS_PER_DAY);
        for (let line = 0; line < 3; line++) {
          const product = Math.floor(Math.pow(random(), 2) * 60);
          purchases.push({
            customerId: `c${c}`,
            orderId: `c${c}-${o}`,
            productId: `p${product}`,
            at,
            quantity: 1,
          });
        }
      }
    }
    const result = trainRecommender(indexPurchases(purchases), { maxCustomers: 900 });
    expect(result.tuning.for_you.live).toBe("bestsellers");
    expect(result.policy.for_you).toEqual(expect.objectContaining({ popularity: 1, ownCount: 0 }));
    const [low, high] = result.test.for_you.hit_at_10_diff_ci95;
    expect(low).toBeLessThanOrEqual(0);
    expect(high).toBeGreaterThanOrEqual(0);
  });

  it("GIVEN views of what shoppers then buy THEN their weight goes live, and visitors without orders beat bestsellers", () => {
    // Baskets that say nothing about the shopper (as above), and 300 one-order customers.
    const random = seededRandom(12);
    const purchases: Purchase[] = [];
    const order = (customer: string, id: string) => {
      const at = new Date(Date.UTC(2025, 0, 1) + Math.floor(random() * 600) * MS_PER_DAY);
      for (let line = 0; line < 3; line++) {
        const product = Math.floor(Math.pow(random(), 2) * 60);
        purchases.push({
          customerId: customer,
          orderId: id,
          productId: `p${product}`,
          at,
          quantity: 1,
        });
      }
    };
    for (let c = 0; c < 600; c++) for (let o = 0; o < 4; o++) order(`c${c}`, `c${c}-${o}`);
    for (let v = 0; v < 300; v++) order(`v${v}`, `v${v}-0`);
    // Each shopper looked at one product of each order the day before buying it.
    const views = indexViews(
      purchases
        .filter((line, i) => i % 3 === 0 && line.customerId !== null)
        .map((line) => ({
          customerId: line.customerId ?? "",
          productId: line.productId,
          at: new Date(line.at.getTime() - MS_PER_DAY),
        })),
    );

    const result = trainRecommender(indexPurchases(purchases), { maxCustomers: 900, views });

    expect(result.tuning.for_you.live).toBe("personalized");
    expect(result.policy.for_you.viewed).toBeGreaterThan(0);
    expect(result.views?.visitorsTuned).toBe(150);
    const visitors = result.views?.visitors;
    expect(visitors?.customers).toBe(150);
    expect(visitors?.hit_at_10_diff_ci95[0]).toBeGreaterThan(0);
  });
});
