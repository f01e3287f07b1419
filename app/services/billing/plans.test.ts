import { describe, expect, it } from "vitest";
import { cheapestPlanFor, FREE_PLAN, PAID_PLANS, planBySubscriptionName, PLANS } from "./plans";

describe("plans", () => {
  it("charges nothing on Free and more for each tier up, with a trial on every paid plan", () => {
    expect(FREE_PLAN.monthlyPriceUsd).toBe(0);
    const prices = PLANS.map((plan) => plan.monthlyPriceUsd);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    expect(new Set(prices).size).toBe(PLANS.length);
    for (const plan of PAID_PLANS) expect(plan.trialDays).toBeGreaterThan(0);
  });

  it("keeps win-back emails and personalized recommendations off Free and on every paid plan", () => {
    expect(FREE_PLAN.features).toEqual({
      winbackEmail: false,
      personalizedRecommendations: false,
    });
    for (const plan of PAID_PLANS) {
      expect(plan.features).toEqual({ winbackEmail: true, personalizedRecommendations: true });
    }
  });

  it("finds the plan of a Shopify subscription by its name, and no plan for Free or a stranger", () => {
    expect(planBySubscriptionName("Growth")?.key).toBe("growth");
    expect(planBySubscriptionName("Pro")?.key).toBe("pro");
    expect(planBySubscriptionName("Free")).toBeUndefined();
    expect(planBySubscriptionName("Webhook Test")).toBeUndefined();
  });

  it("suggests the cheapest plan with the feature that covers the month's orders", () => {
    expect(cheapestPlanFor(null, 120).key).toBe("free");
    expect(cheapestPlanFor(null, 501).key).toBe("growth");
    expect(cheapestPlanFor("winbackEmail", 10).key).toBe("growth");
    expect(cheapestPlanFor("winbackEmail", 5_000).key).toBe("growth");
    expect(cheapestPlanFor("personalizedRecommendations", 5_001).key).toBe("pro");
  });
});
