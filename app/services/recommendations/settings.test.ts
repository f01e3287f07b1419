import { describe, expect, it } from "vitest";
import {
  DEFAULT_RECOMMENDATION_SETTINGS,
  merchantRulesOf,
  parseRecommendationSettingsForm,
} from "./settings";

const form = (overrides: Record<string, string> = {}) => ({
  excludeOutOfStock: "on",
  excludedProductTags: "",
  excludedProductTypes: "",
  excludedVendors: "",
  pinnedProductIds: "",
  blockedProductIds: "",
  maxPerBlock: "8",
  ...overrides,
});

describe("parseRecommendationSettingsForm", () => {
  it("reads the defaults back from a form showing them", () => {
    expect(parseRecommendationSettingsForm(form())).toEqual({
      ok: true,
      settings: DEFAULT_RECOMMENDATION_SETTINGS,
    });
  });

  it("splits lists, trims, drops case-insensitive duplicates and repeated ids", () => {
    const parsed = parseRecommendationSettingsForm({
      ...form({
        excludedProductTags: " Clearance, sample ,clearance,, ",
        excludedVendors: "Acme",
        pinnedProductIds: "30,10,30",
        blockedProductIds: "40",
        maxPerBlock: " 4 ",
      }),
      excludeOutOfStock: undefined,
    });
    expect(parsed).toEqual({
      ok: true,
      settings: {
        ...DEFAULT_RECOMMENDATION_SETTINGS,
        excludeOutOfStock: false,
        excludedProductTags: ["Clearance", "sample"],
        excludedVendors: ["Acme"],
        pinnedProductIds: ["30", "10"],
        blockedProductIds: ["40"],
        maxPerBlock: 4,
      },
    });
  });

  it("names the field of every error", () => {
    for (const [maxPerBlock, field] of [
      ["0", "maxPerBlock"],
      ["13", "maxPerBlock"],
      ["2.5", "maxPerBlock"],
      ["", "maxPerBlock"],
    ] as const) {
      const parsed = parseRecommendationSettingsForm(form({ maxPerBlock }));
      expect(parsed.ok ? {} : parsed.errors).toEqual({
        [field]: "Enter a whole number from 1 to 12",
      });
    }
    const parsed = parseRecommendationSettingsForm(
      form({
        pinnedProductIds: "12,abc",
        excludedProductTags: "x".repeat(256),
        blockedProductIds: Array.from({ length: 501 }, (_, i) => i + 1).join(","),
      }),
    );
    expect(parsed.ok ? {} : parsed.errors).toEqual({
      pinnedProductIds: "Not a product id",
      excludedProductTags: "At most 255 characters each",
      blockedProductIds: "At most 500 products",
    });
  });
});

describe("merchantRulesOf", () => {
  it("blocks the cart on top of the merchant's blocked products", () => {
    const rules = merchantRulesOf(
      { ...DEFAULT_RECOMMENDATION_SETTINGS, blockedProductIds: ["1"], maxPerBlock: 3 },
      ["2"],
    );
    expect(rules).toMatchObject({ blockedProductIds: ["1", "2"], maxPerBlock: 3 });
  });
});
