import { describe, expect, it } from "vitest";
import { DEFAULT_RECOMMENDATION_SETTINGS, editablePart } from "./settings";
import { parseRecommendationSettingsForm } from "./settings-schema.server";

const form = (overrides: Record<string, string> = {}) => ({
  excludeOutOfStock: "on",
  excludedProductTags: "",
  excludedProductTypes: "",
  excludedVendors: "",
  pinnedProductIds: "",
  blockedProductIds: "",
  excludedCollections: "",
  maxPerBlock: "8",
  ...overrides,
});

describe("parseRecommendationSettingsForm", () => {
  it("reads the attribution window and each placement's test share", () => {
    const parsed = parseRecommendationSettingsForm({
      ...form({}),
      attributionDays: " 14 ",
      experiment_product_page: "50",
      experiment_cart: "10",
    });
    expect(parsed.ok && parsed.settings.attributionDays).toBe(14);
    expect(parsed.ok && parsed.settings.experimentShares).toEqual({
      for_you: 0,
      lifecycle: 0,
      product_page: 50,
      cart: 10,
    });
  });

  it("refuses a window outside 1 to 30 days and a share it does not offer, in words", () => {
    for (const days of ["0", "31", "", "7.5"]) {
      const parsed = parseRecommendationSettingsForm({ ...form({}), attributionDays: days });
      expect(parsed.ok ? "" : parsed.errors.attributionDays).toEqual({
        key: "fieldErrors.daysRange",
        values: { min: 1, max: 30 },
      });
    }
    const share = parseRecommendationSettingsForm({ ...form({}), experiment_cart: "33" });
    expect(share.ok ? "" : share.errors.experimentShares).toEqual({
      key: "fieldErrors.chooseOption",
    });
  });

  it("reads the defaults back from a form showing them", () => {
    expect(parseRecommendationSettingsForm(form())).toEqual({
      ok: true,
      settings: editablePart(DEFAULT_RECOMMENDATION_SETTINGS),
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
        ...editablePart(DEFAULT_RECOMMENDATION_SETTINGS),
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
        [field]: { key: "fieldErrors.wholeNumberRange", values: { min: 1, max: 12 } },
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
      pinnedProductIds: { key: "fieldErrors.productId" },
      excludedProductTags: { key: "fieldErrors.eachTooLong", values: { max: 255 } },
      blockedProductIds: { key: "fieldErrors.atMostProducts", values: { count: 500 } },
    });
  });
});

describe("excluded collections in the form", () => {
  it("reads the picker's JSON, keeps big ids exact and drops repeated collections", () => {
    const parsed = parseRecommendationSettingsForm(
      form({
        excludedCollections: JSON.stringify([
          { id: "17000000000000000001", title: " Samples " },
          { id: "5", title: "Clearance" },
          { id: "17000000000000000001", title: "Samples again" },
        ]),
      }),
    );
    expect(parsed.ok && parsed.settings.excludedCollections).toEqual([
      { id: "17000000000000000001", title: "Samples" },
      { id: "5", title: "Clearance" },
    ]);
  });

  it("reports a broken list, a bad id or too many collections on the field", () => {
    const errorOf = (excludedCollections: string) => {
      const parsed = parseRecommendationSettingsForm(form({ excludedCollections }));
      return parsed.ok ? undefined : parsed.errors.excludedCollections;
    };
    expect(errorOf("not json")).toEqual({ key: "fieldErrors.collectionList" });
    expect(errorOf(JSON.stringify([{ id: "gid://shopify/Collection/1", title: "x" }]))).toEqual({
      key: "fieldErrors.collectionId",
    });
    const many = Array.from({ length: 51 }, (_, i) => ({ id: String(i + 1), title: `C${i}` }));
    expect(errorOf(JSON.stringify(many))).toEqual({
      key: "fieldErrors.atMostCollections",
      values: { count: 50 },
    });
  });

  it("never lets the form set the resolved products", () => {
    const parsed = parseRecommendationSettingsForm({
      ...form(),
      excludedCollectionProductIds: "1,2",
    });
    expect(parsed.ok && "excludedCollectionProductIds" in parsed.settings).toBe(false);
  });
});
