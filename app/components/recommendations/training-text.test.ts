import { describe, expect, it } from "vitest";
import { formatsFor } from "~/i18n/format";
import { i18nFor } from "~/i18n/instance";
import { ADMIN_MESSAGES } from "~/i18n/locale.server";
import type { PlacementSummary } from "~/services/recommendations/training-summary";
import { describeTraining, methodName, placementTitle } from "./training-text";

const summary = (overrides: Partial<PlacementSummary>): PlacementSummary => ({
  live: "personalized",
  customers: 2724,
  ours: { hit: 0.312, newItemHit: 0.2 },
  bestsellers: { hit: 0.221, newItemHit: 0.1 },
  buyAgain: { hit: 0.25, newItemHit: 0.05 },
  hitDiffCi95: [0.071, 0.112],
  ...overrides,
});

const training = {
  customers: 2724,
  placements: {
    product_page: summary({}),
    cart: summary({ live: "bestsellers", ours: { hit: 0.221, newItemHit: 0.1 } }),
    for_you: summary({}),
    lifecycle: summary({
      live: { early: "bestsellers", active: "personalized", dormant: "buy_again" },
    }),
  },
} as const;

const wordsIn = (locale: "en" | "fa" | "zh-CN") =>
  describeTraining(i18nFor(locale, ADMIN_MESSAGES[locale]).t, formatsFor(locale), training);

describe("the training summary in words", () => {
  it("says what each placement shows and how it did against bestsellers, in plain words", () => {
    const words = wordsIn("en");
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
  });

  it("speaks the merchant's language, with no key, enum or English left over", () => {
    const english = wordsIn("en");
    for (const locale of ["fa", "zh-CN"] as const) {
      const words = wordsIn(locale);
      words.forEach((w, i) => {
        expect(w.result).not.toBe(english[i]?.result);
        expect(`${w.title} ${w.live} ${w.result}`).not.toMatch(
          /_|undefined|NaN|recommendation|found the next purchase|shoppers/,
        );
      });
    }
  });

  it("has nothing to say before the first training, and names unknown stored values", () => {
    const { t } = i18nFor("en", ADMIN_MESSAGES.en);
    expect(describeTraining(t, formatsFor("en"), null)).toEqual([]);
    expect(placementTitle(t, "")).toBe("Not recorded");
    expect(methodName(t, "legacy_method")).toBe("Not recorded");
  });
});
