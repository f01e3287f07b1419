import { beforeEach, describe, expect, it } from "vitest";
import { listShopScopedTables } from "~/services/privacy/shop-tables.server";
import { migratedTestDatabase, truncateAppTables } from "../../../tests/helpers/test-database";
import { DEFAULT_RECOMMENDATION_SETTINGS } from "./settings";
import {
  loadRecommendationSettings,
  saveRecommendationSettings,
  saveResolvedCollections,
} from "./settings-store.server";

const { sql, prisma } = await migratedTestDatabase();

let shopId = 0;
beforeEach(async () => {
  await truncateAppTables();
  shopId = (await prisma.shop.create({ data: { domain: "rules.myshopify.com" } })).id;
});

describe("recommendation settings store", () => {
  it("serves the defaults, version 0, before the first save", async () => {
    expect(await loadRecommendationSettings(sql, shopId)).toEqual({
      settings: DEFAULT_RECOMMENDATION_SETTINGS,
      version: 0,
      collectionsResolvedAt: null,
    });
  });

  it("stores what was saved, with big ids intact, and moves the version on every save", async () => {
    const settings = {
      excludeOutOfStock: false,
      excludedProductTags: ["Clearance"],
      excludedProductTypes: ["Sample"],
      excludedVendors: ["Acme"],
      pinnedProductIds: ["9007199254740993", "10"],
      blockedProductIds: ["20"],
      excludedCollections: [{ id: "9007199254740995", title: "Samples" }],
      maxPerBlock: 5,
      attributionDays: 14,
      experimentShares: { for_you: 0, lifecycle: 10, product_page: 50, cart: 0 },
    };
    await saveRecommendationSettings(sql, shopId, settings);
    const first = await loadRecommendationSettings(sql, shopId);
    expect(first.settings).toEqual({ ...settings, excludedCollectionProductIds: [] });
    expect(first.version).toBeGreaterThan(0);
    await saveRecommendationSettings(sql, shopId, { ...settings, maxPerBlock: 6 });
    const second = await loadRecommendationSettings(sql, shopId);
    expect(second.settings.maxPerBlock).toBe(6);
    expect(second.version).toBeGreaterThan(first.version);
  });

  it("stores resolved collection products on save, and keeps them when a save has none", async () => {
    const collections = [{ id: "5", title: "Samples" }];
    const resolvedAt = new Date("2026-11-28T10:00:00.123Z");
    const input = { ...DEFAULT_RECOMMENDATION_SETTINGS, excludedCollections: collections };
    await saveRecommendationSettings(sql, shopId, input, {
      productIds: ["9007199254740993", "7"],
      resolvedAt,
    });
    const first = await loadRecommendationSettings(sql, shopId);
    expect(first.settings.excludedCollectionProductIds).toEqual(["9007199254740993", "7"]);
    expect(first.collectionsResolvedAt).toEqual(resolvedAt);

    await saveRecommendationSettings(sql, shopId, { ...input, maxPerBlock: 3 });
    const second = await loadRecommendationSettings(sql, shopId);
    expect(second.settings.excludedCollectionProductIds).toEqual(["9007199254740993", "7"]);
    expect(second.collectionsResolvedAt).toEqual(resolvedAt);
    expect(second.version).toBeGreaterThan(first.version);
  });

  it("writes a background resolution only over the list it resolved, moving the version", async () => {
    const collections = [{ id: "5", title: "Samples" }];
    await saveRecommendationSettings(sql, shopId, {
      ...DEFAULT_RECOMMENDATION_SETTINGS,
      excludedCollections: collections,
    });
    const before = await loadRecommendationSettings(sql, shopId);
    const resolved = { productIds: ["8"], resolvedAt: new Date("2026-11-28T11:00:00Z") };
    const renamed = [{ id: "5", title: "Free samples" }];
    expect(
      await saveResolvedCollections(sql, shopId, [{ id: "6", title: "x" }], [], resolved),
    ).toBe(false);
    expect(await saveResolvedCollections(sql, shopId, collections, renamed, resolved)).toBe(true);
    const after = await loadRecommendationSettings(sql, shopId);
    expect(after.settings.excludedCollections).toEqual(renamed);
    expect(after.settings.excludedCollectionProductIds).toEqual(["8"]);
    expect(after.collectionsResolvedAt).toEqual(resolved.resolvedAt);
    expect(after.version).toBeGreaterThan(before.version);
  });

  it("refuses invalid settings", async () => {
    await expect(
      saveRecommendationSettings(sql, shopId, {
        ...DEFAULT_RECOMMENDATION_SETTINGS,
        maxPerBlock: 40,
      }),
    ).rejects.toThrow();
    expect((await loadRecommendationSettings(sql, shopId)).version).toBe(0);
  });

  it("is erased with the shop (shop/redact lists it; the row cascades)", async () => {
    expect(await listShopScopedTables(sql)).toContainEqual({
      table: "recommendation_settings",
      column: "shop_id",
    });
    await saveRecommendationSettings(sql, shopId, DEFAULT_RECOMMENDATION_SETTINGS);
    await sql.query(`DELETE FROM shop WHERE id = $1`, [shopId]);
    const { rows } = await sql.query(`SELECT 1 FROM recommendation_settings`);
    expect(rows).toEqual([]);
  });
});
