import { describe, expect, it } from "vitest";
import { DEFAULT_RECOMMENDATION_SETTINGS, merchantRulesOf } from "./settings";

describe("merchantRulesOf", () => {
  it("blocks the products of excluded collections, which therefore win over pins", () => {
    const rules = merchantRulesOf({
      ...DEFAULT_RECOMMENDATION_SETTINGS,
      pinnedProductIds: ["7"],
      blockedProductIds: ["1"],
      excludedCollectionProductIds: ["7", "8"],
    });
    expect(rules.blockedProductIds).toEqual(["1", "7", "8"]);
  });

  it("blocks the cart on top of the merchant's blocked products", () => {
    const rules = merchantRulesOf(
      { ...DEFAULT_RECOMMENDATION_SETTINGS, blockedProductIds: ["1"], maxPerBlock: 3 },
      ["2"],
    );
    expect(rules).toMatchObject({ blockedProductIds: ["1", "2"], maxPerBlock: 3 });
  });
});
