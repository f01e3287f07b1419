import { describe, expect, it } from "vitest";
import { applyMerchantRules, catalogueById } from "./rules";
import { onDay } from "./test-purchases";
import type { CatalogueProduct, ScoredProduct } from "./types";

const product = (id: string, overrides: Partial<CatalogueProduct> = {}): CatalogueProduct => ({
  id,
  status: "active",
  giftCard: false,
  inStock: true,
  tags: [],
  collectionIds: [],
  createdAt: onDay(0),
  ...overrides,
});

const catalogue = catalogueById([
  product("OK1"),
  product("OK2"),
  product("OK3"),
  product("SOLDOUT", { inStock: false }),
  product("DRAFT", { status: "draft" }),
  product("ARCHIVED", { status: "archived" }),
  product("GIFT", { giftCard: true }),
  product("TAGGED", { tags: ["Clearance"] }),
  product("INCOLL", { collectionIds: ["hidden"] }),
  product("TYPED", { productType: "Sample" }),
  product("VENDOR", { vendor: "Acme" }),
  product("NOVENDOR", { vendor: null, productType: null }),
]);

const scored = (...ids: string[]): ScoredProduct[] =>
  ids.map((productId, n) => ({ productId, score: ids.length - n, source: "neighbours" }));
const ids = (list: ScoredProduct[]) => list.map((p) => p.productId);

describe("applyMerchantRules", () => {
  it("drops out-of-stock, draft, archived, gift card, excluded tag and collection products", () => {
    const list = applyMerchantRules(
      scored("SOLDOUT", "DRAFT", "ARCHIVED", "GIFT", "TAGGED", "INCOLL", "OK1", "UNKNOWN"),
      {
        catalogue,
        limit: 10,
        rules: { excludedTags: ["clearance"], excludedCollectionIds: ["hidden"] },
      },
    );
    // Tags compare case-insensitively; products missing from the catalogue are not shown.
    expect(ids(list)).toEqual(["OK1"]);
  });

  it("puts eligible pinned products first, in pin order, keeping their scores", () => {
    const list = applyMerchantRules(scored("OK1", "OK2", "OK3"), {
      catalogue,
      limit: 10,
      rules: { pinnedProductIds: ["OK3", "SOLDOUT", "OK2"] },
    });
    expect(ids(list)).toEqual(["OK3", "OK2", "OK1"]);
    expect(list[0]).toEqual({ productId: "OK3", score: 1, source: "pinned" });
  });

  it("blocks ids and the product being viewed", () => {
    const list = applyMerchantRules(scored("OK1", "OK2", "OK3"), {
      catalogue,
      limit: 10,
      currentProductId: "OK1",
      rules: { blockedProductIds: ["OK3"] },
    });
    expect(ids(list)).toEqual(["OK2"]);
  });

  it("caps the block at maxPerBlock whatever limit the caller asks for", () => {
    const context = { catalogue, limit: 10, rules: { maxPerBlock: 2 } };
    expect(ids(applyMerchantRules(scored("OK1", "OK2", "OK3"), context))).toEqual(["OK1", "OK2"]);
    expect(applyMerchantRules(scored("OK1", "OK2", "OK3"), { catalogue, limit: 1 })).toHaveLength(
      1,
    );
  });

  it("drops excluded product types and vendors; blank exclusions match nothing", () => {
    const list = applyMerchantRules(scored("TYPED", "VENDOR", "NOVENDOR", "OK1"), {
      catalogue,
      limit: 10,
      rules: { excludedProductTypes: ["SAMPLE", " "], excludedVendors: ["acme", ""] },
    });
    expect(ids(list)).toEqual(["NOVENDOR", "OK1"]);
  });

  it("shows out-of-stock products when the merchant allows it, but never pins them", () => {
    const list = applyMerchantRules(scored("SOLDOUT", "OK1"), {
      catalogue,
      limit: 10,
      rules: { excludeOutOfStock: false, pinnedProductIds: ["SOLDOUT", "OK2"] },
    });
    expect(list.map((p) => [p.productId, p.source])).toEqual([
      ["OK2", "pinned"],
      ["SOLDOUT", "neighbours"],
      ["OK1", "neighbours"],
    ]);
  });

  it("lets a block win over a pin, and never pins the viewed product", () => {
    const list = applyMerchantRules(scored("OK1", "OK2", "OK3"), {
      catalogue,
      limit: 10,
      currentProductId: "OK1",
      rules: { pinnedProductIds: ["OK1", "OK2", "OK3"], blockedProductIds: ["OK2"] },
    });
    expect(list.map((p) => [p.productId, p.source])).toEqual([["OK3", "pinned"]]);
  });

  it("fills a short block from eligible fallbacks without duplicates", () => {
    const list = applyMerchantRules(scored("OK1"), {
      catalogue,
      limit: 3,
      fallbacks: [scored("OK1", "GIFT", "OK2"), scored("OK3")],
    });
    expect(ids(list)).toEqual(["OK1", "OK2", "OK3"]);
  });
});
