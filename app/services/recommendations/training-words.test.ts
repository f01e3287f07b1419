import { describe, expect, it } from "vitest";
import { describeTraining } from "./training-words";
import type { PlacementSummary } from "./training-summary";

const summary = (overrides: Partial<PlacementSummary>): PlacementSummary => ({
  live: "personalized",
  customers: 2724,
  ours: { hit: 0.312, newItemHit: 0.2 },
  bestsellers: { hit: 0.221, newItemHit: 0.1 },
  buyAgain: { hit: 0.25, newItemHit: 0.05 },
  hitDiffCi95: [0.071, 0.112],
  ...overrides,
});

describe("describeTraining", () => {
  it("says what each placement shows and how it did against bestsellers, in plain words", () => {
    const words = describeTraining({
      customers: 2724,
      placements: {
        product_page: summary({}),
        cart: summary({ live: "bestsellers", ours: { hit: 0.221, newItemHit: 0.1 } }),
        for_you: summary({}),
        lifecycle: summary({
          live: { early: "bestsellers", active: "personalized", dormant: "buy_again" },
        }),
      },
    });
    expect(words.map((w) => w.title)).toEqual([
      "Product pages",
      "Cart",
      "Home page and other pages",
      "Signed-in shoppers",
    ]);
    expect(words[0]).toMatchObject({
      live: "Personalized picks",
      result:
        "Personalized picks found the next purchase 31% of the time; bestsellers 22% (+9 points, " +
        "likely between +7 and +11), tested on the last orders of 2,724 returning customers.",
    });
    expect(words[1]?.live).toBe("Bestsellers");
    expect(words[1]?.result).toMatch(/^Bestsellers found the next purchase 22% .* \(\+0 points/);
    expect(words[3]?.live).toBe(
      "Bestsellers for new shoppers; Personalized picks for regular shoppers; " +
        "Buy again, then bestsellers for lapsing shoppers",
    );
    for (const w of words) expect(`${w.live} ${w.result}`).not.toMatch(/_|undefined|NaN/);
  });

  it("has nothing to say before the first training", () => {
    expect(describeTraining(null)).toEqual([]);
  });
});
